"""The wire: JSON (de)serialisation, envelopes, references, message shapes, and the errors
that bad input turns into. Nothing here knows about Flask, storage or sockets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import orjson


class ApiError(Exception):
    """A request the server refuses; becomes `{"error": code, "message": message}` with `status`."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def conflict(message: str) -> ApiError:
    return ApiError(409, "conflict", message)


# --- JSON -------------------------------------------------------------------------------------

def loads(body: bytes | str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise bad_request(f"body is not valid JSON: {exc}") from None


def dumps(value: Any) -> bytes:
    """Model-style bodies. Peers treat them as JSON, never as text, so compact output is fine.

    Writes are encoded (for the reply and the push) before anything is saved, so a value the
    encoder refuses (nested deeper than it allows) is rejected as bad input and never stored."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        raise bad_request(f"value cannot be stored: {exc}") from None


# The machine-readable `error` code of every status the server answers with (README table).
ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 408: "timeout", 409: "conflict", 413: "too_large",
               431: "bad_request", 500: "internal", 503: "unavailable", 501: "bad_request", 505: "bad_request"}


def status_line(status: int) -> str:
    """`404 Not Found`: the status and its standard reason phrase."""
    return f"{status} {HTTPStatus(status).phrase}"


def error_body(code: str, message: str) -> bytes:
    """The body of every error reply: `{"error": <machine-readable code>, "message": <text>}`."""
    return orjson.dumps({"error": code, "message": message})


def jsonify_dumps(value: Any) -> bytes:
    """Status-style bodies, byte-identical to the original's Flask jsonify (sorted, compact, newline)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode() + b"\n"


# --- references -------------------------------------------------------------------------------

_REF_KEYS = frozenset(("id", "type"))
_CONTAINERS = frozenset((dict, list))
_SUBTYPED_REF_KEYS = frozenset(("id", "type", "subtype"))


def is_ref(value: Any) -> bool:
    """BokehJS's shape rule: a dict whose keys are exactly {id, type} or {id, subtype, type}."""
    return (
        type(value) is dict
        and 2 <= len(value) <= 3
        and value.keys() in (_REF_KEYS, _SUBTYPED_REF_KEYS)
        and type(value.get("id")) is str
    )


def _is_flat(items: list) -> bool:
    """Whether a long list holds no dict or list, so no reference: column data, checked in C.
    A column of numbers is proved flat by summing it (sum() stops at the first element that
    is not a number; 4.6 ms for a million floats), anything else by the element types (16 ms)."""
    try:
        sum(items)
        return True
    except (TypeError, ArithmeticError):
        return _CONTAINERS.isdisjoint(map(type, items))


def collect_refs(value: Any, out: list[str]) -> int:
    """Append the id of every reference found anywhere inside `value` (a list or dict) to
    `out`; return how deeply lists and dicts nest in it (1 for a flat list).

    Iterative, so that nesting as deep as the JSON parser allows cannot exhaust the stack."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        current, depth = stack.pop()
        if depth > deepest:
            deepest = depth
        if type(current) is dict:
            if is_ref(current):
                out.append(current["id"])
                continue
            items = current.values()
        else:
            items = current
            if len(items) > 32 and _is_flat(items):
                continue
        for item in items:
            t_item = type(item)
            # Column data is mostly numbers and strings: skip them without more work.
            if t_item is dict or t_item is list:
                stack.append((item, depth + 1))
    return deepest


def refs_and_depth(attributes: dict) -> tuple[dict[str, tuple[str, ...]], int]:
    """({attribute name: ids it references}, only for attributes that reference something;
    how deeply lists and dicts nest in the deepest attribute value)."""
    found: dict[str, tuple[str, ...]] = {}
    deepest = 0
    for name, value in attributes.items():
        t = type(value)
        if t is dict or t is list:
            out: list[str] = []
            depth = collect_refs(value, out)
            if depth > deepest:
                deepest = depth
            if out:
                found[name] = tuple(out)
    return found, deepest


def refs_by_attribute(attributes: dict) -> dict[str, tuple[str, ...]]:
    """{attribute name: ids it references}, only for attributes that reference something."""
    return refs_and_depth(attributes)[0]


_REMOVED = object()


def without_ref(value: Any, target_id: str) -> Any:
    """`value` with every reference to `target_id` detached: a bare reference becomes null,
    references inside lists are dropped, inside dicts their entries are dropped."""
    result = _strip_ref(value, target_id)
    return None if result is _REMOVED else result


def _strip_ref(value: Any, target_id: str) -> Any:
    if type(value) is dict:
        if is_ref(value):
            return _REMOVED if value["id"] == target_id else value
        kept = {k: _strip_ref(v, target_id) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not _REMOVED}
    if type(value) is list:
        kept = [_strip_ref(v, target_id) for v in value]
        return [v for v in kept if v is not _REMOVED]
    return value


# --- envelopes --------------------------------------------------------------------------------

@dataclass(slots=True)
class Incoming:
    """One validated envelope from a client: what to create or merge."""

    type: str
    id: str
    subtype: str | None
    attributes: dict  # without "doc"; "id" forced to the object id
    sent: dict  # the envelope as parsed from the request


def _check_name(value: Any, what: str, where: str) -> str:
    if type(value) is not str or not value:
        raise bad_request(f"{where}: {what} must be a non-empty string")
    if ":" in value:
        # Storage keys and WebSocket topics are ':'-separated; the original broke on these too.
        raise bad_request(f"{where}: {what} {value!r} must not contain ':'")
    return value


def parse_attributes(attributes: Any, where: str) -> dict:
    if type(attributes) is not dict:
        raise bad_request(f"{where}: 'attributes' must be a JSON object")
    return attributes


def parse_envelope(envelope: Any, index: int) -> Incoming:
    where = f"envelope {index}"
    if type(envelope) is not dict:
        raise bad_request(f"{where}: must be a JSON object with 'type' and 'attributes'")
    type_name = _check_name(envelope.get("type"), "'type'", where)
    subtype = envelope.get("subtype")
    if subtype is not None and type(subtype) is not str:
        raise bad_request(f"{where}: 'subtype' must be a string")
    attributes = parse_attributes(envelope.get("attributes"), where)
    # The id that counts is attributes.id (PROTOCOL 2.3); a top-level id is informational.
    object_id = _check_name(attributes.get("id"), "'attributes.id'", where)
    top_id = envelope.get("id")
    if top_id is not None and type(top_id) is not str:
        raise bad_request(f"{where}: top-level 'id' must be a string")
    return Incoming(type_name, object_id, subtype, strip_doc(attributes, object_id), envelope)


def strip_doc(attributes: dict, object_id: str) -> dict:
    """Incoming `doc` is the sender's idea of the document: drop it; pin `id`."""
    if "doc" in attributes or attributes.get("id") != object_id:
        attributes = {k: v for k, v in attributes.items() if k != "doc"}
        attributes["id"] = object_id
    return attributes


def parse_envelope_list(body: Any) -> list[Incoming]:
    if type(body) is not list:
        raise bad_request("body must be a JSON list of object envelopes")
    return [parse_envelope(envelope, i) for i, envelope in enumerate(body)]


_JSON_SPACE = b" \t\n\r"


def _trimmed(body: bytes, start: int, end: int) -> tuple[int, int]:
    """`start` and `end` moved past JSON whitespace at either end of body[start:end]."""
    while start < end and body[start] in _JSON_SPACE:
        start += 1
    while end > start and body[end - 1] in _JSON_SPACE:
        end -= 1
    return start, end


def only_item_text(body: bytes) -> memoryview | None:
    """The text of the one item of `body`, a JSON list of exactly one item (as parsed), without
    a copy; None for a body of another kind."""
    if type(body) is not bytes:  # a mutable buffer could change under the view
        return None
    # The body parsed as a list: after the whitespace it is [ ... ], and nothing else.
    start, end = _trimmed(body, 0, len(body))
    if end - start < 2 or body[start] != 0x5B or body[end - 1] != 0x5D:
        return None
    start, end = _trimmed(body, start + 1, end - 1)
    return memoryview(body)[start:end]


def make_ref(type_name: str, object_id: str) -> dict:
    return {"type": type_name, "id": object_id}


def envelope(type_name: str, object_id: str, attributes: dict, docid: str,
             subtype: str | None = None) -> dict:
    """The envelope the server sends: attributes always carry `id` and the real `doc`."""
    attrs = dict(attributes)
    attrs["id"] = object_id
    attrs["doc"] = docid
    env = {"type": type_name, "id": object_id, "attributes": attrs}
    if subtype:
        env["subtype"] = subtype
    return env


# --- WebSocket messages -----------------------------------------------------------------------

def modelpush_json(encoded_envelopes: list) -> bytes:
    """`modelpush` of envelopes that are already encoded."""
    # One join, so a large envelope is copied once (concatenation copied it twice).
    return b"".join(modelpush_parts(encoded_envelopes))


def modelpush_parts(encoded_envelopes: list) -> list:
    """The pieces of a `modelpush`, for a caller that joins them into something larger."""
    parts = [b'{"msgtype":"modelpush","modelspecs":[']
    for i, encoded in enumerate(encoded_envelopes):
        if i:
            parts.append(b",")
        parts.append(encoded)
    parts.append(b"]}")
    return parts


def json_list(encoded_items: list[bytes]) -> bytes:
    return b"[" + b",".join(encoded_items) + b"]"


def modeldel(envelopes: list[dict]) -> dict:
    return {"msgtype": "modeldel", "modelspecs": envelopes}


DOCCHANGE = {"msgtype": "docchange"}


def status_message(topic: str, client_id: str) -> dict:
    return {"msgtype": "status", "status": ["subscribesuccess", topic, client_id]}


UNAUTHORIZED = {"msgtype": "error", "error_msg": "unauthorized"}


def frame_text(topic: str, message: bytes) -> bytes:
    """`<topic>:<json>`: receivers split at the second colon (the topic holds one itself)."""
    return topic.encode() + b":" + message


def plot_topic(docid: str) -> str:
    return "bokehplot:" + docid


def user_topic(username: str) -> str:
    return "bokehuser:" + username

"""Replays captured bokeh-server 0.10 traffic (tests/fixtures/*.json) against a live plotserver
and compares every answer with what the original sent, once generated ids are mapped.

Ids the server generates (docids, keys, PlotContext ids, WebSocket client ids) differ between
runs: the first time a fixture id meets a value of ours at the same place, the two are bound,
and from then on requests are rewritten with our id and answers must agree with the binding.
Lists of JSON objects are compared as unordered sets; `subtype` keys are ignored (PROTOCOL
quirk 8: echoing or dropping them are both compatible)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import requests
import websocket

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Request headers that carry meaning; the rest (user agents, fetch metadata) are noise.
FORWARDED_HEADERS = {"content-type", "bokehuser", "bokehuser-api-key", "bokeh-api-key", "origin",
                     "access-control-request-headers", "access-control-request-method"}
IGNORED_KEYS = {"subtype"}


class Mismatch(AssertionError):
    pass


class IdMap:
    def __init__(self, host_pairs=()):
        self.forward: dict[str, str] = {}
        self.backward: dict[str, str] = {}
        self.host_pairs = list(host_pairs)  # [(fixture "host:port", ours)]
        # session cookie value the original set -> the one plotserver set in its place
        self.cookies: dict[str, str] = {}

    def copy(self) -> "IdMap":
        other = IdMap(self.host_pairs)
        other.forward = dict(self.forward)
        other.backward = dict(self.backward)
        other.cookies = self.cookies
        return other

    def bind(self, theirs: str, ours: str) -> bool:
        if theirs in self.forward:
            return self.forward[theirs] == ours
        if self.backward.get(ours, theirs) != theirs:
            return False
        self.forward[theirs] = ours
        self.backward[ours] = theirs
        return True

    def text(self, value: str) -> str:
        for theirs, ours in self.host_pairs:
            value = value.replace(theirs, ours)
        return UUID.sub(lambda m: self.forward.get(m.group(0), m.group(0)), value)

    def value(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        return value


def match(expected, actual, ids: IdMap, path: str = "$") -> None:
    """Raise Mismatch unless `actual` equals `expected` modulo id bindings (which it extends)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise Mismatch(f"{path}: expected an object, got {actual!r:.200}")
        want = set(expected) - IGNORED_KEYS
        have = set(actual) - IGNORED_KEYS
        if want != have:
            raise Mismatch(f"{path}: keys differ: missing {sorted(want - have)}, "
                           f"extra {sorted(have - want)}")
        for key in sorted(want):
            match(expected[key], actual[key], ids, f"{path}.{key}")
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            raise Mismatch(f"{path}: expected a list of {len(expected)}, got {actual!r:.300}")
        if expected and all(isinstance(e, dict) for e in expected):
            _match_unordered(expected, actual, ids, path)
        else:
            for i, (e, a) in enumerate(zip(expected, actual)):
                match(e, a, ids, f"{path}[{i}]")
    elif isinstance(expected, str):
        if not isinstance(actual, str):
            raise Mismatch(f"{path}: expected a string {expected!r}, got {actual!r}")
        if UUID.fullmatch(expected):
            if not ids.bind(expected, actual):
                raise Mismatch(f"{path}: id {expected} is bound to {ids.forward.get(expected)}, "
                               f"got {actual}")
        elif ids.text(expected) != actual:
            raise Mismatch(f"{path}: expected {ids.text(expected)!r}, got {actual!r}")
    else:
        if type(expected) is not type(actual) or expected != actual:
            raise Mismatch(f"{path}: expected {expected!r}, got {actual!r}")


def _match_unordered(expected: list, actual: list, ids: IdMap, path: str) -> None:
    """Find a one-to-one pairing under which every element matches (backtracking)."""
    used = [False] * len(actual)

    def search(i: int, current: IdMap) -> IdMap | None:
        if i == len(expected):
            return current
        for j, candidate in enumerate(actual):
            if used[j]:
                continue
            trial = current.copy()
            try:
                match(expected[i], candidate, trial, f"{path}[{i}]")
            except Mismatch:
                continue
            used[j] = True
            found = search(i + 1, trial)
            if found is not None:
                return found
            used[j] = False
        return None

    result = search(0, ids)
    if result is None:
        # Report the first element without a partner, with the nearest candidate's reason.
        reasons = []
        for i, e in enumerate(expected):
            errors = []
            for a in actual:
                try:
                    match(e, a, ids.copy(), f"{path}[{i}]")
                    break
                except Mismatch as exc:
                    errors.append(str(exc))
            else:
                reasons.append(f"no partner for {json.dumps(e)[:200]}; e.g. {errors[:2]}")
                break
        raise Mismatch(f"{path}: unordered lists differ: {reasons or 'ambiguous pairing'}")
    ids.forward, ids.backward = result.forward, result.backward


@dataclass
class Divergence:
    """Where plotserver deliberately answers differently from the original."""

    reason: str
    status: int | None = None  # None: the original's status
    body: object = field(default=None)  # expected JSON body (ids still the fixture's)
    check_body: bool = True


SESSION_COOKIE = re.compile(r"(?:^|;\s*)session=([^;]*)")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM_PAGES = ("/bokeh/login", "/bokeh/register")


STATIC_PATH = re.compile(r"^(/[^/]+)*/(bokehjs/static|bokeh/static|static)/")


def _body_json(message: dict):
    if "body_json" in message:
        return message["body_json"]
    for key in ("body_raw", "body_text"):
        if message.get(key):
            return json.loads(message[key])
    return None


def _header(headers: list, name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _cors(headers) -> dict[str, str]:
    pairs = headers.items() if hasattr(headers, "items") else headers
    return {k.lower(): v for k, v in pairs if k.lower().startswith("access-control-")}


class Replayer:
    def __init__(self, server, fixture: dict, ids: IdMap | None = None):
        self.server = server
        self.fixture = fixture
        host = re.search(r"proxy on (\d+)", fixture["server"]).group(1)
        self.ids = ids or IdMap()
        self.ids.host_pairs.append((f"127.0.0.1:{host}", server.host))
        # and as it appears inside an encoded URL (a login redirect's `next`)
        self.ids.host_pairs.append((quote(f"127.0.0.1:{host}", safe=""),
                                    quote(server.host, safe="")))
        self.sockets: dict[int, websocket.WebSocket] = {}
        self.checked = 0

    def run(self, divergences: dict[int, Divergence] | None = None,
            skip: dict[int, str] | None = None, body_override: dict[int, object] | None = None):
        divergences = divergences or {}
        skip = skip or {}
        body_override = body_override or {}
        for event in self.fixture["events"]:
            seq = event["seq"]
            if seq in skip:
                continue
            try:
                self.replay(event, divergences.get(seq), body_override.get(seq))
            except Mismatch as exc:
                label = event.get("label") or ""
                raise Mismatch(f"{self.fixture['scenario']} #{seq} {label!r}: {exc}") from None
        for ws in self.sockets.values():
            ws.close()
        return self.checked

    def replay(self, event: dict, divergence: Divergence | None, body_override) -> None:
        kind = event["kind"]
        if kind == "websocket-frame":
            self._frame(event)
            return
        request = event["request"]
        if request["path"].endswith("/bokeh/sub") and event["response"]["status"] == 101:
            url = f"ws://{self.server.host}{self.ids.text(request['path'])}"
            self.sockets[event["conn"]] = websocket.create_connection(url, timeout=5)
            self.checked += 1
            return
        self._http(event, divergence, body_override)

    def _frame(self, event: dict) -> None:
        ws = self.sockets[event["conn"]]
        if event["direction"] == "client->server":
            if event["opcode"] == 1:
                ws.send(self.ids.text(event["text"]))
            elif event["opcode"] == 8:
                ws.close()
            return
        if event["opcode"] != 1:
            return  # the close echo
        text = ws.recv()
        self.checked += 1
        want_topic, want_body = _split_frame(event["text"])
        have_topic, have_body = _split_frame(text)
        match(want_topic, have_topic, self.ids, "frame topic")
        match(json.loads(want_body), json.loads(have_body), self.ids, "frame")

    def _http(self, event: dict, divergence: Divergence | None, body_override) -> None:
        request, expected = event["request"], event["response"]
        headers = {self.ids.text(k): self.ids.text(v) for k, v in request["headers"]
                   if k.lower() in FORWARDED_HEADERS or k.lower().startswith("temporary-")}
        if body_override is not None:
            body = json.dumps(self.ids.value(body_override)).encode()
        elif request.get("body_raw") is not None:
            body = self.ids.text(request["body_raw"]).encode()
        elif "body_json" in request:
            body = json.dumps(self.ids.value(request["body_json"])).encode()
        else:
            body = self.ids.text(request.get("body_text") or "").encode()
        url = f"http://{self.server.host}{self.ids.text(request['path'])}"
        cookie = SESSION_COOKIE.search(_header(request["headers"], "cookie") or "")
        if cookie and cookie.group(1) in self.ids.cookies:
            headers["Cookie"] = "session=" + self.ids.cookies[cookie.group(1)]
        if (request["method"] == "POST" and urlsplit(url).path.endswith(FORM_PAGES)
                and b"api=" not in body):
            body = self._with_form_token(url, headers, body)
        response = requests.request(request["method"], url, data=body or None,
                                    headers=headers, allow_redirects=False, timeout=10)
        self.checked += 1
        self._bind_cookie(expected, response, f"{request['method']} {request['path']}")
        where = f"{request['method']} {request['path']}"
        status = expected["status"]
        if divergence and divergence.status is not None:
            status = divergence.status
        if response.status_code != status:
            raise Mismatch(f"{where}: status {response.status_code}, want {status}: "
                           f"{response.text[:300]}")
        content_type = response.headers.get("Content-Type", "")
        if status >= 400:
            # plotserver's errors are JSON bodies naming the problem, never HTML pages.
            if content_type != "application/json":
                raise Mismatch(f"{where}: error content type {content_type!r}")
            error = response.json()
            if set(error) != {"error", "message"} or not error["message"]:
                raise Mismatch(f"{where}: error body {error!r}")
            if _cors(response.headers):
                raise Mismatch(f"{where}: CORS headers on an error answer")
            return
        if expected["status"] >= 400:
            # The original failed where plotserver succeeds: there is no captured answer to
            # compare headers with; the divergence names the expected body.
            if content_type != "application/json":
                raise Mismatch(f"{where}: content type {content_type!r}")
            self._compare_body(where, expected, response, divergence)
            return
        want_type = _header(expected["headers"], "content-type")
        if want_type and content_type.lower() != want_type.lower():
            raise Mismatch(f"{where}: content type {content_type!r}, want {want_type!r}")
        want_cors = {k: self.ids.text(v) for k, v in _cors(expected["headers"]).items()}
        if STATIC_PATH.match(urlsplit(url).path):
            # Declared divergence: static files allow any origin, so that an embed on another
            # site or an output_file() page opened from disk can run the loader's ES modules.
            want_cors = {"access-control-allow-origin": "*"}
        if _cors(response.headers) != want_cors:
            raise Mismatch(f"{where}: CORS headers {_cors(response.headers)}, want {want_cors}")
        for name in ("location",):
            want = _header(expected["headers"], name)
            if want is not None and response.headers.get(name) != self.ids.text(want):
                raise Mismatch(f"{where}: {name} {response.headers.get(name)!r}, want "
                               f"{self.ids.text(want)!r}")
        want_allow = _header(expected["headers"], "allow")
        if want_allow is not None:
            have = {m.strip() for m in response.headers.get("Allow", "").split(",")}
            if have != {m.strip() for m in want_allow.split(",")}:
                raise Mismatch(f"{where}: Allow {have}, want {want_allow}")
        self._compare_body(where, expected, response, divergence)

    def _with_form_token(self, url: str, headers: dict, body: bytes) -> bytes:
        """A browser posts a form it has loaded, with the form's token against cross-site
        request forgery (which the original did not have): load it, as the browser did."""
        page = requests.get(url, headers={k: v for k, v in headers.items()
                                          if k.lower() == "cookie"}, timeout=10)
        token = CSRF_FIELD.search(page.text)
        if token is None:
            raise Mismatch(f"GET {url}: no csrf_token field in the form page")
        if "session" in page.cookies:
            headers["Cookie"] = "session=" + page.cookies["session"]
        return body + b"&csrf_token=" + token.group(1).encode()

    def _bind_cookie(self, expected: dict, response, where: str) -> None:
        """Where the original set a session cookie, plotserver must set one too; later
        requests carrying the original's cookie carry plotserver's."""
        want = SESSION_COOKIE.search(_header(expected["headers"], "set-cookie") or "")
        if not want or not want.group(1):
            return
        have = SESSION_COOKIE.search(response.headers.get("Set-Cookie", ""))
        if not have or not have.group(1):
            raise Mismatch(f"{where}: no session cookie set (the original set one)")
        self.ids.cookies[want.group(1)] = have.group(1)

    def _compare_body(self, where, expected, response, divergence) -> None:
        if divergence is not None and not divergence.check_body:
            return
        if divergence is not None and divergence.body is not None:
            match(divergence.body, response.json(), self.ids, where)
            return
        if "body_summary" in expected:
            _match_summary(expected["body_summary"], response.json(), self.ids, where)
            return
        if "body_omitted" in expected or isinstance(expected.get("body_text"), dict):
            return  # static files and HTML pages: markup is not part of the protocol
        if "body_json" in expected or (expected.get("body_raw") or "").startswith(("{", "[")):
            match(_body_json(expected), response.json(), self.ids, where)
        elif expected.get("body_text") is not None or expected.get("body_raw") is not None:
            text = expected.get("body_text") or expected.get("body_raw") or ""
            if self.ids.text(text) != response.text:
                raise Mismatch(f"{where}: body {response.text[:200]!r}, want "
                               f"{self.ids.text(text)[:200]!r}")


def _match_summary(summary: dict, actual, ids: IdMap, where: str) -> None:
    """The capture kept only counts, types and ids of a long list: check those."""
    if isinstance(actual, dict):  # a modelpush, or a docinfo
        envelopes = actual["modelspecs"] if "modelspecs" in actual else actual["all_models"]
    else:
        envelopes = actual
    if len(envelopes) != summary["object_count"]:
        raise Mismatch(f"{where}: {len(envelopes)} objects, want {summary['object_count']}")
    if sorted({e["type"] for e in envelopes}) != sorted(summary["types"]):
        raise Mismatch(f"{where}: types {sorted({e['type'] for e in envelopes})}")
    ours = {e["id"] for e in envelopes}
    missing = [i for i in summary["ids"] if i in ids.forward and ids.forward[i] not in ours]
    if missing:
        raise Mismatch(f"{where}: known ids missing from the answer: {missing}")


def _split_frame(text: str) -> tuple[str, str]:
    """Topic and payload of `<kind>:<value>:<json>`: split at the second colon."""
    first = text.index(":")
    second = text.index(":", first + 1)
    return text[:second], text[second + 1:]

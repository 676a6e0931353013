"""What every view needs: the runtime, the current user, documents with permission checks,
the copy-on-write header, CORS marking and JSON responses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, request

from .. import protocol
from ..documents import DocumentStore
from ..models import Doc, User
from ..protocol import bad_request
from ..settings import Settings

JSON = "application/json"


@dataclass
class Runtime:
    settings: Settings
    store: DocumentStore
    bus: object
    backend: object


def runtime() -> Runtime:
    return current_app.extensions["plotserver"]


def mount_prefix() -> str:
    """The path prefix of every URL the server writes: what a reverse proxy stripped
    (SCRIPT_NAME, when PLOTSERVER_FORWARDED_PREFIX trusts X-Forwarded-Prefix) followed by --url-prefix."""
    return request.script_root + runtime().settings.url_prefix


def store() -> DocumentStore:
    return runtime().store


def json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, mimetype=JSON)


def model_json(value) -> Response:
    """Bodies holding objects or user info (PROTOCOL 2.2 'model-style')."""
    return json_response(protocol.dumps(value))


def status_json(value) -> Response:
    """Bodies the original produced with Flask's jsonify (status replies, keys)."""
    return json_response(protocol.jsonify_dumps(value))


def error_response(status: int, code: str, message: str) -> Response:
    return json_response(protocol.error_body(code, message), status)


# --- identity and permissions --------------------------------------------------------------

def current_user() -> User:
    """Single-user mode: always `defaultuser`; headers and cookies play no part (PROTOCOL 4.2)."""
    return store().default_user()


def temporary_docid(docid: str, header_value: str | None) -> str | None:
    """The copy-on-write id from the `temporary-<docid>` header (PROTOCOL 4.5), if any."""
    if not header_value:
        return None
    # The copy is stored under this id: insisting on the prefix keeps one document's writes
    # from ever landing in another document's storage through a crafted header.
    if (not header_value.startswith("temporary-") or ":" in header_value
            or len(header_value) > 200):
        raise bad_request(f"header temporary-{docid} must be 'temporary-' followed by an id "
                          "without ':'")
    return header_value


def lookup_document(documents: DocumentStore, docid: str, temporary_header: str | None,
                    write: bool = False, single_user_write: bool = False
                    ) -> tuple[Doc, str | None]:
    """The document and the request's temporary copy id, after the permission check for a
    read or a write (PROTOCOL 4.3). Single-user mode may read and write everything, so the
    check is the document's existence; multi-user rules slot in here. No Flask in here: the
    bulkupsert middleware (bulkupsert_middleware.py) calls it too, with `single_user_write`
    (the record may then come from memory: DocumentStore.known_doc)."""
    doc = documents.known_doc(docid) if single_user_write else documents.get_doc(docid)
    return doc, temporary_docid(docid, temporary_header)


def document_for(docid: str, write: bool = False) -> tuple[Doc, str | None]:
    return lookup_document(store(), docid, request.headers.get("temporary-" + docid), write)


# --- CORS ------------------------------------------------------------------------------------

_CORS_METHODS = "plotserver_cors_methods"


def cors(methods: str = "None"):
    """Mark a view as a CORS route. The original sent the literal `None` as allowed methods on
    all but the single-object route (quirk 18); browsers accept it for GET."""

    def mark(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        setattr(wrapper, _CORS_METHODS, methods)
        return wrapper

    return mark


def add_cors_headers(response: Response) -> Response:
    """after_request hook: CORS headers on successful answers of CORS routes (errors carry
    none, as in the original), including the automatic OPTIONS answers."""
    if response.status_code >= 400 or request.url_rule is None:
        return response
    view = current_app.view_functions.get(request.url_rule.endpoint)
    methods = getattr(view, _CORS_METHODS, None)
    if methods is None:
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Allow-Methods"] = methods
    headers["Access-Control-Max-Age"] = "21600"
    requested = request.headers.get("Access-Control-Request-Headers")
    if requested:
        headers["Access-Control-Allow-Headers"] = requested
    return response

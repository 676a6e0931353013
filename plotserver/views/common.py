"""What every view needs: the runtime, the current user, documents with permission checks,
the copy-on-write header, CORS marking and JSON responses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, g, request, session

from .. import auth, protocol
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


def json_response(body: bytes | memoryview, status: int = 200) -> Response:
    if isinstance(body, memoryview):
        # A view into a push's frame (DocumentStore.upsert): sent as it is, not copied
        # (werkzeug takes bytes whole but would iterate a bare memoryview).
        return Response([body], status=status, mimetype=JSON,
                        headers={"Content-Length": str(len(body))})
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

def caller() -> auth.Caller:
    """Who sends this request (PROTOCOL 4.2): in multi-user mode the user of the session
    cookie, else the one the BOKEHUSER headers prove, else anonymous; plus BOKEH-API-KEY."""
    found = g.get("plotserver_caller")
    if found is not None:
        return found
    rt = runtime()
    if not rt.settings.multi_user:
        found = auth.SINGLE_USER
    else:
        username = session.get("username")
        if username:
            user = rt.backend.get_user(username) if type(username) is str else None
            if user is not None and session.get("epoch") != user.session_epoch:
                user = None  # a cookie from before a logout or a password change
        else:
            user = auth.user_from_headers(rt.backend, request.headers.get("BOKEHUSER"),
                                          request.headers.get("BOKEHUSER-API-KEY"))
        found = auth.Caller(True, user, request.headers.get("BOKEH-API-KEY") or None)
    g.plotserver_caller = found
    return found


def current_user() -> User:
    """The user whose own data the request acts on: single-user mode's `defaultuser`, in
    multi-user mode the caller (401 "You must be logged in" for anonymous requests)."""
    who = caller()
    if not who.multi_user:
        return store().default_user()
    return auth.require_login(who)


def temporary_docid(docid: str, header_value: str | None) -> str | None:
    """The copy-on-write id from the `temporary-<docid>` header (PROTOCOL 4.5), if any."""
    if not header_value:
        return None
    # The copy is stored under this id: only 'temporary-' and an id made of letters, digits,
    # '-' and '_' (what pages send: 32 hex digits), so that a crafted header can never name
    # another document's storage or a key of something else.
    if not _TEMPORARY_ID.fullmatch(header_value):
        raise bad_request(f"header temporary-{docid} must be 'temporary-' followed by an id of "
                          "letters, digits, '-' and '_' (at most 100)")
    return header_value


_TEMPORARY_ID = re.compile(r"temporary-[A-Za-z0-9_-]{1,100}")


def lookup_document(documents: DocumentStore, docid: str, temporary_header: str | None,
                    who: auth.Caller, write: bool = False, use_temporary: bool = True
                    ) -> tuple[Doc, str | None]:
    """The document and the request's temporary copy id, once `who` may read it (or write
    it, or its copy) (auth.require_document). No Flask in here: the bulkupsert middleware
    calls it too. A write without a copy may take the record from memory
    (DocumentStore.known_doc): what it is checked against (its keys and rw_users) never
    changes through the API. `use_temporary=False`: the header is ignored (publish)."""
    temporary = temporary_docid(docid, temporary_header) if use_temporary else None
    if write and temporary is None:
        doc = documents.known_doc(docid)
    else:
        doc = documents.get_doc(docid)
    auth.require_document(doc, who, write, temporary is not None)
    return doc, temporary


def document_for(docid: str, write: bool = False, use_temporary: bool = True
                 ) -> tuple[Doc, str | None]:
    return lookup_document(store(), docid, request.headers.get("temporary-" + docid), caller(),
                           write, use_temporary)


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

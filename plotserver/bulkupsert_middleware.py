"""The hottest route answered in front of Flask: POST <prefix>/bokeh/bb/<docid>/bulkupsert.

A streaming script calls it many times a second, and Flask's request machinery (request
context, URL matching, hooks, Response object) costs more than the upsert it wraps (measured:
+0.3 ms per request on a 0.4 ms round trip). This WSGI middleware calls the very function the
Flask view calls, so both answer alike; anything else about the route (405 for other methods,
a trailing slash, ...) still goes through Flask, as does every other request.

Multi-user requests take this path when they carry no cookie (a streaming script whose
credentials come from its saved configuration sends the BOKEHUSER headers only); a session
cookie is Flask's to read, so those requests go through Flask."""

from __future__ import annotations

import logging
import time

from . import auth
from .backends import UNAVAILABLE_MESSAGE, StorageUnavailable
from .protocol import ApiError, error_body, status_line
from .views.backbone import bulk_upsert_reply
from .views.common import Runtime

log = logging.getLogger("plotserver.server")

ROUTE_END = "/bulkupsert"
# Seconds a user proved by headers is taken on trust again; how many are kept at most.
USER_TTL = 5.0
KNOWN_USERS = 10_000


class BulkUpsertMiddleware:
    def __init__(self, app, rt: Runtime):
        self.app = app
        self.multi_user = rt.settings.multi_user
        self.backend = rt.backend
        self._users: dict[tuple, tuple] = {}  # (username, key) -> (User, valid until)
        self.documents = rt.store
        self.route_start = rt.settings.url_prefix + "/bokeh/bb/"

    def __call__(self, environ: dict, start_response):
        path = environ["PATH_INFO"]
        if (environ["REQUEST_METHOD"] != "POST" or not path.endswith(ROUTE_END)
                or not path.startswith(self.route_start)
                or (self.multi_user and "HTTP_COOKIE" in environ)
                # Only a body the server has read whole and checked against the size limit
                # (plotserver.http does); otherwise Flask reads it.
                or not environ.get("wsgi.input_terminated")):
            return self.app(environ, start_response)
        docid = path[len(self.route_start):-len(ROUTE_END)]
        if not docid or "/" in docid:
            return self.app(environ, start_response)
        # Werkzeug's view of the same header: dashes become underscores, case folds.
        header = environ.get("HTTP_TEMPORARY_" + docid.upper().replace("-", "_"))
        try:
            status = "200 OK"
            body = bulk_upsert_reply(self.documents, docid, header, environ["wsgi.input"].read(),
                                     self._caller(environ))
        except ApiError as exc:
            status, body = status_line(exc.status), error_body(exc.code, exc.message)
        except StorageUnavailable as exc:
            log.warning("%s [POST]: storage unavailable: %s", path, exc)
            status, body = status_line(503), error_body("unavailable", UNAVAILABLE_MESSAGE)
        except Exception:
            log.exception("Exception on %s [POST]", path)
            status, body = status_line(500), error_body(
                "internal", "internal server error; see the server log")
        start_response(status, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(body)))])
        return [body]

    def _caller(self, environ: dict) -> auth.Caller:
        """As views.common.caller() answers for a request without a session cookie."""
        if not self.multi_user:
            return auth.SINGLE_USER
        return auth.Caller(True, self._user(environ.get("HTTP_BOKEHUSER"),
                                            environ.get("HTTP_BOKEHUSER_API_KEY")),
                           environ.get("HTTP_BOKEH_API_KEY") or None)

    def _user(self, username: str | None, userapikey: str | None):
        """The user the headers prove, remembered for USER_TTL seconds: a streaming script
        sends the same headers many times a second, and asking the store each time costs a
        Redis round trip. Only the username is used here (write permission), never the
        record's other fields; a user deleted or re-keyed meanwhile loses access within
        USER_TTL."""
        key = (username, userapikey)
        now = time.monotonic()
        known = self._users.get(key)
        if known is not None and known[1] > now:
            return known[0]
        user = auth.user_from_headers(self.backend, username, userapikey)
        if user is not None:
            if len(self._users) >= KNOWN_USERS:
                self._users.clear()
            self._users[key] = (user, now + USER_TTL)
        return user

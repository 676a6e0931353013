"""The hottest route answered in front of Flask: POST <prefix>/bokeh/bb/<docid>/bulkupsert.

A streaming script calls it many times a second, and Flask's request machinery (request
context, URL matching, hooks, Response object) costs more than the upsert it wraps (measured:
+0.3 ms per request on a 0.4 ms round trip). This WSGI middleware calls the very function the
Flask view calls, so both answer alike; anything else about the route (405 for other methods,
a trailing slash, ...) still goes through Flask, as does every other request.

Only single-user mode takes this path: multi-user identity lives in Flask's session cookie."""

from __future__ import annotations

import logging

from .backends import UNAVAILABLE_MESSAGE, StorageUnavailable
from .protocol import ApiError, error_body, status_line
from .views.backbone import bulk_upsert_reply
from .views.common import Runtime

log = logging.getLogger("plotserver.server")

ROUTE_END = "/bulkupsert"


class BulkUpsertMiddleware:
    def __init__(self, app, rt: Runtime):
        self.app = app
        self.enabled = not rt.settings.multi_user
        self.documents = rt.store
        self.route_start = rt.settings.url_prefix + "/bokeh/bb/"

    def __call__(self, environ: dict, start_response):
        path = environ["PATH_INFO"]
        if (environ["REQUEST_METHOD"] != "POST" or not path.endswith(ROUTE_END)
                or not path.startswith(self.route_start) or not self.enabled
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
                                     single_user=True)
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

"""create_app(settings): builds the store and the bus, registers the blueprints and turns
every error into a JSON body. No module builds an app at import time."""

from __future__ import annotations

import logging
import os
import secrets

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from .backends import UNAVAILABLE_MESSAGE, StorageUnavailable, create_backend
from .documents import DocumentStore
from .protocol import ERROR_CODES, ApiError
from .pubsub import create_bus
from .settings import Settings
from .views import backbone, documents, pages, users, ws
from .views.common import Runtime, add_cors_headers, error_response

log = logging.getLogger("plotserver.server")

def create_app(settings: Settings, backend=None, bus=None) -> Flask:
    settings.validate()
    # No Flask static route: pages.py serves static files itself (with the headers an embed needs).
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    # The session cookie: out of scripts' reach, and not sent along with requests other
    # sites make (cross-site request forgery); Secure when served over TLS.
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=bool(settings.https))
    # A client only ever sends small subscribe messages; refuse anything that could not be
    # one instead of buffering it (simple-websocket closes the connection with 1009).
    app.config["SOCK_SERVER_OPTIONS"] = {"max_message_size": 64 * 1024}
    # Large documents: never let Flask re-indent or sort JSON; views encode bodies themselves.
    app.json.sort_keys = False

    backend = backend or create_backend(settings)
    bus = bus or create_bus(settings, backend)
    app.config["SECRET_KEY"] = _session_secret(settings, backend)
    store = DocumentStore(backend, bus)
    if hasattr(bus, "on_reconnect") and hasattr(backend, "forget_cached"):
        def forget_cached() -> None:
            backend.forget_cached()
            store.forget_cached()
        bus.on_reconnect = forget_cached
    app.extensions["plotserver"] = Runtime(settings, store, bus, backend)

    prefix = settings.url_prefix or None
    for blueprint in (documents.bp, backbone.bp, pages.bp, users.bp, ws.bp):
        app.register_blueprint(blueprint, url_prefix=prefix)
    app.register_blueprint(pages.root_static_bp)

    if settings.forwarded_prefix:
        # X-Forwarded-Prefix becomes SCRIPT_NAME: the prefix a proxy stripped is put back
        # into every URL the server writes (views/common.py mount_prefix).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=0, x_host=0, x_port=0, x_prefix=1)

    app.after_request(add_cors_headers)
    app.after_request(add_security_headers)
    _register_error_handlers(app)
    return app


def _session_secret(settings: Settings, backend) -> bytes:
    if settings.secret_key:
        return settings.secret_key
    if settings.multi_user and hasattr(backend, "get_or_create_value"):
        return backend.get_or_create_value("session-secret", lambda: secrets.token_hex(32)).encode()
    return os.urandom(32)


# Pages run plotserver's own scripts and nothing else: no inline scripts, no other origins.
# Images may come from anywhere (image_url glyphs name their URLs); the WebSocket may be on
# another host (--ws-conn-string).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; worker-src 'self'; "
                           "style-src 'self' 'unsafe-inline'; img-src * data: blob:; "
                           "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'")


def add_security_headers(response):
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        if exc.status >= 500:
            log.error("Exception on %s [%s]: %s", request.path, request.method, exc.message)
        return error_response(exc.status, exc.code, exc.message)

    def storage_unavailable(exc: Exception):
        log.warning("%s [%s]: storage unavailable: %s", request.path, request.method, exc)
        return error_response(503, "unavailable", UNAVAILABLE_MESSAGE)

    for error in StorageUnavailable:
        app.register_error_handler(error, storage_unavailable)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc  # redirects (a missing trailing slash answers 308) pass through
        response = error_response(exc.code, ERROR_CODES.get(exc.code, "error"), exc.description)
        if exc.code == 405:
            response.headers["Allow"] = exc.get_response().headers.get("Allow", "")
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("Exception on %s [%s]", request.path, request.method)
        return error_response(500, "internal", "internal server error; see the server log")

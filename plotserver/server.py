"""Running the app: gevent's WSGI server, the access log in the original's format, the start-up
banner, and a clean stop on SIGTERM / Ctrl-C. The caller has already monkey-patched."""

from __future__ import annotations

import logging
import platform
import signal
import socket
import sys
import time

from gevent.pywsgi import WSGIHandler, WSGIServer

from . import __version__
from .app import create_app
from .settings import Settings

access_log = logging.getLogger("plotserver.access")
log = logging.getLogger("plotserver.server")

# The original never logged successful static-file requests.
_QUIET_PREFIXES = ("200 GET /static", "200 GET /bokehjs/static")


class PlotserverHandler(WSGIHandler):
    """gevent's handler with TCP_NODELAY, our access log, and hands-off after a WebSocket
    upgrade (the socket then belongs to the WebSocket, not to HTTP)."""

    def handle(self):
        try:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass
        super().handle()

    def process_result(self):
        if self.environ.get("plotserver.upgraded"):
            # The handshake and all frames went out on the WebSocket; write nothing more.
            self.close_connection = True
            self.status = self.status or "101 Switching Protocols"
            return
        super().process_result()

    def log_request(self):
        status = (self._orig_status or self.status or "000").split()[0]
        if self.environ.get("plotserver.upgraded"):
            status = "101"
        elapsed_ms = ((self.time_finish or time.time()) - self.time_start) * 1000.0
        uri = self.environ.get("PATH_INFO", "")
        query = self.environ.get("QUERY_STRING")
        if query:
            uri += "?" + query
        client = self.client_address[0] if isinstance(self.client_address, tuple) else "-"
        line = f"{status} {self.command} {uri} ({client}) {elapsed_ms:.2f}ms"
        if line.startswith(_QUIET_PREFIXES):
            return
        code = int(status) if status.isdigit() else 500
        level = logging.ERROR if code >= 500 else logging.WARNING if code >= 400 else logging.INFO
        access_log.log(level, line)


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=logging.DEBUG if settings.debug else logging.INFO,
        format="%(asctime)s:%(levelname)s:%(name)s:%(message)s",
        stream=sys.stderr,
        force=True,
    )


def banner(settings: Settings) -> str:
    def on(flag: bool) -> str:
        return "ON" if flag else "OFF"

    backend = settings.backend
    if backend == "redis":
        backend = (f"redis (start=True, port={settings.redis_port})" if settings.start_redis
                   else "redis (start=False)")
    lines = [
        "Bokeh Server Configuration",
        "==========================",
        f"python version : {platform.python_version()}",
        f"bokeh version  : 0.10.0 protocol (plotserver {__version__})",
        f"listening      : {settings.ip}:{settings.port}",
        f"backend        : {backend}",
        f"python options : debug:{on(settings.debug)}, verbose:{on(settings.verbose)}, "
        f"filter-logs:{on(settings.filter_logs)}, multi-user:{on(settings.multi_user)}",
        f"js options     : debugjs:{on(settings.debugjs)}",
        "",
    ]
    return "\n" + "\n".join("    " + line for line in lines)


def serve(settings: Settings) -> None:
    app = create_app(settings)
    ssl_args = {}
    if settings.https:
        if settings.https_certfile and settings.https_keyfile:
            ssl_args = {"certfile": settings.https_certfile, "keyfile": settings.https_keyfile}
        else:
            log.warning("WARNING: --https-certfile or --https-keyfile are not specified, "
                        "using http instead")
    server = WSGIServer((settings.ip, settings.port), app, handler_class=PlotserverHandler,
                        log=None, error_log=logging.getLogger("plotserver.wsgi"), **ssl_args)
    try:
        server.init_socket()  # bind now, so a taken port fails before the banner claims success
    except OSError as exc:
        print(f"plotserver: cannot listen on {settings.ip}:{settings.port}: {exc.strerror or exc}",
              file=sys.stderr)
        sys.exit(1)
    if not settings.debug:
        print(banner(settings), flush=True)

    def stop(*_):
        print("Shutting down bokeh-server ...", flush=True)
        server.stop(timeout=1)

    import gevent

    gevent.signal_handler(signal.SIGTERM, stop)
    gevent.signal_handler(signal.SIGINT, stop)
    try:
        server.serve_forever()
    finally:
        app.extensions["plotserver"].backend.close()

"""Running the app: the HTTP server (http.py, gevent's pywsgi) with the bulkupsert middleware in
front of Flask, the start-up banner, logging, and a clean stop on SIGTERM / Ctrl-C. The caller
has already monkey-patched."""

from __future__ import annotations

import logging
import platform
import resource
import signal
import sys
import time

from . import __version__
from .app import create_app
from .bulkupsert_middleware import BulkUpsertMiddleware
from .http import HttpServer
from .settings import Settings

log = logging.getLogger("plotserver.server")


LOG_FORMAT = "%(asctime)s:%(levelname)s:%(name)s:%(message)s"
# Descriptors kept free of connections: static files, the backend, logging.
FD_RESERVE = 64


def configure_logging(settings: Settings) -> None:
    # The record fields no format here uses (caller's file and line, thread, process) cost
    # more to collect than a short line itself.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # no caller lookup (the stdlib's documented switch for this)
    logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO,
                        format=LOG_FORMAT, stream=sys.stderr, force=True)


def access_line_writer(stream):
    """The access log for a server whose logging `configure_logging` set up: the same line
    LOG_FORMAT gives, written straight to `stream`. Every request writes one; through the
    logging machinery (record, handler lock, formatter) a line cost ~30 µs, about a tenth of
    the server's CPU for a small upsert, written here ~3 µs (measured in a loop). The
    logger's level still decides what is written."""
    logger = logging.getLogger("plotserver.access")
    cached = [-1, ""]  # the second last formatted, and its text

    def write(level: int, line: str) -> None:
        if not logger.isEnabledFor(level):
            return
        now = time.time()
        second = int(now)
        if cached[0] != second:
            cached[:] = [second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))]
        try:
            stream.write(f"{cached[1]},{int((now - second) * 1000):03d}:"
                         f"{logging.getLevelName(level)}:plotserver.access:{line}\n")
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stderr must not take requests down with it

    return write


def banner(settings: Settings) -> str:
    def on(flag: bool) -> str:
        return "ON" if flag else "OFF"

    backend = settings.backend
    if backend in ("sqlite", "shelve"):
        backend = f"{backend} ({settings.sqlite_path})"
    if backend == "redis" and settings.redis_url:
        from .backends.redisdb import shown_url

        backend = f"redis (url={shown_url(settings.redis_url)})"
    elif backend == "redis":
        backend = (f"redis (start=True, port={settings.redis_port})" if settings.start_redis
                   else "redis (start=False)")
    lines = [
        "Bokeh Server Configuration",
        "==========================",
        f"python version : {platform.python_version()}",
        f"bokeh version  : 0.10.0 protocol (plotserver {__version__})",
        f"listening      : {settings.ip}:{settings.port}"
        + (f" ({settings.workers} worker processes)" if settings.workers > 1 else ""),
        f"backend        : {backend}",
        f"python options : debug:{on(settings.debug)}, verbose:{on(settings.verbose)}, "
        f"filter-logs:{on(settings.filter_logs)}, multi-user:{on(settings.multi_user)}",
        f"js options     : debugjs:{on(settings.debugjs)}",
        "",
    ]
    return "\n" + "\n".join("    " + line for line in lines)


def connection_cap(wanted: int) -> int:
    """Connections beyond the process's open-file limit would fail at accept (EMFILE) and
    starve everything else that needs a descriptor; stay below it."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - FD_RESERVE))


def serve(settings: Settings) -> None:
    app = create_app(settings)
    ssl_args = {}
    if settings.https:
        if settings.https_certfile and settings.https_keyfile:
            ssl_args = {"certfile": settings.https_certfile, "keyfile": settings.https_keyfile}
        else:
            log.warning("WARNING: --https-certfile or --https-keyfile are not specified, "
                        "using http instead")
    server = HttpServer((settings.ip, settings.port),
                        BulkUpsertMiddleware(app, app.extensions["plotserver"]),
                        max_body_bytes=settings.max_body_bytes,
                        idle_timeout=settings.idle_timeout,
                        max_connections=connection_cap(settings.max_connections),
                        access_log=access_line_writer(sys.stderr),
                        reuse_port=settings.worker_process, **ssl_args)
    try:
        server.init_socket()  # bind now, so a taken port fails before the banner claims success
    except OSError as exc:
        print(f"plotserver: cannot listen on {settings.ip}:{settings.port}: {exc.strerror or exc}",
              file=sys.stderr)
        sys.exit(1)
    if not settings.debug and not settings.worker_process:  # workers: the parent's banner
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
        runtime = app.extensions["plotserver"]
        runtime.bus.close()
        runtime.backend.close()

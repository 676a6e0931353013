"""A lean HTTP/1.1 server for WSGI apps, on gevent's StreamServer: one greenlet per connection.

Why not gevent.pywsgi: a streaming client writes a few hundred bytes many times a second, and
pywsgi parses every request's headers with the standard library's email parser; that alone
cost more than the whole upsert behind it (measured: a do-nothing app answered in 0.38-0.43 ms
p50 on pywsgi, 0.22 ms on a hand-written loop). This module does only what the plot server
needs, strictly:

* keep-alive (HTTP/1.1 default, HTTP/1.0 on request) and pipelined requests in order; a
  connection that stays silent between requests, or sends a request too slowly, is closed
  after `idle_timeout` seconds (a browser or client simply reconnects);
* request bodies by Content-Length or chunked, read whole before the app runs, with a size
  limit answered by 413 (the body is never silently cut short);
* `Expect: 100-continue`;
* responses written with one send where they fit, Content-Length added when the app gave none;
* a WebSocket upgrade hands the socket to the app (as `werkzeug.socket`, which flask-sock
  understands); the app marks the environ with `plotserver.upgraded` and the connection is
  no longer HTTP;
* malformed requests get a JSON 4xx and the connection is closed;
* an optional `fast_lane(environ, body)` answers a few hot routes before the WSGI app runs;
* the access log line of the original: `<status> <METHOD> <uri> (<ip>) <ms>ms`.
"""

from __future__ import annotations

import io
import logging
import re
import socket
import sys
import time
from typing import Callable
from urllib.parse import unquote_to_bytes

import gevent
from gevent.server import StreamServer

from .protocol import ERROR_CODES, error_body, status_line

access_log = logging.getLogger("plotserver.access")
log = logging.getLogger("plotserver.http")

MAX_HEAD_BYTES = 64 * 1024  # request line + headers
MAX_HEADERS = 200
RECV_BYTES = 64 * 1024
BODY_RECV_BYTES = 1024 * 1024  # bodies grow as they arrive, never by their declared size
# After refusing a request, how long to read (and discard) what the client still sends, so
# that it sees the refusal rather than a connection reset.
LINGER_SECONDS = 1.0

# Strict grammar (RFC 9110/9112): anything looser is how one server's request becomes two
# requests to another. No control characters but tab in a head; header names are tokens.
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DIGITS = re.compile(r"[0-9]{1,19}")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
# Bodies up to this size are sent in the same write as the headers.
ONE_WRITE_BYTES = 1024 * 1024

# The original never logged successful static-file requests.
_QUIET_PREFIXES = ("200 GET /static", "200 GET /bokehjs/static")
_NO_BODY_STATUSES = (b"1", b"204", b"304")

FastLane = Callable[[dict, bytes], "tuple[str, list[tuple[str, str]], bytes] | None"]
# Writes one access line at a logging level; by default through the `plotserver.access` logger.
AccessLog = Callable[[int, str], None]


class HttpError(Exception):
    """A request this server refuses before any app sees it."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class _ConnectionGone(Exception):
    """The peer closed the connection in the middle of a request."""


class HttpServer(StreamServer):
    def __init__(self, listener, app, *, max_body_bytes: int, idle_timeout: float = 300.0,
                 fast_lane: FastLane | None = None, access_log: AccessLog | None = None,
                 **ssl_args):
        super().__init__(listener, **ssl_args)
        self.app = app
        self.idle_timeout = idle_timeout
        self.fast_lane = fast_lane
        self.access_log = access_log or _access_log_via_logging
        self.max_body_bytes = max_body_bytes
        self.url_scheme = "https" if ssl_args else "http"

    def wrap_socket_and_handle(self, client_socket, address) -> None:
        """TLS: the handshake gets the idle timeout too (a client that connects and never
        says hello must not hold a connection forever); a failed handshake is just closed."""
        client_socket.settimeout(self.idle_timeout)
        try:
            tls_socket = self.wrap_socket(client_socket, **self.ssl_args)
        except (OSError, ValueError) as exc:
            log.debug("TLS handshake with %s failed: %s", address, exc)
            client_socket.close()
            return
        self.handle(tls_socket, address)

    def handle(self, sock, address) -> None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass
        connection = _Connection(self, sock, address)
        try:
            connection.serve()
        except (_ConnectionGone, ConnectionError, TimeoutError):
            pass
        except OSError as exc:
            log.debug("connection from %s ended: %s", address, exc)
        except Exception:
            log.exception("HTTP connection from %s failed", address)
        finally:
            if not connection.upgraded:
                sock.close()


class _Connection:
    def __init__(self, server: HttpServer, sock, address):
        self.server = server
        self.sock = sock
        self.address = address
        self.client_ip = address[0] if isinstance(address, tuple) else "-"
        self.buffer = bytearray()
        self.upgraded = False

    # --- reading ------------------------------------------------------------------------------

    def _fill(self, size: int = RECV_BYTES) -> bool:
        data = self.sock.recv(size)
        if not data:
            return False
        self.buffer += data
        return True

    def _read_head(self) -> bytes | None:
        """Bytes of the request line and headers, or None when the peer closed between requests."""
        buffer = self.buffer
        while True:
            # Stray CRLFs between pipelined requests are allowed (RFC 9112 2.2).
            while buffer[:2] == b"\r\n":
                del buffer[:2]
            end = buffer.find(b"\r\n\r\n")
            if 0 <= end <= MAX_HEAD_BYTES:
                head = bytes(buffer[:end])
                del buffer[:end + 4]
                return head
            if end < 0 and b"\n\n" in buffer:
                raise HttpError(400, "request lines must end with CRLF")
            if end > MAX_HEAD_BYTES or len(buffer) > MAX_HEAD_BYTES:
                raise HttpError(431, f"request line and headers exceed {MAX_HEAD_BYTES} bytes")
            if not self._fill():
                if buffer:
                    raise _ConnectionGone()
                return None

    def _read_exactly(self, n: int) -> bytes:
        buffer = self.buffer
        while len(buffer) < n:
            # The buffer grows with what arrives: a declared length costs nothing up front.
            if not self._fill(min(n - len(buffer), BODY_RECV_BYTES)):
                raise _ConnectionGone()
        data = bytes(buffer[:n])
        del buffer[:n]
        return data

    def _read_line(self) -> bytes:
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[:end + 2]
                return line
            if len(self.buffer) > MAX_HEAD_BYTES:
                raise HttpError(400, "chunk header line too long")
            if not self._fill():
                raise _ConnectionGone()

    def _read_chunked(self, limit: int) -> bytes:
        body = bytearray()
        while True:
            line = self._read_line()
            size_text, _, extension = line.partition(b";")
            if not _CHUNK_SIZE.fullmatch(size_text) or _CONTROL.search(extension):
                raise HttpError(400, f"malformed chunk size line {line[:40]!r}")
            size = int(size_text, 16)
            if size == 0:
                self._skip_trailers()
                return bytes(body)
            if len(body) + size > limit:
                raise HttpError(413, f"request body is larger than the limit of {limit} bytes")
            body += self._read_exactly(size)
            if self._read_exactly(2) != b"\r\n":
                raise HttpError(400, "chunk not followed by CRLF")

    def _skip_trailers(self) -> None:
        """Trailer fields after the last chunk, up to the empty line; ignored, but bounded."""
        total = 0
        for _ in range(MAX_HEADERS + 1):
            line = self._read_line()
            if not line:
                return
            total += len(line)
            if total > MAX_HEAD_BYTES:
                break
        raise HttpError(431, "too many or too long trailers")

    # --- the request loop ---------------------------------------------------------------------

    def serve(self) -> None:
        while self._serve_one():
            pass

    def _serve_one(self) -> bool:
        """Read one request, answer it; False when the connection is done."""
        idle_timeout = self.server.idle_timeout
        started = time.perf_counter()
        method = uri = "-"
        try:
            # The silence before a request and the whole request itself must fit in the
            # timeout: a client sending a byte a second cannot hold a connection forever.
            with gevent.Timeout(idle_timeout, TimeoutError):
                head = self._read_head()
                if head is None:
                    return False
                started = time.perf_counter()
                method, uri, version, headers = _parse_head(head)
                environ = self._environ(method, uri, version, headers)
                # HTTP/1.0 cannot delimit a chunked request reliably: close after it.
                closes = version == "HTTP/1.0" and "HTTP_TRANSFER_ENCODING" in environ
                body = self._read_body(environ, version)
        except HttpError as exc:
            self._refuse(exc, started, method, uri)
            return False
        keep_alive = not closes and _wants_keep_alive(version, environ.get("HTTP_CONNECTION", ""))
        # The app runs without a timeout: a WebSocket it takes over may stay quiet for hours.
        self.sock.settimeout(None)
        status = self._respond(environ, body, keep_alive)
        if status is None:  # the app failed; _respond answered and the connection ends
            return False
        if self.upgraded:
            self._log("101", method, uri, started)
            return False
        self._log(status, method, uri, started)
        return keep_alive

    def _environ(self, method: str, uri: str, version: str, headers: list[tuple[str, str]]) -> dict:
        path, _, query = uri.partition("?")
        if path.startswith(("http://", "https://")):  # absolute-form target
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        server_name, server_port = self.server.server_host, self.server.server_port
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            # WSGI wants the decoded path as a latin-1 string of its bytes (`path` is the
            # raw bytes as latin-1 text already).
            "PATH_INFO": unquote_to_bytes(path.encode("latin-1")).decode("latin-1"),
            "QUERY_STRING": query,
            "RAW_URI": uri,
            "SERVER_NAME": str(server_name),
            "SERVER_PORT": str(server_port),
            "SERVER_PROTOCOL": version,
            "REMOTE_ADDR": self.client_ip,
            "REMOTE_PORT": str(self.address[1]) if isinstance(self.address, tuple) else "",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self.server.url_scheme,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.input_terminated": True,
            # flask-sock (simple-websocket) takes the socket from here for an upgrade.
            "werkzeug.socket": self.sock,
        }
        for name, value in headers:
            if "_" in name:
                # HTTP_X_Y could then be spoofed by "x_y" as well as "x-y": drop these, as
                # gevent and most servers do.
                continue
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            previous = environ.get(key)
            environ[key] = value if previous is None else previous + "," + value
        return environ

    def _read_body(self, environ: dict, version: str) -> bytes:
        limit = self.server.max_body_bytes
        transfer_encoding = environ.pop("HTTP_TRANSFER_ENCODING", "").strip(" \t").lower()
        length_text = environ.get("CONTENT_LENGTH", "")
        if transfer_encoding:
            if transfer_encoding != "chunked":
                raise HttpError(501, f"transfer encoding {transfer_encoding!r} is not supported")
            if length_text:
                raise HttpError(400, "both Content-Length and Transfer-Encoding were given")
            self._continue_if_expected(environ, version)
            body = self._read_chunked(limit)
        elif length_text:
            if not _DIGITS.fullmatch(length_text):
                raise HttpError(400, f"bad Content-Length {length_text[:40]!r}")
            length = int(length_text)
            if length > limit:
                raise HttpError(413, f"request body is larger than the limit of {limit} bytes")
            if length:
                self._continue_if_expected(environ, version)
            body = self._read_exactly(length) if length else b""
        else:
            body = b""
        environ["CONTENT_LENGTH"] = str(len(body)) if body or length_text else ""
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def _continue_if_expected(self, environ: dict, version: str) -> None:
        if version == "HTTP/1.1" and environ.get("HTTP_EXPECT", "").lower() == "100-continue":
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    # --- answering ----------------------------------------------------------------------------

    def _respond(self, environ: dict, body: bytes, keep_alive: bool) -> str:
        fast_lane = self.server.fast_lane
        answer = fast_lane(environ, body) if fast_lane is not None else None
        if answer is not None:
            status, headers, payload = answer
            self._write(environ, status, headers, [payload], keep_alive)
            return status

        started: list = []

        def start_response(status, headers, exc_info=None):
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return written.append

        written: list[bytes] = []
        try:
            result = self.server.app(environ, start_response)
            try:
                if environ.get("plotserver.upgraded"):
                    # The WebSocket has had the socket and is done with it: write nothing.
                    self.upgraded = True
                    return "101"
                written.extend(chunk for chunk in result if chunk)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            status, headers = started
        except Exception:
            # Flask turns its own errors into responses; this is a bug outside of them.
            log.exception("unhandled error in the WSGI app for %s", environ["PATH_INFO"])
            if not self.upgraded:
                self._refuse(HttpError(500, "internal server error; see the server log"),
                             time.perf_counter(), environ["REQUEST_METHOD"],
                             environ.get("RAW_URI", "-"))
            return None
        self._write(environ, status, headers, written, keep_alive)
        return status

    def _write(self, environ: dict, status: str, headers: list, chunks: list[bytes],
               keep_alive: bool) -> None:
        # A client that stops reading must not hold the connection forever either.
        self.sock.settimeout(self.server.idle_timeout)
        status_bytes = status.encode("latin-1")
        has_body = not status_bytes.startswith(_NO_BODY_STATUSES)
        lines = [b"HTTP/1.1 ", status_bytes, b"\r\n"]
        has_length = has_date = False
        for name, value in headers:
            lowered = name.lower()
            has_length = has_length or lowered == "content-length"
            has_date = has_date or lowered == "date"
            lines += (name.encode("latin-1"), b": ", value.encode("latin-1"), b"\r\n")
        if has_body and not has_length:
            lines += (b"Content-Length: ", str(sum(map(len, chunks))).encode(), b"\r\n")
        if not has_date:
            lines += (b"Date: ", _http_date(), b"\r\n")
        if not keep_alive:
            lines.append(b"Connection: close\r\n")
        elif environ.get("SERVER_PROTOCOL") == "HTTP/1.0":
            lines.append(b"Connection: keep-alive\r\n")  # 1.0 closes unless told otherwise
        lines.append(b"\r\n")
        if not has_body or environ["REQUEST_METHOD"] == "HEAD":
            chunks = []
        size = sum(map(len, chunks))
        if size <= ONE_WRITE_BYTES:
            # One write: a response in two TCP segments can wait on the peer's delayed ACK.
            self.sock.sendall(b"".join(lines + chunks))
        else:
            self.sock.sendall(b"".join(lines))
            for chunk in chunks:
                self.sock.sendall(chunk)

    def _refuse(self, exc: HttpError, started: float, method: str, uri: str) -> None:
        """Answer a request that never reached the app, then the connection is closed (what
        follows a bad request cannot be trusted to start where we think it does)."""
        payload = error_body(ERROR_CODES[exc.status], exc.message)
        try:
            self._write({"REQUEST_METHOD": method}, status_line(exc.status),
                        [("Content-Type", "application/json")], [payload], keep_alive=False)
            self._linger()
        except OSError:
            pass
        self._log(str(exc.status), method, uri, started)

    def _linger(self) -> None:
        """Close our side, then read and drop what the client is still sending for a moment:
        closing with unread data would reset the connection, and the client would see the
        reset instead of the answer."""
        self.sock.shutdown(socket.SHUT_WR)
        drained = 0
        with gevent.Timeout(LINGER_SECONDS, False):
            while drained < 16 * BODY_RECV_BYTES:
                data = self.sock.recv(BODY_RECV_BYTES)
                if not data:
                    break
                drained += len(data)

    def _log(self, status: str, method: str, uri: str, started: float) -> None:
        code = status.split(" ", 1)[0]
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        line = f"{code} {method} {uri} ({self.client_ip}) {elapsed_ms:.2f}ms"
        if line.startswith(_QUIET_PREFIXES):
            return
        level = (logging.ERROR if code >= "500" else logging.WARNING if code >= "400"
                 else logging.INFO)
        self.server.access_log(level, line)


def _access_log_via_logging(level: int, line: str) -> None:
    access_log.log(level, line)


def _parse_head(head: bytes) -> tuple[str, str, str, list[tuple[str, str]]]:
    lines = head.split(b"\r\n")
    for line in lines:
        # A bare CR or LF, NUL, ESC...: other servers may split or read these differently.
        if _CONTROL.search(line):
            raise HttpError(400, f"control character in {line[:100]!r}")
    request_line = lines[0].decode("latin-1")
    parts = request_line.split(" ")
    if (len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1]
            or "\t" in parts[1]):
        raise HttpError(400, f"malformed request line {request_line[:100]!r}")
    method, uri, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise HttpError(505, f"unsupported version {version[:20]!r}")
    if len(lines) > MAX_HEADERS + 1:
        raise HttpError(431, f"more than {MAX_HEADERS} headers")
    headers = []
    hosts = 0
    for raw in lines[1:]:
        line = raw.decode("latin-1")
        name, colon, value = line.partition(":")
        # No colon, or a name that is not a token (whitespace before the colon, a folded
        # continuation line): malformed.
        if not colon or not _TOKEN.fullmatch(name):
            raise HttpError(400, f"malformed header line {line[:100]!r}")
        hosts += name.lower() == "host"
        headers.append((name, value.strip(" \t")))
    if hosts > 1 or (hosts == 0 and version == "HTTP/1.1"):
        raise HttpError(400, "an HTTP/1.1 request needs exactly one Host header")
    return method, uri, version, headers


def _wants_keep_alive(version: str, connection: str) -> bool:
    tokens = connection.lower()
    if version == "HTTP/1.1":
        return "close" not in tokens
    return "keep-alive" in tokens


_date_cache = [0, b""]


def _http_date() -> bytes:
    """The Date header, formatted once per second."""
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now)).encode()]
    return _date_cache[1]

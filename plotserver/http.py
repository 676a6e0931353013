"""plotserver's HTTP/1.1 server: gevent's pywsgi, with a handler that adds what plotserver needs.

pywsgi frames request bodies (Content-Length, chunked, 100-continue), keeps connections alive
and answers pipelined requests in order. `Handler` adds:

* strict request heads (RFC 9112): every line is matched whole by a regular expression before
  a value is taken from it, so a bare CR or LF, NUL or another control character, a folded
  line, whitespace before a colon, a missing or second Host, or framing that two servers could
  read differently (both Content-Length and Transfer-Encoding, two lengths, a signed length, a
  coding other than exactly `chunked`) is refused, never guessed at. After any refusal the
  connection is closed: where the next request would start can no longer be trusted;
* the body read whole before the app runs, in one copy, so that a body that is malformed,
  stalls (408) or outgrows the limit (413) is answered here and not half-read by a view;
* timeouts: the silence before a request, a whole head, every wait while a body arrives or a
  response leaves, a TLS handshake;
* TCP_NODELAY and small responses in one write: a response in two segments can wait ~40 ms
  for the client's delayed ACK;
* the WebSocket hand-off: an upgrade request offers the socket as `werkzeug.socket` (where
  flask-sock looks); if the app reads or writes it, the connection is the app's and nothing
  more is written to it as HTTP;
* JSON error bodies (README, "Errors") and the original's access log line.

Reaches into pywsgi where its handler offers no public hook (`handle_one_request`'s return
contract, `_write_with_headers`, `Input`); pyproject.toml pins gevent to the version this was
written against and tests/test_pywsgi_internals.py fails when one of these changes."""

from __future__ import annotations

import io
import logging
import re
import socket
import time
from typing import Callable
from urllib.parse import urlsplit

import gevent
import gevent.socket
from gevent import pywsgi

from .protocol import ERROR_CODES, error_body, status_line

log = logging.getLogger("plotserver.http")

MAX_HEAD_BYTES = 64 * 1024  # request line plus header lines (431 above)
MAX_HEADERS = 200
# A head is a few hundred bytes: it gets this long at most, however long the idle timeout.
HEAD_TIMEOUT = 30.0
# After a refusal, how long to read (and drop) what the client still sends, so that it sees
# the answer rather than the reset a close with unread data would cause.
LINGER_SECONDS = 1.0
ONE_WRITE_BYTES = 64 * 1024  # larger bodies follow their head in a write of their own

_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_REQUEST_LINE = re.compile(rb"(%s) ([^\x00-\x20\x7f]+) HTTP/([0-9])\.([0-9])\r\n" % _TOKEN)
_FIELD_LINE = re.compile(rb"(%s):([\t\x20-\x7e\x80-\xff]*)\r\n" % _TOKEN)  # only tab of the CTLs
_TOKEN_LIST = re.compile(r"{0}(?:[ \t]*,[ \t]*{0})*".format(_TOKEN.decode()))
_DIGITS = re.compile(r"[0-9]{1,18}")
_HOST = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:\[\]]*")
_QUIET_PREFIXES = ("200 GET /static", "200 GET /bokehjs/static")  # the original's silence

AccessLog = Callable[[int, str], None]


class HttpError(Exception):
    """A request refused before the app sees it: answered, then the connection is closed."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Fields:
    """A request's checked header fields, with what pywsgi's handler asks of its `headers`."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs
        self._by_name: dict[str, list[str]] = {}
        for name, value in pairs:
            self._by_name.setdefault(name.lower(), []).append(value)

    def get_all(self, name: str) -> list[str]:
        return self._by_name.get(name.lower(), [])

    def get(self, name: str, default=None):
        values = self._by_name.get(name.lower())
        return values[0] if values else default

    getheader = get

    @property
    def typeheader(self):
        return self.get("content-type")


class Handler(pywsgi.WSGIHandler):
    upgraded = False  # the app has taken the socket (a WebSocket)
    wants_upgrade = False
    authority = None  # the host of an absolute-form target

    def handle(self):
        try:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass  # not TCP
        # One timeout for every wait on the client: the silence before a request, each read
        # of a body, each write of a response the client does not take.
        self.socket.settimeout(self.server.idle_timeout)
        super().handle()

    def handle_one_request(self):
        """One request; pywsgi's loop reads the next one on True and closes on None."""
        self.command = self.path = None
        self.code = 0
        try:
            buffered = not self.rfile.closed and self.rfile.peek(1)
            if not buffered:
                return None  # closed between requests
        except OSError:
            return None  # silent for the idle timeout, or reset
        self.time_start = time.time()
        # The whole head within the head timeout, however slowly it trickles in; a head that
        # is already here entirely (the usual case) needs no timer.
        deadline = (None if b"\r\n\r\n" in buffered
                    else gevent.Timeout.start_new(self.server.head_timeout, TimeoutError))
        try:
            line = self.rfile.readline(MAX_HEAD_BYTES + 1)
            if line == b"\r\n":
                return True  # an empty line before a request is to be ignored (RFC 9112 2.2)
            self.read_request(line)
            if deadline is not None:
                deadline.close()
            self.environ = self.get_environ()
            self._read_body()
        except TimeoutError:
            return self._refuse(HttpError(408, "the request was not sent in time"))
        except HttpError as exc:
            return self._refuse(exc)
        except OSError:
            return None  # the client went away in the middle of its request
        finally:
            if deadline is not None:
                deadline.close()
        self.application = self.server.application
        self.handle_one_response()
        return None if self.close_connection or self.rfile.closed else True

    def read_request(self, raw_requestline: bytes) -> bool:
        match = _REQUEST_LINE.fullmatch(raw_requestline)
        if match is None:
            if not raw_requestline.endswith(b"\n"):
                if len(raw_requestline) > MAX_HEAD_BYTES:
                    raise HttpError(431, f"request line longer than {MAX_HEAD_BYTES} bytes")
                raise ConnectionResetError("closed in the middle of a request line")
            raise HttpError(400, f"malformed request line {raw_requestline[:100]!r}")
        method, target, major, minor = (part.decode("latin-1") for part in match.groups())
        if (major, minor) not in (("1", "1"), ("1", "0")):
            raise HttpError(505, f"unsupported version HTTP/{major}.{minor}")
        self.command, self.request_version = method, f"HTTP/{major}.{minor}"
        self.requestline = raw_requestline[:-2].decode("latin-1")
        self.headers = fields = self._read_fields(len(raw_requestline))
        hosts = fields.get_all("host")
        if len(hosts) > 1 or (not hosts and self.request_version == "HTTP/1.1"):
            raise HttpError(400, "an HTTP/1.1 request needs exactly one Host header")
        if hosts and not _HOST.fullmatch(hosts[0]):
            raise HttpError(400, f"malformed Host {hosts[0][:100]!r}")
        self.authority = None
        if not target.startswith("/") and "://" in target:
            target, self.authority = self._absolute_form(target)
        self.path = target
        self.content_length = self._framing(fields)
        tokens = {token.strip().lower() for token in ",".join(fields.get_all("connection"))
                  .split(",")}
        self.close_connection = ("close" in tokens if self.request_version == "HTTP/1.1"
                                 else "keep-alive" not in tokens)
        self.wants_upgrade = "upgrade" in tokens and bool(fields.get("upgrade"))
        return True

    def _read_fields(self, used: int) -> Fields:
        pairs = []
        while True:
            line = self.rfile.readline(MAX_HEAD_BYTES + 1)
            used += len(line)
            if used > MAX_HEAD_BYTES or len(pairs) > MAX_HEADERS:
                raise HttpError(431, f"request head over {MAX_HEAD_BYTES} bytes or "
                                     f"{MAX_HEADERS} headers")
            if line == b"\r\n":
                return Fields(pairs)
            match = _FIELD_LINE.fullmatch(line)
            if match is None:
                if not line.endswith(b"\n"):
                    raise ConnectionResetError("closed in the middle of a request head")
                raise HttpError(400, f"malformed header line {line[:100]!r}")
            pairs.append((match[1].decode("ascii"), match[2].strip(b" \t").decode("latin-1")))

    @staticmethod
    def _absolute_form(target: str) -> tuple[str, str]:
        """`GET http://host/path` -> (path, host): the target names the host, not the Host
        header (RFC 9112 3.2.2)."""
        try:
            parts = urlsplit(target)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise HttpError(400, f"malformed request target {target[:100]!r}")
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), parts.netloc

    def _framing(self, fields: Fields) -> int | None:
        """The body's declared length (None: chunked or no body); anything ambiguous refused."""
        lengths, codings = fields.get_all("content-length"), fields.get_all("transfer-encoding")
        if codings:
            if len(codings) > 1 or lengths or self.request_version == "HTTP/1.0":
                raise HttpError(400, "Transfer-Encoding must come alone, once, on HTTP/1.1")
            if codings[0].lower() != "chunked":
                if _TOKEN_LIST.fullmatch(codings[0]):
                    raise HttpError(501, f"transfer coding {codings[0][:40]!r} is not supported")
                raise HttpError(400, f"malformed Transfer-Encoding {codings[0][:40]!r}")
            return None
        if not lengths:
            return None
        if len(lengths) > 1 or not _DIGITS.fullmatch(lengths[0]):
            raise HttpError(400, f"bad Content-Length {','.join(lengths)[:40]!r}")
        length = int(lengths[0])
        if length > self.server.max_body_bytes:  # refused before the client sends it
            raise HttpError(413, "request body is larger than the limit of "
                                 f"{self.server.max_body_bytes} bytes")
        return length

    def _headers(self):
        """pywsgi's get_environ takes the HTTP_* keys from here."""
        for name, value in self.headers.pairs:
            if "_" in name:
                continue  # else `x_y` could pass for `x-y` (both map to HTTP_X_Y)
            key = name.replace("-", "_").upper()
            if key != "CONTENT_TYPE" and key != "CONTENT_LENGTH":  # set by get_environ
                yield "HTTP_" + key, value

    def get_environ(self) -> dict:
        env = super().get_environ()
        if self.authority is not None:
            env["HTTP_HOST"] = self.authority
        host = env.get("HTTP_HOST")
        if not host:  # HTTP/1.0 without Host: the address the client reached, not the bind one
            name, port = self.socket.getsockname()[:2]
        elif host.startswith("["):  # [IPv6 literal]:port
            name, _, port = host.partition("]")
            name, port = name + "]", port[1:]
        else:
            name, _, port = host.partition(":")
        env["SERVER_NAME"] = name
        env["SERVER_PORT"] = str(port or (443 if env["wsgi.url_scheme"] == "https" else 80))
        env.pop("HTTP_TRANSFER_ENCODING", None)  # the app gets the body decoded and whole
        env["wsgi.input"] = io.BytesIO()
        env["wsgi.input_terminated"] = True
        if self.wants_upgrade and not self.content_length and not self.wsgi_input.chunked_input:
            env["werkzeug.socket"] = UpgradeSocket(self)
        return env

    def _read_body(self) -> None:
        body_input = self.wsgi_input  # pywsgi's Input: the Content-Length or chunked framing
        if not body_input.chunked_input and not self.content_length:
            return
        # pywsgi sends `100 Continue` on the first read; an HTTP/1.0 client must not get it.
        expects = (self.request_version == "HTTP/1.1"
                   and self.headers.get("expect", "").lower() == "100-continue")
        body_input.socket = self.socket if expects else None
        if body_input.chunked_input:
            # The chunked framing counts too: chunk extensions and one-byte chunks cannot make
            # a body cost more than the limit.
            body_input.rfile = _Budget(self.rfile, self.server.max_body_bytes)
        try:
            body = body_input.read()
        except pywsgi._InvalidClientInput as exc:
            raise HttpError(400, f"malformed chunked body: {exc}") from None
        self.environ["wsgi.input"] = io.BytesIO(body)  # shares the bytes, no copy
        self.environ["CONTENT_LENGTH"] = str(len(body))

    @staticmethod
    def _error_response(status: int, message: str) -> bytes:
        body = error_body(ERROR_CODES[status], message)
        return (f"HTTP/1.1 {status_line(status)}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body

    def _refuse(self, exc: HttpError) -> None:
        """Answer, then close our side and drop what the client still sends for a moment
        (closing with unread data would reset the connection before the client reads us)."""
        self.code = exc.status
        try:
            self.socket.sendall(self._error_response(exc.status, exc.message))
            self.socket.shutdown(socket.SHUT_WR)
            with gevent.Timeout(LINGER_SECONDS, False):
                for _ in range(16):
                    if not self.socket.recv(1024 * 1024):
                        break
        except OSError:
            pass
        self.time_finish = time.time()
        self.log_request()
        return None

    # --- answering --------------------------------------------------------------------------

    def write(self, data):
        if self.upgraded:
            # The app took the socket and is done with it: nothing more on it is HTTP.
            self.headers_sent = self.close_connection = True
            return
        super().write(data)

    def _write_with_headers(self, data):
        self.headers_sent = True
        self.finalize_headers()
        if (self.close_connection and self.request_version == "HTTP/1.1"
                and not any(name.lower() == b"connection" for name, _ in self.response_headers)):
            self.response_headers.append((b"Connection", b"close"))
        head = b"".join([b"HTTP/1.1 ", self.status, b"\r\n",
                         *[b"%s: %s\r\n" % header for header in self.response_headers], b"\r\n"])
        if len(data) > ONE_WRITE_BYTES:
            self._sendall(head)
            self._write(data)
        elif self.response_use_chunked and data:
            self._sendall(b"%s%x\r\n%s\r\n" % (head, len(data), data))
        else:
            self._sendall(head + data)

    def _send_error_response_if_possible(self, error_code):
        self.close_connection = True
        if self.response_length or self.headers_sent or self.upgraded:
            return
        self.code = error_code
        try:
            self._sendall(self._error_response(error_code, "internal server error; see the "
                                               "server log" if error_code == 500 else
                                               "malformed request"))
        except OSError:
            pass

    def handle_error(self, t, v, tb):
        if issubclass(t, (TimeoutError, ConnectionError)):
            self.close_connection = True  # a client that stopped reading or went away
            return
        super().handle_error(t, v, tb)

    def log_request(self):
        code = "101" if self.upgraded else str(self.code)
        elapsed_ms = ((self.time_finish or time.time()) - self.time_start) * 1000.0
        address = self.client_address
        line = (f"{code} {self.command or '-'} {self.path or '-'} "
                f"({address[0] if isinstance(address, tuple) else '-'}) {elapsed_ms:.2f}ms")
        if line.startswith(_QUIET_PREFIXES):
            return
        self.server.access_log(logging.ERROR if code >= "500" else
                               logging.WARNING if code >= "400" else logging.INFO, line)


class _Budget:
    """The connection's reader for a chunked body, refusing past `left` bytes of the wire."""

    __slots__ = ("_rfile", "_left")

    def __init__(self, rfile, left: int):
        self._rfile, self._left = rfile, left

    def read(self, size: int = -1) -> bytes:
        return self._count(self._rfile.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._count(self._rfile.readline(size))

    def _count(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            raise HttpError(413, "request body is larger than the limit")
        return data


class UpgradeSocket:
    """`werkzeug.socket` of an upgrade request. Reading or writing it hands the connection to
    the app: no timeout any more (a WebSocket may stay quiet for hours), and no HTTP response
    is written after the app returns. The first reads return what the client sent right after
    its request head, which pywsgi's reader may already hold."""

    def __init__(self, handler: Handler):
        self._handler = handler
        self.socket = handler.socket
        self._early: bytes | None = None

    def _take(self) -> None:
        if not self._handler.upgraded:
            self._handler.upgraded = True
            self.socket.settimeout(None)

    def send(self, data) -> int:
        self._take()
        return self.socket.send(data)

    def sendall(self, data) -> None:
        self._take()
        self.socket.sendall(data)

    def recv(self, size: int) -> bytes:
        self._take()
        if self._early is None:
            self._early = self._buffered()
        if self._early:
            data, self._early = self._early[:size], self._early[size:]
            return data
        return self.socket.recv(size)

    def _buffered(self) -> bytes:
        """What the handler's reader holds beyond the head, without waiting for more."""
        rfile = self._handler.rfile
        self.socket.settimeout(0.0)
        try:
            data = rfile.peek()
            return rfile.read(len(data))
        except OSError:  # nothing at all, or a TLS socket wanting more
            return b""
        finally:
            self.socket.settimeout(None)

    def __getattr__(self, name):  # fileno, shutdown, close, setsockopt, ...
        return getattr(self.socket, name)


class HttpServer(pywsgi.WSGIServer):
    handler_class = Handler

    def __init__(self, listener, app, *, max_body_bytes: int, idle_timeout: float,
                 max_connections: int, access_log: AccessLog | None = None,
                 reuse_port: bool = False, **ssl_args):
        # `spawn=N` runs each connection in a pool of N greenlets: when it is full, no more
        # are accepted (they wait in the listen backlog) until one closes.
        # SERVER_NAME is set per request; given here, pywsgi skips a DNS lookup at start.
        super().__init__(listener, app, spawn=max_connections, log=None,
                         environ={"SERVER_NAME": "", "SERVER_PORT": ""}, **ssl_args)
        self.max_body_bytes = max_body_bytes
        self.idle_timeout = idle_timeout
        self.head_timeout = min(idle_timeout, HEAD_TIMEOUT)
        self.access_log = access_log or (lambda level, line: log.log(level, line))
        self.reuse_port = reuse_port

    def get_listener(self, address, backlog=None, family=None):
        """With `reuse_port`, the listening socket is bound with SO_REUSEPORT: several worker
        processes then listen on one port and the kernel spreads new connections over them."""
        if not self.reuse_port:
            return super().get_listener(address, backlog, family)
        listener = gevent.socket.socket(family=family or socket.AF_INET)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listener.bind(address)
        listener.listen(backlog or self.backlog)
        listener.setblocking(False)
        return listener

    def wrap_socket_and_handle(self, client_socket, address):
        """TLS: a client that connects and never finishes its hello must not hold a
        connection; a failed handshake is just closed."""
        client_socket.settimeout(self.head_timeout)
        try:
            tls_socket = self.wrap_socket(client_socket, **self.ssl_args)
        except (OSError, ValueError) as exc:
            log.debug("TLS handshake with %s failed: %s", address, exc)
            client_socket.close()
            return
        try:
            self.handle(tls_socket, address)
        finally:
            tls_socket.close()

"""The WebSocket channel at /bokeh/sub (PROTOCOL 7): subscriptions in, topic frames out.

Each connection gets a bounded queue of ready-made frames and one writer greenlet. A frame
for a socket with nothing queued is first offered to the kernel directly, without blocking
(that is the common case, and it spares a greenlet switch per subscriber: a push to a
thousand subscribers is a thousand non-blocking sends); whatever the kernel does not take is
queued for the writer greenlet. So a slow or dead subscriber never delays the writer of a
change or the other subscribers; one that falls too far behind is disconnected (it can
reconnect and re-read the document), rather than silently missing pushes."""

from __future__ import annotations

import _socket
import logging
import socket
from collections import deque

import gevent
import gevent.socket
import orjson
from flask import Blueprint, request
from flask_sock import Sock
from gevent.event import Event
from simple_websocket import ConnectionClosed
from wsproto.utilities import RemoteProtocolError

from .. import protocol
from ..models import new_id
from ..pubsub import topic_frame
from .common import error_response, runtime

bp = Blueprint("ws", __name__)
sock = Sock()
log = logging.getLogger("plotserver.ws")

# How long a closing connection may take to flush what is queued for it.
FLUSH_TIMEOUT = 2.0


class Connection:
    """One subscriber socket: implements the bus's `Subscriber.offer`."""

    def __init__(self, ws, max_frames: int, max_bytes: int, on_drop):
        self.client_id = new_id()
        self._raw = ws.sock
        self._max_frames = max_frames
        self._max_bytes = max_bytes
        self._on_drop = on_drop
        self._queue: deque[bytes] = deque()
        self._queued_bytes = 0
        self._wakeup = Event()
        self._closing = False
        self._closed = False
        # True while the writer greenlet holds a frame it has not finished sending.
        self._writing = False
        # The OS socket under gevent's, for non-blocking sends; only for plain TCP (under a
        # TLS socket it would bypass the encryption).
        self._direct = raw_socket_of(self._raw)
        try:
            self._raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        # simple-websocket writes its own frames (pong, close echo) with sock.send from its
        # reader greenlet; route them through our queue so only one greenlet ever writes.
        ws.sock = _QueuedSocket(self, self._raw)
        self._writer = gevent.spawn(self._write_loop)

    def offer(self, frame: bytes) -> None:
        if self._closed or self._closing:
            return
        self._send(frame)

    def send_message(self, topic: str, message: dict) -> None:
        self._send(topic_frame(topic, protocol.dumps(message)))

    def _send(self, frame: bytes) -> None:
        """Straight to the kernel when nothing is ahead of this frame, else (or for what the
        kernel did not take) through the queue; never blocks. Every frame counts against
        the queue's bounds: pushes, replies, and the pongs and close frames the WebSocket
        library writes (a client that pings but never reads is dropped too)."""
        if self._closed:
            return
        if (len(self._queue) >= self._max_frames
                or self._queued_bytes + len(frame) > self._max_bytes):
            log.warning("dropping WebSocket subscriber %s: %d frames (%d bytes) unsent",
                        self.client_id, len(self._queue), self._queued_bytes)
            self.abort()
            return
        if not self._queue and not self._writing and self._direct is not None:
            try:
                sent = self._direct.send(frame)
            except BlockingIOError:
                sent = 0
            except OSError:
                self.abort()
                return
            if sent == len(frame):
                return
            frame = frame[sent:]
        self._enqueue(frame)

    def _enqueue(self, frame: bytes) -> None:
        self._queue.append(frame)
        self._queued_bytes += len(frame)
        self._wakeup.set()

    def _write_loop(self) -> None:
        try:
            while not self._closed:
                self._wakeup.wait()
                self._wakeup.clear()
                while self._queue:
                    frame = self._queue.popleft()
                    self._queued_bytes -= len(frame)
                    self._writing = True
                    self._raw.sendall(frame)
                    self._writing = False
                if self._closing:
                    break
        except OSError:
            pass
        finally:
            self._close_socket()

    def close_after_flush(self) -> None:
        """Stop accepting frames, send what is queued, then close (bounded by FLUSH_TIMEOUT)."""
        self._on_drop(self)
        self._closing = True
        self._wakeup.set()
        if gevent.getcurrent() is not self._writer:
            self._writer.join(FLUSH_TIMEOUT)
            if not self._writer.dead:
                self.abort()

    def abort(self) -> None:
        """Drop the connection now: unsubscribe, forget the queue, close the socket."""
        self._on_drop(self)
        self._queue.clear()
        self._queued_bytes = 0
        self._close_socket()
        self._wakeup.set()

    def _close_socket(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._raw.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._raw.close()


class _QueuedSocket:
    """Stands in for the socket inside simple-websocket: writes go through the queue."""

    def __init__(self, connection: Connection, raw):
        self._connection = connection
        self._raw = raw

    def send(self, data: bytes) -> int:
        if data:
            self._connection._send(data)
        return len(data)

    def recv(self, size: int) -> bytes:
        return self._raw.recv(size)

    def close(self) -> None:
        self._connection.close_after_flush()


def raw_socket_of(sock) -> _socket.socket | None:
    # Not `socket.socket`: after monkey-patching that name is gevent's class.
    if type(sock) is gevent.socket.socket:
        raw = getattr(sock, "_sock", None)
        if isinstance(raw, _socket.socket) and raw.gettimeout() == 0.0:
            return raw
    return None


def _strip_compression_offer():
    """Negotiate no permessage-deflate (the original did not either): frames are built once
    and written as they are to every subscriber, which compression per socket would undo."""
    if request.path.endswith("/bokeh/sub"):
        request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)


bp.before_app_request(_strip_compression_offer)


@bp.app_errorhandler(RemoteProtocolError)
def _bad_handshake(exc: RemoteProtocolError):
    # A request to /bokeh/sub that is not a valid WebSocket opening handshake.
    return error_response(400, "bad_request", f"bad WebSocket handshake: {exc}")


@sock.route("/bokeh/sub", bp=bp)
def subscriber_channel(ws):
    rt = runtime()
    # Tells the WSGI handler that this connection now belongs to the WebSocket.
    request.environ["plotserver.upgraded"] = True
    settings = rt.settings
    connection = Connection(ws, settings.ws_queue_frames, settings.ws_queue_bytes,
                            rt.bus.unsubscribe_all)
    try:
        while True:
            text = ws.receive()
            if not _handle(rt, ws, connection, text):
                break
    except ConnectionClosed:
        pass
    finally:
        connection.close_after_flush()


def _handle(rt, ws, connection: Connection, text) -> bool:
    """Act on one client message; False closes the connection."""
    try:
        message = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError):
        ws.close(1003, "messages must be JSON text")
        return False
    # Anything but a subscribe is ignored, as the original did.
    if type(message) is not dict or message.get("msgtype") != "subscribe":
        return True
    topic = message.get("topic")
    if type(topic) is not str or ":" not in topic:
        ws.close(1008, "topic must be '<kind>:<value>'")
        return False
    kind, value = topic.split(":", 1)
    if kind == "bokehplot" and not value.startswith("temporary-"):
        doc = rt.backend.get_doc(value)
        if doc is None:
            connection.send_message(topic, {"msgtype": "error", "error_msg": "no such document"})
            return True
        auth = message.get("auth")
        # Either document key works; nothing else does, not even in single-user mode (7.4).
        if type(auth) is not str or auth not in (doc.apikey, doc.readonlyapikey):
            connection.send_message(topic, protocol.UNAUTHORIZED)
            return True
    rt.bus.subscribe(topic, connection)
    connection.send_message(topic, protocol.status_message(topic, connection.client_id))
    return True

"""The WebSocket channel at /bokeh/sub (PROTOCOL 7): subscriptions in, topic frames out.

Each connection gets a bounded queue of ready-made frames, and a writer greenlet while
anything is queued. A frame for a socket with nothing queued is first offered to the kernel directly, without blocking
(that is the common case, and it spares a greenlet switch per subscriber: a push to a
thousand subscribers is a thousand non-blocking sends); whatever the kernel does not take is
queued for the writer greenlet. So a slow or dead subscriber never delays the writer of a
change or the other subscribers; one that falls too far behind is disconnected (it can
reconnect and re-read the document), rather than silently missing pushes. Every subscriber is
pinged; one that answers nothing is dropped, so a peer that vanished without closing does not
stay subscribed for ever."""

from __future__ import annotations

import _socket
import logging
import socket
from collections import deque

import gevent
import gevent.socket
import orjson
from flask import Blueprint, current_app, request
from flask_sock import Sock
from simple_websocket import ConnectionClosed
from wsproto.frame_protocol import CloseReason, FrameDecoder, FrameProtocol, ParseFailed
from wsproto.utilities import RemoteProtocolError

from .. import auth, protocol
from ..backends import StorageUnavailable
from ..models import new_id
from ..pubsub import topic_frame
from ..pubsub.redisbus import BusUnavailable
from .common import caller, error_response, runtime

bp = Blueprint("ws", __name__)
sock = Sock()
log = logging.getLogger("plotserver.ws")

# How long a closing connection may take to flush what is queued for it.
FLUSH_TIMEOUT = 2.0
# Server frames, serialized once by wsproto.
PING_FRAME = bytes(FrameProtocol(client=False, extensions=[]).ping())
TOO_BIG_FRAME = bytes(FrameProtocol(client=False, extensions=[]).close(
    CloseReason.MESSAGE_TOO_BIG, "message too big"))
# The bus lost pushes (Redis went away): the client should reconnect and read again.
RECONNECT_MESSAGE = "pushes interrupted: reconnect and read the document again"
RECONNECT_FRAME = bytes(FrameProtocol(client=False, extensions=[]).close(
    CloseReason.TRY_AGAIN_LATER, RECONNECT_MESSAGE))


class SubscriberSocket:
    """The socket simple-websocket reads and writes for one subscriber (given to it as
    `werkzeug.socket`, around plotserver.http's UpgradeSocket).

    Writes go through the subscriber's Connection once there is one, so that one greenlet
    writes. Reads count the bytes that arrive (what the pinger looks at) and pass by a second
    wsproto frame decoder: simple-websocket compares a message with its size limit only as
    the payload arrives, so a header announcing 2^62 bytes followed by a trickle would keep
    the socket open; here the announced length closes it with 1009 at once."""

    def __init__(self, upgrade_socket, max_message: int):
        self.upgrade_socket = upgrade_socket
        self.received = 0
        self.connection: Connection | None = None
        self._max_message = max_message
        self._frames: FrameDecoder | None = FrameDecoder(client=False)
        self._refused = False

    def send(self, data: bytes) -> int:
        if self.connection is not None:
            self.connection.send_frame(data)
        else:  # the handshake's answer, before the Connection exists
            self.upgrade_socket.sendall(data)
        return len(data)

    def recv(self, size: int) -> bytes:
        if self._refused:
            return b""
        data = self.upgrade_socket.recv(size)
        self.received += len(data)
        if data and self._announces_too_much(data):
            self._refused = True
            self.send(TOO_BIG_FRAME)
            return b""  # simple-websocket ends the connection as for a closed socket
        return data

    def _announces_too_much(self, data: bytes) -> bool:
        frames = self._frames
        if frames is None:
            return False
        frames.receive_bytes(data)
        try:
            while True:
                frame = frames.process_buffer()
                if frames.header is not None and frames.header.payload_len > self._max_message:
                    return True
                if frame is None:
                    return False
        except ParseFailed:
            self._frames = None  # simple-websocket's decoder refuses the same bytes
            return False

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close_after_flush()
        else:
            self.upgrade_socket.close()


class Pinger:
    """One greenlet per app pings every subscriber each interval (a greenlet per subscriber
    would cost a thousand of them for a thousand subscribers)."""

    def __init__(self, interval: float):
        self.interval = interval
        self.connections: set[Connection] = set()
        self._greenlet = None

    def add(self, connection: "Connection") -> None:
        self.connections.add(connection)
        if self._greenlet is None:
            self._greenlet = gevent.spawn(self._run)

    def _run(self) -> None:
        while True:
            gevent.sleep(self.interval)
            for connection in list(self.connections):
                try:
                    connection.ping()
                except Exception:  # one subscriber's failure must not stop the pings
                    log.exception("pinging WebSocket subscriber %s failed", connection.client_id)


class Connection:
    """One subscriber socket: implements the bus's `Subscriber.offer`."""

    def __init__(self, subscriber_socket: SubscriberSocket, max_frames: int, max_bytes: int,
                 on_drop):
        self.client_id = new_id()
        self._socket = subscriber_socket
        # gevent's socket (or TLS socket) under plotserver.http's UpgradeSocket.
        upgrade_socket = subscriber_socket.upgrade_socket
        self._raw = getattr(upgrade_socket, "socket", upgrade_socket)
        self._max_frames = max_frames
        self._max_bytes = max_bytes
        self._on_drop = on_drop
        self._queue: deque[bytes] = deque()
        self._queued_bytes = 0
        # The greenlet sending what is queued; only while something is (an idle subscriber
        # then costs no parked greenlet: ~7 KB each, measured over 10,000).
        self._writer: gevent.Greenlet | None = None
        self._closing = False
        self._closed = False
        # True while the writer greenlet holds a frame it has not finished sending.
        self._writing = False
        # The OS socket under gevent's, for non-blocking sends; only for plain TCP (under a
        # TLS socket it would bypass the encryption). TCP_NODELAY is set by plotserver.http.
        self._direct = raw_socket_of(self._raw)
        # What had arrived when the last ping went out; -1: not pinged yet.
        self._received_at_ping = -1
        # simple-websocket writes its own frames (pong, close echo) with sock.send from its
        # reader greenlet; route them through our queue so only one greenlet ever writes.
        subscriber_socket.connection = self

    def offer(self, frame: bytes) -> None:
        if self._closed or self._closing:
            return
        self._send(frame)

    def send_message(self, topic: str, message: dict) -> None:
        self._send(topic_frame(topic, protocol.dumps(message)))

    def send_frame(self, frame: bytes) -> None:
        """A frame simple-websocket built (handshake reply, pong, close)."""
        if frame:
            self._send(frame)

    def ping(self) -> None:
        """Each ping interval: a peer that has sent nothing since the last ping, not even the
        pong it owes, is gone or hopelessly stalled."""
        if self._closed or self._closing:
            return
        received = self._socket.received
        if received == self._received_at_ping:
            log.info("dropping WebSocket subscriber %s: no answer to a ping", self.client_id)
            self.abort()
            return
        self._received_at_ping = received
        self._send(PING_FRAME)

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
        if self._writer is None:
            self._writer = gevent.spawn(self._write_loop)

    def _write_loop(self) -> None:
        """Send what is queued, then end (the next queued frame starts another); close the
        socket when the connection is closing, or when the peer is gone."""
        try:
            while self._queue and not self._closed:
                frame = self._queue.popleft()
                self._queued_bytes -= len(frame)
                self._writing = True
                self._raw.sendall(frame)
                self._writing = False
        except OSError:
            self._close_socket()
        finally:
            self._writing = False
            self._writer = None
        if self._closing:
            self._close_socket()

    def close_after_flush(self) -> None:
        """Stop accepting frames, send what is queued, then close (bounded by FLUSH_TIMEOUT)."""
        self._on_drop(self)
        self._closing = True
        writer = self._writer
        if writer is None:
            self._close_socket()  # nothing queued
        elif gevent.getcurrent() is not writer:
            writer.join(FLUSH_TIMEOUT)
            if not writer.dead:
                self.abort()

    def disconnect(self) -> None:
        """The bus's `Subscriber.disconnect`: a close frame asking the client to come back
        later, then close once it is sent; never waits (the bus calls this for every
        subscriber at once)."""
        if self._closed or self._closing:
            return
        self._send(RECONNECT_FRAME)
        self._on_drop(self)
        self._closing = True
        if self._writer is None:
            self._close_socket()  # the frame went straight out (or the socket is gone)

    def abort(self) -> None:
        """Drop the connection now: unsubscribe, forget the queue, close the socket."""
        self._on_drop(self)
        self._queue.clear()
        self._queued_bytes = 0
        self._close_socket()  # a writer in the middle of a frame fails and ends

    def _close_socket(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._raw.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._raw.close()


def raw_socket_of(sock) -> _socket.socket | None:
    # Not `socket.socket`: after monkey-patching that name is gevent's class.
    if type(sock) is gevent.socket.socket:
        raw = getattr(sock, "_sock", None)
        if isinstance(raw, _socket.socket) and raw.gettimeout() == 0.0:
            return raw
    return None


def _prepare_subscriber():
    """Before flask-sock's handshake on /bokeh/sub: negotiate no permessage-deflate (the
    original did not either: frames are built once and written as they are to every
    subscriber, which compression per socket would undo), and give simple-websocket the
    subscriber's socket."""
    if not request.path.endswith("/bokeh/sub"):
        return
    environ = request.environ
    environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
    upgrade_socket = environ.get("werkzeug.socket")
    if upgrade_socket is not None:
        limit = current_app.config["SOCK_SERVER_OPTIONS"]["max_message_size"]
        environ["werkzeug.socket"] = SubscriberSocket(upgrade_socket, limit)


bp.before_app_request(_prepare_subscriber)


@bp.app_errorhandler(RemoteProtocolError)
def _bad_handshake(exc: RemoteProtocolError):
    # A request to /bokeh/sub that is not a valid WebSocket opening handshake.
    return error_response(400, "bad_request", f"bad WebSocket handshake: {exc}")


@sock.route("/bokeh/sub", bp=bp)
def subscriber_channel(ws):
    rt = runtime()
    settings = rt.settings
    pinger = current_app.extensions.get("plotserver.pinger")
    if pinger is None:
        pinger = current_app.extensions["plotserver.pinger"] = Pinger(settings.ws_ping_interval)

    def dropped(connection: Connection) -> None:
        rt.bus.unsubscribe_all(connection)
        pinger.connections.discard(connection)

    connection = Connection(ws.sock, settings.ws_queue_frames, settings.ws_queue_bytes, dropped)
    pinger.add(connection)
    who = caller()  # the handshake's session cookie (multi-user), for `bokehuser:` topics
    try:
        while True:
            text = ws.receive()
            if not _handle(rt, ws, connection, text, who):
                break
    except ConnectionClosed:
        pass
    finally:
        connection.close_after_flush()


def _handle(rt, ws, connection: Connection, text, who: auth.Caller) -> bool:
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
    try:
        if kind == "bokehplot" and not value.startswith("temporary-"):
            doc = rt.backend.get_doc(value)
            if doc is None:
                connection.send_message(topic, {"msgtype": "error", "error_msg": "no such document"})
                return True
            if not auth.may_subscribe_document(doc, message.get("auth")):
                connection.send_message(topic, protocol.UNAUTHORIZED)
                return True
        elif kind == "bokehuser" and not auth.may_subscribe_user(who, value):
            connection.send_message(topic, protocol.UNAUTHORIZED)
            return True
        # plotserver's own pages ask for typed columns (column_frames), and most of them for
        # column deltas (a push without the long columns they hold already); others get text.
        rt.bus.subscribe(topic, connection, binary=message.get("binary_columns") is True,
                         deltas=message.get("column_deltas") is True)
    except (BusUnavailable, *StorageUnavailable) as exc:
        log.warning("refusing a subscription to %s: %s", topic, exc)
        ws.close(1013, RECONNECT_MESSAGE)  # try again later: pages reconnect with backoff
        return False
    connection.send_message(topic, protocol.status_message(topic, connection.client_id))
    return True

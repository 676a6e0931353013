"""Fan-out of topic messages to WebSocket subscribers.

A `Bus` takes `publish(topic, message_bytes)` from request handlers and hands one ready-made
WebSocket frame to every subscriber of that exact topic. The frame is built once per message,
so a thousand subscribers cost a thousand queue appends, not a thousand encodings."""

from __future__ import annotations

import struct
from typing import Protocol


class Subscriber(Protocol):
    def offer(self, frame: bytes) -> None:
        """Queue a complete WebSocket frame; must never block the caller."""

    def disconnect(self) -> None:
        """Tell the client to reconnect and close, without blocking the caller: the bus
        lost pushes meant for it, so it must read the document again."""


class Bus(Protocol):
    def subscribe(self, topic: str, subscriber: Subscriber, binary: bool = False,
                  deltas: bool = False) -> None:
        """`binary`: the subscriber takes a write's push as a binary frame with typed columns
        (column_frames) where there is one; `deltas`: without the columns it holds already."""

    def unsubscribe_all(self, subscriber: Subscriber) -> None: ...

    def wants_binary(self, topic: str) -> bool:
        """Whether a binary frame of a write's push on `topic` would reach anyone here."""

    def binary_audience(self, topic: str, delta_after: int) -> tuple[bool, bool]:
        """(whether a whole binary frame would reach anyone, whether a delta frame relative
        to push number `delta_after` would)."""

    def publish(self, topic: str, message: bytes, frame: bytes | None = None,
                binary: bytes | None = None, delta: bytes | None = None,
                delta_after: int = 0) -> int:
        """`frame`: the message already framed for `topic` (framed_message), if at hand;
        `binary`: its binary frame, for the subscribers that asked for one; `delta`: its
        delta frame, for those that take deltas and got push number `delta_after`.
        Returns the number this push got (0 where pushes are never binary)."""


def create_bus(settings, backend) -> Bus:
    """Redis pub/sub with the redis backend (pushes cross processes and hosts), else in-process."""
    if settings.backend == "redis":
        from .redisbus import RedisBus

        return RedisBus(backend.url, backend.prefix)
    from .local import LocalBus

    return LocalBus()


def _frame(first_byte: int, payload) -> bytes:
    """One unmasked, unfragmented RFC 6455 frame (server to client) whose payload is the
    given parts, joined in one copy (a pushed million-point column is ~25 MB)."""
    n = sum(memoryview(part).nbytes for part in payload)
    if n < 126:
        header = struct.pack("!BB", first_byte, n)
    elif n < 65536:
        header = struct.pack("!BBH", first_byte, 126, n)
    else:
        header = struct.pack("!BBQ", first_byte, 127, n)
    return b"".join((header, *payload))


def text_frame(*payload: bytes) -> bytes:
    return _frame(0x81, payload)  # FIN + opcode 1


def binary_frame(*payload) -> bytes:
    """`payload`: bytes-like parts (bytes, memoryviews, arrays)."""
    return _frame(0x82, payload)  # FIN + opcode 2


def topic_frame(topic: str, message: bytes) -> bytes:
    return text_frame(topic.encode(), b":", message)


def framed_message(topic: str, *parts: bytes) -> tuple[bytes, memoryview]:
    """A message made of `parts` and, in the same copy, its frame on `topic`: (frame, the
    message as a view into the frame). A write's push is both the HTTP reply and the frame
    every subscriber gets; building them apart copied a million-point push (~25 MB) twice."""
    prefix = topic.encode() + b":"
    frame = text_frame(prefix, *parts)
    start = len(frame) - sum(map(len, parts))
    return frame, memoryview(frame)[start:]

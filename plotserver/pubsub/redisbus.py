"""Fan-out across processes and hosts through Redis pub/sub: the bus of the redis backend.

Every process subscribes once, by pattern, to all push channels under its key prefix, and hands
each message to its own LocalBus; so a push reaches this process's subscribers wherever it was
published: by a write here, in another worker, on another host. A pattern rather than a channel
per topic: a subscriber is live as soon as it is registered here (no SUBSCRIBE round trip to
wait for), at the price of every process receiving every push of the prefix, which is what
a few workers serving the same documents need anyway.

Order: one Redis connection delivers messages in the order Redis published them, and a
document's pushes are published inside its writes' transactions (backends/redisdb.py), so
every process sees them in the order the writes were stored.

When the connection to Redis breaks, pushes published meanwhile never reach this process.
Rather than let pages silently miss them, every subscriber here is told (a close frame,
1013 "try again later") and disconnected; pages reconnect and read the document again.
Subscriptions are refused until the bus is back, and it reconnects with backoff.
"""

from __future__ import annotations

import logging
from typing import Callable

import gevent
import redis
from gevent.event import Event

from . import Subscriber
from .local import LocalBus

log = logging.getLogger("plotserver.pubsub")

# How long the bus waits for Redis at start, and most between two reconnection attempts.
START_TIMEOUT = 10.0
MAX_BACKOFF = 2.0
# A silent connection is checked (PING) this often, so a Redis that vanished without closing
# the socket is noticed.
HEALTH_CHECK_SECONDS = 5


class BusUnavailable(Exception):
    """The bus cannot deliver pushes right now (Redis is unreachable)."""


def channel_name(prefix: str, topic: str) -> str:
    return f"{prefix}push:{topic}"


def _glob_escape(text: str) -> str:
    """`text` matched literally in a Redis glob pattern (a prefix may hold *, ?, [ or \\)."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisBus:
    def __init__(self, url: str, prefix: str,
                 on_reconnect: Callable[[], None] | None = None) -> None:
        self._local = LocalBus()
        self._prefix = prefix
        self._redis = redis.Redis.from_url(url, health_check_interval=HEALTH_CHECK_SECONDS)
        self._pattern = _glob_escape(channel_name(prefix, "")) + "*"
        self._skip = len(channel_name(prefix, "").encode())
        # Called when the bus is back after losing Redis: whatever was cached may be stale
        # (Redis may even have restarted empty).
        self.on_reconnect = on_reconnect
        self._up = Event()
        self._closed = False
        self._reader = gevent.spawn(self._run)
        if not self._up.wait(START_TIMEOUT):
            self.close()
            raise BusUnavailable(f"no answer from Redis to a subscription within {START_TIMEOUT:g} s")

    def subscribe(self, topic: str, subscriber: Subscriber, binary: bool = False,
                  deltas: bool = False) -> None:
        if not self._up.is_set():
            raise BusUnavailable("pushes are not available: Redis is unreachable")
        self._local.subscribe(topic, subscriber, binary, deltas)

    def wants_binary(self, topic: str) -> bool:
        # A write's push crosses Redis as its JSON text (published in the write's
        # transaction) and reaches every subscriber as a text frame: no process but the
        # writer's holds the parsed columns a binary frame is made from.
        return False

    def binary_audience(self, topic: str, delta_after: int) -> tuple[bool, bool]:
        return False, False

    def unsubscribe_all(self, subscriber: Subscriber) -> None:
        self._local.unsubscribe_all(subscriber)

    def publish(self, topic: str, message: bytes, frame: bytes | None = None,
                binary: bytes | None = None, delta: bytes | None = None,
                delta_after: int = 0) -> int:
        """For messages that are not a write's own push (those go out in the write's
        transaction). A failure is logged, not raised: what it announced is already stored,
        and this process's subscribers are being disconnected by the reader anyway."""
        try:
            self._redis.publish(channel_name(self._prefix, topic), message)
        except redis.RedisError as exc:
            log.warning("push on %s not published: %s", topic, exc)
        return 0  # never binary, so never relative to a numbered push

    def subscriber_count(self, topic: str) -> int:
        return self._local.subscriber_count(topic)

    def close(self) -> None:
        self._closed = True
        self._reader.kill(block=False)
        self._local.close()
        self._redis.close()

    # --- the reader ---------------------------------------------------------------------------

    def _run(self) -> None:
        backoff = 0.05
        lost = False
        while not self._closed:
            pubsub = self._redis.pubsub()
            try:
                pubsub.psubscribe(self._pattern)
                while True:
                    message = pubsub.get_message(timeout=HEALTH_CHECK_SECONDS)
                    if message is None:
                        continue
                    kind = message["type"]
                    if kind == "pmessage":
                        topic = message["channel"][self._skip:].decode()
                        self._local.publish(topic, message["data"])
                    elif kind == "psubscribe":
                        backoff = 0.05
                        self._up.set()
                        if lost:
                            lost = False
                            log.info("pushes through Redis are back")
                            if self.on_reconnect is not None:
                                self.on_reconnect()
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                if self._up.is_set() or not lost:
                    log.warning("lost Redis pub/sub (%s); disconnecting subscribers", exc)
                lost = True
                self._up.clear()
                self._disconnect_everyone()
            finally:
                try:
                    pubsub.close()
                except Exception:  # a broken connection may fail to close; it is dropped anyway
                    pass
            if not self._closed:
                gevent.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    def _disconnect_everyone(self) -> None:
        for subscriber in self._local.subscribers():
            subscriber.disconnect()


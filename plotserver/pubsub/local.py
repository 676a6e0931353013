"""In-process fan-out: enough for one server process."""

from __future__ import annotations

from dataclasses import dataclass

from . import Subscriber, topic_frame


@dataclass(slots=True)
class _Delivery:
    """How one subscriber takes one topic's pushes."""

    binary: bool  # a write's push as a binary frame with typed columns, where there is one
    deltas: bool  # ... and without the columns it already holds (column_frames.SAME)
    since: int  # the bus's publish count when it subscribed: it got every push after that

    def takes_delta(self, after: int) -> bool:
        """Whether a delta frame relative to push number `after` is for this subscriber."""
        return self.deltas and self.since < after


class LocalBus:
    def __init__(self) -> None:
        self._topics: dict[str, dict[Subscriber, _Delivery]] = {}
        self._by_subscriber: dict[Subscriber, set[str]] = {}
        # topic -> how many of its subscribers take binary frames (only topics with some)
        self._binary_counts: dict[str, int] = {}
        # Every publish on any topic, numbered: a delta frame is for the subscribers that
        # got the push it is relative to (never reset, so numbers are never reused).
        self._published = 0

    def subscribe(self, topic: str, subscriber: Subscriber, binary: bool = False,
                  deltas: bool = False) -> None:
        # Subscribing twice is allowed; delivery stays once per message (PROTOCOL 7.4), in
        # the form the latest subscription asked for, and a page that subscribes again
        # (after reading the document anew) gets whole columns until its next push.
        subscribers = self._topics.setdefault(topic, {})
        before = subscribers.get(subscriber)
        self._count_binary(topic, binary - (before is not None and before.binary))
        subscribers[subscriber] = _Delivery(binary, binary and deltas, self._published)
        self._by_subscriber.setdefault(subscriber, set()).add(topic)

    def unsubscribe_all(self, subscriber: Subscriber) -> None:
        for topic in self._by_subscriber.pop(subscriber, ()):
            subscribers = self._topics.get(topic)
            if subscribers is not None:
                delivery = subscribers.pop(subscriber, None)
                self._count_binary(topic, -(delivery is not None and delivery.binary))
                if not subscribers:
                    del self._topics[topic]

    def _count_binary(self, topic: str, change: int) -> None:
        if change:
            count = self._binary_counts.get(topic, 0) + change
            if count:
                self._binary_counts[topic] = count
            else:
                del self._binary_counts[topic]

    def wants_binary(self, topic: str) -> bool:
        return topic in self._binary_counts

    def binary_audience(self, topic: str, delta_after: int) -> tuple[bool, bool]:
        """(whether some binary subscriber of `topic` needs a whole binary frame, whether
        some takes a delta frame relative to the push numbered `delta_after`)."""
        whole = delta = False
        for delivery in self._topics.get(topic, {}).values():
            if delivery.binary:
                if delivery.takes_delta(delta_after):
                    delta = True
                else:
                    whole = True
        return whole, delta

    def publish(self, topic: str, message: bytes, frame: bytes | None = None,
                binary: bytes | None = None, delta: bytes | None = None,
                delta_after: int = 0) -> int:
        """Returns the number this push got. `delta` (relative to push `delta_after`) goes
        to the subscribers that take deltas and got that push, `binary` to the other binary
        subscribers, the text frame to everyone else (and to all when a frame is missing)."""
        self._published += 1
        subscribers = self._topics.get(topic)
        if not subscribers:
            return self._published
        if frame is None:
            frame = topic_frame(topic, message)
        # Copy: a subscriber dropped during offer() unsubscribes itself.
        for subscriber, delivery in list(subscribers.items()):
            chosen = frame
            if delivery.binary:
                if delta is not None and delivery.takes_delta(delta_after):
                    chosen = delta
                elif binary is not None:
                    chosen = binary
            subscriber.offer(chosen)
        return self._published

    def subscribers(self) -> list[Subscriber]:
        return list(self._by_subscriber)

    def subscriber_count(self, topic: str) -> int:
        return len(self._topics.get(topic, ()))

    def close(self) -> None:
        self._topics.clear()
        self._by_subscriber.clear()

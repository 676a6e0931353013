"""In-process fan-out: enough for one server process."""

from __future__ import annotations

from . import Subscriber, topic_frame


class LocalBus:
    def __init__(self) -> None:
        self._topics: dict[str, dict[Subscriber, None]] = {}
        self._by_subscriber: dict[Subscriber, set[str]] = {}

    def subscribe(self, topic: str, subscriber: Subscriber) -> None:
        # Subscribing twice is allowed; delivery stays once per message (PROTOCOL 7.4).
        self._topics.setdefault(topic, {})[subscriber] = None
        self._by_subscriber.setdefault(subscriber, set()).add(topic)

    def unsubscribe_all(self, subscriber: Subscriber) -> None:
        for topic in self._by_subscriber.pop(subscriber, ()):
            subscribers = self._topics.get(topic)
            if subscribers is not None:
                subscribers.pop(subscriber, None)
                if not subscribers:
                    del self._topics[topic]

    def publish(self, topic: str, message: bytes, frame: bytes | None = None) -> None:
        subscribers = self._topics.get(topic)
        if not subscribers:
            return
        if frame is None:
            frame = topic_frame(topic, message)
        # Copy: a subscriber dropped during offer() unsubscribes itself.
        for subscriber in list(subscribers):
            subscriber.offer(frame)

    def subscribers(self) -> list[Subscriber]:
        return list(self._by_subscriber)

    def subscriber_count(self, topic: str) -> int:
        return len(self._topics.get(topic, ()))

    def close(self) -> None:
        self._topics.clear()
        self._by_subscriber.clear()

"""In-process fan-out: enough for one server process."""

from __future__ import annotations

from . import Subscriber, topic_frame


class LocalBus:
    def __init__(self) -> None:
        # topic -> {subscriber: whether it takes binary frames}
        self._topics: dict[str, dict[Subscriber, bool]] = {}
        self._by_subscriber: dict[Subscriber, set[str]] = {}
        # topic -> how many of its subscribers take binary frames (only topics with some)
        self._binary_counts: dict[str, int] = {}

    def subscribe(self, topic: str, subscriber: Subscriber, binary: bool = False) -> None:
        # Subscribing twice is allowed; delivery stays once per message (PROTOCOL 7.4), in
        # the form the latest subscription asked for.
        subscribers = self._topics.setdefault(topic, {})
        self._count_binary(topic, binary - subscribers.get(subscriber, False))
        subscribers[subscriber] = binary
        self._by_subscriber.setdefault(subscriber, set()).add(topic)

    def unsubscribe_all(self, subscriber: Subscriber) -> None:
        for topic in self._by_subscriber.pop(subscriber, ()):
            subscribers = self._topics.get(topic)
            if subscribers is not None:
                self._count_binary(topic, -subscribers.pop(subscriber, False))
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

    def publish(self, topic: str, message: bytes, frame: bytes | None = None,
                binary: bytes | None = None) -> None:
        subscribers = self._topics.get(topic)
        if not subscribers:
            return
        if frame is None:
            frame = topic_frame(topic, message)
        # Copy: a subscriber dropped during offer() unsubscribes itself.
        for subscriber, takes_binary in list(subscribers.items()):
            subscriber.offer(binary if takes_binary and binary is not None else frame)

    def subscribers(self) -> list[Subscriber]:
        return list(self._by_subscriber)

    def subscriber_count(self, topic: str) -> int:
        return len(self._topics.get(topic, ()))

    def close(self) -> None:
        self._topics.clear()
        self._by_subscriber.clear()

"""Storage behind one small protocol. Each backend module provides a class implementing `Backend`.

Objects are stored one record per object (as the original's `bbmodel:<type>:<docid>:<objid>`
keys), so a write touches only the objects it changes: updating one data source of a large
document never rewrites the document.
"""

from __future__ import annotations

import os
from typing import Iterable, Mapping, Protocol

import redis

from ..models import Doc, StoredObject, User

# What a backend raises when its store cannot be reached (Redis down, restarting or loading):
# the request answers 503 and may be retried; nothing was half-written (writes are atomic).
StorageUnavailable = (redis.ConnectionError, redis.TimeoutError)
UNAVAILABLE_MESSAGE = "storage is unreachable right now; try again shortly"


class Backend(Protocol):
    # --- server-model store: users and document records ---------------------------------
    def get_user(self, username: str) -> User | None:
        """A copy of the user's record; changing it changes nothing until `save_user`."""

    def create_user(self, user: User) -> bool:
        """Store a new user; False (and no change) when the username is taken."""

    def save_user(self, user: User) -> None: ...

    def get_doc(self, docid: str) -> Doc | None:
        """A copy of the document record, or None."""

    def save_doc(self, doc: Doc) -> None: ...

    def create_document(self, user: User, doc: Doc, root: StoredObject) -> None:
        """Atomically save the user (whose `docs` already lists `doc`), the document record
        and its PlotContext `root`."""

    # --- object store -------------------------------------------------------------------
    def load_objects(self, docid: str) -> Mapping[str, StoredObject]:
        """Every stored object of a document (or of a temporary copy), by id.

        The mapping and the objects are read-only for the caller."""

    # True for a backend that publishes a write's push itself, in the write's transaction
    # (Redis: its pub/sub is the bus, and so pushes reach every process in the order of the
    # writes). DocumentStore then passes the push to `save_objects` instead of the bus.
    publishes_pushes: bool

    def save_objects(self, docid: str, objects: Iterable[StoredObject]) -> int | None:
        """Insert or replace these objects; all or nothing. Returns `version(docid)` as
        this save left it. A backend that `publishes_pushes` takes a keyword
        `push=(topic, message)` too."""

    def delete_objects(self, docid: str, object_ids: Iterable[str]) -> None: ...

    def version(self, docid: str) -> int | None:
        """A number that grows by exactly one with every `save_objects` / `delete_objects`
        of `docid`, whoever calls it (other processes too); None when the backend cannot
        tell. The document store caches reachability per version, so a wrong answer here
        is a wrong document."""

    def close(self) -> None: ...


def create_backend(settings) -> Backend:
    if settings.backend == "memory":
        from .memory import MemoryBackend

        return MemoryBackend()
    if settings.backend in ("sqlite", "shelve"):  # shelve: the original's durable backend
        from .sqlite import SqliteBackend

        return SqliteBackend(settings.sqlite_path)
    if settings.backend == "redis":
        from .redisdb import RedisBackend, start_redis

        if settings.redis_url:
            return RedisBackend(settings.redis_url, prefix=settings.redis_prefix)
        child = start_redis(settings.redis_port, os.getcwd()) if settings.start_redis else None
        return RedisBackend(f"redis://127.0.0.1:{settings.redis_port}/0",
                            prefix=settings.redis_prefix, child=child)
    raise NotImplementedError(
        f"the {settings.backend!r} backend is not available yet in this version of plotserver; "
        "use --backend memory"
    )

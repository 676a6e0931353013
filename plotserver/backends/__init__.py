"""Storage behind one small protocol. Each backend module provides a class implementing `Backend`.

Objects are stored one record per object (as the original's `bbmodel:<type>:<docid>:<objid>`
keys), so a write touches only the objects it changes: updating one data source of a large
document never rewrites the document. Appending to a data source's columns touches only
the appended values (`append_columns`).
"""

from __future__ import annotations

import os
from typing import Callable, Iterable, Mapping, Protocol

import redis

from ..models import Doc, StoredObject, User
from .tails import BadColumnEdit, ColumnNotFound  # noqa: F401  (refused edits, for callers)

# What a backend raises when its store cannot be reached (Redis down, restarting or loading):
# the request answers 503 and may be retried; nothing was half-written (writes are atomic).
StorageUnavailable = (redis.ConnectionError, redis.TimeoutError)
UNAVAILABLE_MESSAGE = "storage is unreachable right now; try again shortly"


class VersionChanged(Exception):
    """`save_objects(..., if_version=v)` found the document at another version than v.
    `refreshed`: the backend's cache now holds the document as it found it, so a
    `snapshot(assume_current=True)` right away sees it without asking the store again."""

    def __init__(self, docid: str, refreshed: bool = False) -> None:
        super().__init__(docid)
        self.refreshed = refreshed


class Backend(Protocol):
    # --- server-model store: users and document records ---------------------------------
    def get_user(self, username: str) -> User | None:
        """A copy of the user's record; changing it changes nothing until `save_user`."""

    def create_user(self, user: User) -> bool:
        """Store a new user; False (and no change) when the username is taken."""

    def save_user(self, user: User) -> None: ...

    def list_users(self) -> list[str]:
        """Every stored username, sorted."""

    def delete_user(self, username: str) -> bool:
        """Remove the user's record; False when there was none. Only the record goes: the
        documents the user made stay (documents are never deleted in this protocol)."""

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

    def snapshot(self, docid: str, assume_current: bool = False
                 ) -> tuple[int | None, Mapping[str, StoredObject]]:
        """`load_objects(docid)` and the version those objects are of, read together (one
        question to the store where `version` and `load_objects` would ask two).
        `assume_current`: a backend with a cache may answer from it without asking whether
        another process wrote since; only for a caller that then saves with `if_version`,
        which finds out."""

    # True for a backend that publishes a write's push itself, in the write's transaction
    # (Redis: its pub/sub is the bus, and so pushes reach every process in the order of the
    # writes). DocumentStore then passes the push to `save_objects` instead of the bus.
    publishes_pushes: bool

    def save_objects(self, docid: str, objects: Iterable[StoredObject], *,
                     if_version: int | None = None) -> int | None:
        """Insert or replace these objects; all or nothing. Returns `version(docid)` as
        this save left it. With `if_version`, only if the document is still of that version
        (the one the objects were merged onto), else VersionChanged and nothing is stored:
        so a read-merge-write never undoes a write another process made in between. A
        backend that `publishes_pushes` takes a keyword `push=(topic, message)` too."""

    def delete_objects(self, docid: str, object_ids: Iterable[str]) -> None: ...

    # --- columns of one data source (an object whose `data` attribute is a dict of column
    # name -> list, as a ColumnDataSource's) ------------------------------------------------
    #
    # Both edits cost O(k) for k values, in time and in bytes written, however long the
    # column: durable backends store them as a tail of ops after the object's envelope
    # (backends/tails.py), and grow the cached lists in place (StoredObject's lease rule).
    # Both are all or nothing and atomic like `save_objects`, and make the version grow by
    # exactly one. A later `save_objects` of the object replaces it whole, edits included;
    # `delete_objects` removes them with it. What callers must keep to: an object that a
    # write has superseded may see its columns grow, so read columns of what `load_objects`
    # returned before the next greenlet switch (as every reply and push is encoded).
    #
    # Refused, changing nothing (no write, no version step):
    #   ColumnNotFound (a LookupError): no such object, an object without a dict `data`,
    #       no such column in it;
    #   BadColumnEdit (a ValueError): a column that is not a list; values that are not a
    #       list of JSON scalars and lists (no dicts at any depth: objects and references
    #       never enter a column this way, so an object's references never change by it),
    #       or that nest too deeply or cannot be encoded; an empty `columns`; a slice that is
    #       not inside the column, or whose current values hold dicts.

    def append_columns(self, docid: str, object_id: str, columns: Mapping[str, list]) -> int | None:
        """Append each list of `columns` to the end of the column of that name in the
        object's `data` (columns not named stay as they are; lengths are not compared).
        Returns `version(docid)` as this write left it."""

    def replace_slice(self, docid: str, object_id: str, column: str, start: int,
                      values: list) -> int | None:
        """Set data[column][start:start + len(values)] = values; the slice must lie inside
        the column (0 <= start, start + len(values) <= its length), so its length never
        changes. Returns `version(docid)` as this write left it."""

    def version(self, docid: str) -> int | None:
        """A number that grows by exactly one with every `save_objects` / `delete_objects`
        / `append_columns` / `replace_slice` of `docid`, whoever calls it (other processes
        too); None when the backend cannot tell. The document store caches reachability per
        version, so a wrong answer here is a wrong document."""

    # --- small named server values -----------------------------------------------------
    def get_or_create_value(self, name: str, make: Callable[[], str]) -> str:
        """The value stored under `name`; when there is none, stores `make()` and returns it.
        Atomic, first writer wins: processes calling it at once all get the same value (so
        e.g. every worker signs session cookies with one secret, which survives restarts).
        `make` is not called when a value is stored already."""

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

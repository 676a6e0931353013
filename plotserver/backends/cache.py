"""Decoded objects per document, as of a version: what the durable backends read through.

Decoding a document's envelopes costs far more than asking for its version number, so a
backend keeps the decoded objects and reloads them only when the version it reads differs
from the cached one (another process wrote). A write made here carries the cache forward
instead of dropping it, when the cache was exactly one version behind that write.

An append carried forward grows the cached column lists in place (StoredObject's lease
rule), so that it costs O(k) here too; everything else builds new objects."""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Mapping

from ..models import StoredObject

_EMPTY: Mapping[str, StoredObject] = MappingProxyType({})


class ObjectCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, dict[str, StoredObject]]] = {}

    def objects(self, docid: str, version: int,
                load: Callable[[], tuple[int, dict[str, StoredObject]]]) -> Mapping[str, StoredObject]:
        """The document's objects: cached when they are of `version`, else `load()`, which
        returns (version, objects) read together."""
        return self.snapshot(docid, version, load)[1]

    def snapshot(self, docid: str, version: int,
                 load: Callable[[], tuple[int, dict[str, StoredObject]]]
                 ) -> tuple[int, Mapping[str, StoredObject]]:
        """(version, objects) as `objects` finds them: the version is the one the objects
        are of, which is newer than `version` when `load()` ran after another write."""
        cached = self._entries.get(docid)
        if cached is None or cached[0] != version:
            cached = self._entries[docid] = load()
        return cached[0], (MappingProxyType(cached[1]) if cached[1] else _EMPTY)

    def entry(self, docid: str) -> tuple[int, dict[str, StoredObject]] | None:
        """The cached (version, objects) of a document; the objects are not to be changed."""
        return self._entries.get(docid)

    def store(self, docid: str, entry: tuple[int, dict[str, StoredObject]]
              ) -> tuple[int, Mapping[str, StoredObject]]:
        """Keep `entry`, (version, objects) read together, unless what is cached is newer
        (a write here carried it forward while this was read); returns it as `snapshot`."""
        cached = self._entries.get(docid)
        if cached is None or cached[0] < entry[0]:
            self._entries[docid] = entry
        return self.snapshot_of(entry)

    @staticmethod
    def snapshot_of(entry: tuple[int, dict[str, StoredObject]]
                    ) -> tuple[int, Mapping[str, StoredObject]]:
        return entry[0], (MappingProxyType(entry[1]) if entry[1] else _EMPTY)

    def carry(self, docid: str, version: int, change: Callable[[dict], None]) -> None:
        """After a write that made `version`: apply `change` to the cached objects if they were
        of the version just before it (no other write in between), else forget them."""
        cached = self._entries.get(docid)
        if cached is None or cached[0] != version - 1:
            self._entries.pop(docid, None)
            return
        objects = dict(cached[1])  # readers may hold the old mapping
        change(objects)
        self._entries[docid] = (version, objects)

    def clear(self) -> None:
        self._entries.clear()


def saving(objects: list[StoredObject]) -> Callable[[dict], None]:
    """The cache change of saving `objects`."""
    return lambda stored: stored.update((obj.id, obj) for obj in objects)


def deleting(object_ids: list[str]) -> Callable[[dict], None]:
    """The cache change of deleting `object_ids`."""
    def change(stored: dict) -> None:
        for object_id in object_ids:
            stored.pop(object_id, None)
    return change


def editing(object_id: str, edit: Callable[[StoredObject], StoredObject]) -> Callable[[dict], None]:
    """The cache change of an append or slice replacement: the object `edit` makes of the
    cached one. Carried forward only from the version just before the write, as every change
    is, so the edited object is the one the write was checked against."""
    def change(stored: dict) -> None:
        stored[object_id] = edit(stored[object_id])
    return change

"""The in-process backend (the default, as in bokeh-server 0.10): nothing survives a restart."""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Iterable, Mapping

from ..models import Doc, StoredObject, User
from . import VersionChanged
from .tails import check_append, check_replace

_EMPTY: Mapping[str, StoredObject] = MappingProxyType({})


class MemoryBackend:
    publishes_pushes = False  # DocumentStore hands pushes to the bus

    def __init__(self) -> None:
        # Records are kept as JSON-shaped dicts and rebuilt on every get, so a caller that
        # edits a record and then fails has not changed what is stored.
        self._users: dict[str, dict] = {}
        self._docs: dict[str, dict] = {}
        # Stored objects are never mutated once saved (writers build new ones), so they can
        # be handed out directly behind a read-only view. (Appends grow column lists in
        # place, only those a lease says are the store's own: StoredObject.)
        self._objects: dict[str, dict[str, StoredObject]] = {}
        self._versions: dict[str, int] = {}
        self._values: dict[str, str] = {}  # get_or_create_value

    def get_user(self, username: str) -> User | None:
        data = self._users.get(username)
        return None if data is None else User.from_json(_copy_record(data))

    def create_user(self, user: User) -> bool:
        if user.username in self._users:
            return False
        self.save_user(user)
        return True

    def save_user(self, user: User) -> None:
        self._users[user.username] = _copy_record(user.to_json())

    def list_users(self) -> list[str]:
        return sorted(self._users)

    def delete_user(self, username: str) -> bool:
        return self._users.pop(username, None) is not None

    def get_doc(self, docid: str) -> Doc | None:
        data = self._docs.get(docid)
        return None if data is None else Doc.from_json(_copy_record(data))

    def save_doc(self, doc: Doc) -> None:
        self._docs[doc.docid] = _copy_record(doc.to_json())

    def create_document(self, user: User, doc: Doc, root: StoredObject) -> None:
        self.save_user(user)
        self.save_doc(doc)
        self.save_objects(doc.docid, [root])

    def load_objects(self, docid: str) -> Mapping[str, StoredObject]:
        objects = self._objects.get(docid)
        return _EMPTY if objects is None else MappingProxyType(objects)

    def snapshot(self, docid: str, assume_current: bool = False
                 ) -> tuple[int | None, Mapping[str, StoredObject]]:
        return self._versions.get(docid, 0), self.load_objects(docid)

    def save_objects(self, docid: str, objects: Iterable[StoredObject], *,
                     if_version: int | None = None) -> int | None:
        if if_version is not None and if_version != self._versions.get(docid, 0):
            raise VersionChanged(docid)
        stored = self._objects.setdefault(docid, {})
        for obj in objects:
            stored[obj.id] = obj
        version = self._versions[docid] = self._versions.get(docid, 0) + 1
        return version

    def delete_objects(self, docid: str, object_ids: Iterable[str]) -> None:
        stored = self._objects.get(docid)
        if stored is None:
            return
        for object_id in object_ids:
            stored.pop(object_id, None)
        self._versions[docid] = self._versions.get(docid, 0) + 1

    def append_columns(self, docid: str, object_id: str, columns: Mapping[str, list]) -> int | None:
        obj = self._objects.get(docid, {}).get(object_id)
        _, depth = check_append(obj, object_id, columns)
        # A caller's lists (the first append after a save) are copied once; after that the
        # store's own lists grow in place: O(k).
        return self._edited(docid, obj.with_appended(docid, columns, depth))

    def replace_slice(self, docid: str, object_id: str, column: str, start: int,
                      values: list) -> int | None:
        obj = self._objects.get(docid, {}).get(object_id)
        _, depth = check_replace(obj, object_id, column, start, values)
        return self._edited(docid, obj.with_replaced(docid, column, start, values, depth))

    def _edited(self, docid: str, obj: StoredObject) -> int:
        self._objects[docid][obj.id] = obj
        version = self._versions[docid] = self._versions.get(docid, 0) + 1
        return version

    def version(self, docid: str) -> int | None:
        return self._versions.get(docid, 0)

    def get_or_create_value(self, name: str, make: Callable[[], str]) -> str:
        if name in self._values:
            return self._values[name]
        # setdefault, not assignment: should make() let another greenlet store a value
        # meanwhile, that first value is kept and returned to both.
        return self._values.setdefault(name, make())

    def close(self) -> None:
        pass


def _copy_record(data: dict) -> dict:
    """Records hold only small lists of dicts/strings; copy those levels."""
    return {k: ([dict(x) if isinstance(x, dict) else x for x in v] if isinstance(v, list)
                else dict(v) if isinstance(v, dict) else v)
            for k, v in data.items()}

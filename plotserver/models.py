"""Server-side records: users, documents, and the stored form of one plot object. Pure data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import orjson

from . import protocol


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class User:
    username: str
    apikey: str
    passhash: str = ""
    docs: list[dict] = field(default_factory=list)  # [{"docid", "title"}] in creation order
    # Session cookies carry the epoch they were made in; logging out or a new password moves
    # it on, so every cookie made before is refused (Flask's cookies cannot be revoked else).
    session_epoch: int = 0

    def public(self) -> dict:
        """The form the API returns (PROTOCOL 3.1): never the password hash or the apikey."""
        return {"username": self.username, "docs": [dict(d) for d in self.docs]}

    def doc_titled(self, title: str) -> dict | None:
        for entry in self.docs:
            if entry["title"] == title:
                return entry
        return None

    def to_json(self) -> dict:
        return {"username": self.username, "passhash": self.passhash,
                "apikey": self.apikey, "docs": self.docs, "session_epoch": self.session_epoch}

    @classmethod
    def from_json(cls, data: dict) -> "User":
        docs = [d if isinstance(d, dict) else {"docid": d, "title": d} for d in data.get("docs", [])]
        epoch = data.get("session_epoch", 0)
        return cls(data["username"], data.get("apikey") or new_id(), data.get("passhash", ""), docs,
                   epoch if type(epoch) is int else 0)


@dataclass
class Doc:
    docid: str
    title: str
    plot_context_id: str
    apikey: str
    readonlyapikey: str
    rw_users: list[str] = field(default_factory=list)
    r_users: list[str] = field(default_factory=list)
    published: bool = False

    @property
    def plot_context_ref(self) -> dict:
        return protocol.make_ref("PlotContext", self.plot_context_id)

    def to_json(self) -> dict:
        return {"docid": self.docid, "title": self.title, "rw_users": self.rw_users,
                "r_users": self.r_users, "plot_context_ref": self.plot_context_ref,
                "apikey": self.apikey, "readonlyapikey": self.readonlyapikey,
                "published": self.published}

    @classmethod
    def from_json(cls, data: dict) -> "Doc":
        return cls(data["docid"], data["title"], data["plot_context_ref"]["id"], data["apikey"],
                   data.get("readonlyapikey") or new_id(), list(data.get("rw_users", [])),
                   list(data.get("r_users", [])), bool(data.get("published", False)))


_COMPACT_BELOW = 64 * 1024


# orjson encodes lists and dicts nested up to 254 deep; an envelope adds two levels.
MAX_ATTRIBUTE_DEPTH = 252


class StoredObject:
    """One plot object as stored: its type, optional subtype, attributes (with `id`, without
    `doc`) and, per attribute, the ids it references. References are found once, when the
    object is written, so reads (reachability, gc) never walk column data.

    Never mutated after creation: a write builds a new StoredObject. One exception, so that
    appending k points to an n-point column costs O(k), not a copy of the column:
    `with_appended` and `with_replaced` may extend or overwrite the column lists of
    `attributes["data"]` in place, and so change what the version they supersede holds.
    Only lists the object's own history holds are touched: a `_Lease` says which (see
    there). The rule this relies on, which callers keep (DocumentStore and the views do):
    the columns of objects a read returned are read before the next greenlet switch, never
    after, since by then a write may have superseded them: every push, reply and stored
    record is encoded synchronously from them. (DocumentStore holds a view across its
    save's I/O, but then reads only its version and reachability; `_release_later` only
    keeps objects alive; `delete_object` encodes the deleted object after its writes, when
    anything appended to it meanwhile came before its deletion and belongs in it.) The
    superseded object's `_encoded` is never reused by its successor, which encodes anew."""

    __slots__ = ("type", "id", "subtype", "attributes", "refs", "walked_depth", "_encoded",
                 "_lease")

    def __init__(self, type_name: str, object_id: str, attributes: dict,
                 subtype: str | None = None, refs: dict[str, tuple[str, ...]] | None = None,
                 walked_depth: int | None = None):
        self.type = type_name
        self.id = object_id
        self.subtype = subtype
        self.attributes = attributes
        if refs is None:
            refs, walked_depth = protocol.refs_and_depth(attributes)
        self.refs = refs
        # How deeply lists and dicts nest in the attributes searched for references when this
        # object was made (all of them, or a merge's changes); None when not known.
        self.walked_depth = walked_depth
        self._encoded: tuple[str, bytes | memoryview] | None = None  # (docid, envelope JSON)
        # (lease, turn): this object may grow the columns the lease names while the lease's
        # turn is still `turn`. None: no column is known to be this object's alone.
        self._lease: tuple[_Lease, int] | None = None

    def merged(self, changes: dict, subtype: str | None) -> "StoredObject":
        """Top-level merge (PROTOCOL 3.5): each attribute in `changes` replaces the stored
        value whole; the rest stay. Only the changed attributes are searched for references."""
        attributes = dict(self.attributes)
        attributes.update(changes)
        refs = {name: ids for name, ids in self.refs.items() if name not in changes}
        changed_refs, depth = protocol.refs_and_depth(changes)
        refs.update(changed_refs)
        merged = StoredObject(self.type, self.id, attributes, subtype or self.subtype, refs, depth)
        if "data" not in changes:
            # The merge shares this object's column lists: the lease (if any) goes with them,
            # so this object can no longer grow them under the new one's feet. (Saved under
            # another docid, a temporary copy, the lease holds for neither: both copy first.)
            merged._pass_lease(self._valid_lease(None))
        return merged

    # --- columns of a data source (attributes["data"]): in-place edits -------------------------

    def claim_columns(self, docid: str) -> None:
        """For a backend that has just decoded this object from its stored bytes: nothing
        else holds its column lists, so edits made through `docid` may grow them in place."""
        data = self.attributes.get("data")
        if type(data) is dict:
            names = [name for name, column in data.items() if type(column) is list]
            self._pass_lease(_Lease(docid, names))

    def with_appended(self, docid: str, columns: dict[str, list], values_depth: int,
                      in_place: bool = True) -> "StoredObject":
        """This data source with `columns`' values appended to its columns of those names
        (checked by the caller: backends/tails.py). `values_depth`: how deeply lists nest in
        the values (1: a flat list of scalars). `in_place=False` never touches this object's
        lists (for a write that still has to be stored: it may fail)."""
        def edit(data: dict) -> None:
            for name, values in columns.items():
                data[name].extend(values)
        return self._edited(docid, columns, edit, values_depth, in_place)

    def with_replaced(self, docid: str, column: str, start: int, values: list,
                      values_depth: int, in_place: bool = True) -> "StoredObject":
        """This data source with data[column][start:start + len(values)] = values (checked
        by the caller: same length, in range, no references in the slice)."""
        def edit(data: dict) -> None:
            data[column][start:start + len(values)] = values
        return self._edited(docid, (column,), edit, values_depth, in_place)

    def _edited(self, docid: str, names, edit, values_depth: int,
                in_place: bool) -> "StoredObject":
        lease = self._valid_lease(docid) if in_place else None
        if lease is None:
            lease = _Lease(docid, ())
        data = dict(self.attributes["data"])
        for name in names:
            if name not in lease.columns:
                # Maybe shared (a caller's list, a temporary copy, a superseded merge): this
                # one edit pays for a copy, which is the object's own from now on.
                data[name] = list(data[name])
                lease.columns.add(name)
        edit(data)
        attributes = dict(self.attributes)
        attributes["data"] = data
        depth = self.walked_depth
        if depth is not None:
            depth = max(depth, 1 + values_depth)  # the values sit in `data`, in a column
        # No references were added or (tails.py refuses slices holding them) removed.
        edited = StoredObject(self.type, self.id, attributes, self.subtype, self.refs, depth)
        edited._pass_lease(lease)
        return edited

    def _valid_lease(self, docid: str | None) -> "_Lease | None":
        """The lease this object holds now, for edits made through `docid` (None: any)."""
        held = self._lease
        if held is None or held[0].turn != held[1]:
            return None
        lease = held[0]
        return lease if docid is None or lease.docid == docid else None

    def _pass_lease(self, lease: "_Lease | None") -> None:
        if lease is not None:
            lease.turn += 1  # whoever held it before no longer does
            self._lease = (lease, lease.turn)

    def referenced_ids(self):
        for ids in self.refs.values():
            yield from ids

    def envelope(self, docid: str) -> dict:
        return protocol.envelope(self.type, self.id, self.attributes, docid, self.subtype)

    def adopt_sent_text(self, docid: str, sent: dict, text: memoryview) -> None:
        """Take `text`, the JSON a client sent for envelope `sent`, as this object's encoding
        when its envelope is exactly that (the client sent every attribute and the real doc):
        a streamed million-point column then goes out as it came instead of being encoded
        again (57 ms). Comparing is cheap: the big values are the very objects parsed from
        `text`, and equal by identity. Deep nesting still takes the encoder's path, which
        refuses what it cannot encode."""
        if (self.walked_depth is not None and self.walked_depth <= MAX_ATTRIBUTE_DEPTH
                and self.envelope(docid) == sent):
            self._encoded = (docid, text)

    def envelope_json(self, docid: str) -> bytes | memoryview:
        """The envelope, encoded. Kept, since the object never changes: a write encodes it
        once for its modelpush and every later read of the document reuses those bytes
        (a 30,000-object read is then a join, not 30,000 encodings)."""
        encoded = self._encoded
        if encoded is None or encoded[0] != docid:
            text = protocol.dumps(self.envelope(docid))
            if len(text) < _COMPACT_BELOW:
                # orjson hands back its whole working buffer (about 4 KB even for a 300-byte
                # envelope); kept for every object, that tripled a large document's memory.
                text = bytes(memoryview(text))
            encoded = self._encoded = (docid, text)
        return encoded[1]

    def encoded_size(self, docid: str) -> int | None:
        """The length of the envelope JSON, if it has been encoded (or read) for `docid`."""
        encoded = self._encoded
        return len(encoded[1]) if encoded is not None and encoded[0] == docid else None

    @classmethod
    def from_envelope_json(cls, object_id: str, text: bytes) -> "StoredObject":
        """The object whose envelope `envelope_json` wrote as `text` (a durable backend's
        record); those bytes stay its encoding, so reading it back encodes nothing."""
        data = orjson.loads(text)
        attributes = data["attributes"]
        docid = attributes.pop("doc", None)
        obj = cls(data["type"], object_id, attributes, data.get("subtype"))
        if docid is not None:
            obj._encoded = (docid, text)
        return obj

    def __getstate__(self):
        # The encoding is a cache, and may be a view into a request's body: not pickled.
        # Nor is the lease: it speaks of these very lists, not of an unpickled copy's.
        return {name: getattr(self, name) for name in self.__slots__
                if name not in ("_encoded", "_lease")}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._encoded = None
        self._lease = None

    def to_json(self) -> dict:
        data = {"type": self.type, "attributes": self.attributes}
        if self.subtype:
            data["subtype"] = self.subtype
        return data

    @classmethod
    def from_json(cls, object_id: str, data: dict) -> "StoredObject":
        return cls(data["type"], object_id, data["attributes"], data.get("subtype"))

    def __repr__(self) -> str:
        return f"StoredObject({self.type}, {self.id})"


class _Lease:
    """Leave to grow some column lists of one data source in place.

    A lease names the columns (of `attributes["data"]`) whose lists only the versions of one
    object, stored under `docid`, hold: lists that object copied or decoded itself. It is
    held by one version at a time, the latest (`turn`): an in-place edit, or a merge that
    keeps `data`, passes it to the new version, and the old one's turn is over. So a list is
    grown in place only through the newest version of the object that made it; every other
    holder of it is a superseded version (see StoredObject). An object without a valid lease
    for a column copies that column once, on its first edit."""

    __slots__ = ("docid", "columns", "turn")

    def __init__(self, docid: str, columns) -> None:
        self.docid = docid
        self.columns: set[str] = set(columns)
        self.turn = 0

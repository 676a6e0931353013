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
                "apikey": self.apikey, "docs": self.docs}

    @classmethod
    def from_json(cls, data: dict) -> "User":
        docs = [d if isinstance(d, dict) else {"docid": d, "title": d} for d in data.get("docs", [])]
        return cls(data["username"], data.get("apikey") or new_id(), data.get("passhash", ""), docs)


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

    Never mutated after creation: a write builds a new StoredObject."""

    __slots__ = ("type", "id", "subtype", "attributes", "refs", "walked_depth", "_encoded")

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

    def merged(self, changes: dict, subtype: str | None) -> "StoredObject":
        """Top-level merge (PROTOCOL 3.5): each attribute in `changes` replaces the stored
        value whole; the rest stay. Only the changed attributes are searched for references."""
        attributes = dict(self.attributes)
        attributes.update(changes)
        refs = {name: ids for name, ids in self.refs.items() if name not in changes}
        changed_refs, depth = protocol.refs_and_depth(changes)
        refs.update(changed_refs)
        return StoredObject(self.type, self.id, attributes, subtype or self.subtype, refs, depth)

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
        return {name: getattr(self, name) for name in self.__slots__ if name != "_encoded"}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._encoded = None

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

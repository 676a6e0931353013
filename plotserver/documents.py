"""Document semantics (PROTOCOL.md section 3): users and their documents, the object store of
one document seen through its PlotContext root, upsert-merge, gc, copy-on-write copies, and
the messages every change publishes. Views call this; this calls the backend and the bus."""

from __future__ import annotations

import logging
import os
from collections import ChainMap
from contextlib import contextmanager
from typing import Mapping

import gevent
from gevent.lock import RLock

from . import column_frames, protocol
from .backends import VersionChanged
from .model_defaults import with_defaults
from .models import Doc, StoredObject, User, new_id
from .protocol import Incoming, bad_request, conflict, not_found
from .pubsub import framed_message

log = logging.getLogger("plotserver.documents")

# Read-merge-writes of one document through other processes can make a save find a newer
# version than it merged onto; it is merged again, this many times at most.
MERGE_ATTEMPTS = 20

# Document records a process keeps for single-user writes (known_doc), at most.
KNOWN_DOCS = 10_000

SINGLE_USER = "defaultuser"
SINGLE_USER_APIKEY = "nokey"


class DocumentView:
    """The objects of one document as a request sees them: the stored objects (with the
    objects of a temporary copy laid over them), the ids reachable from the PlotContext
    (PROTOCOL 3.4; root first, an insertion-ordered dict so that it is both a sequence and a
    fast membership test), and the referenced ids that were not stored at all."""

    __slots__ = ("doc", "objects", "reachable", "missing", "version")

    def __init__(self, doc: Doc, objects: Mapping[str, StoredObject], reachable: dict[str, None],
                 missing: frozenset[str], version: int | None = None):
        self.doc = doc
        self.objects = objects
        self.reachable = reachable
        self.missing = missing
        self.version = version  # the backend's version these objects were read at

    def reachable_objects(self) -> list[StoredObject]:
        objects = self.objects
        return [objects[i] for i in self.reachable]

    def visible(self, object_id: str) -> StoredObject | None:
        """An object that reads may see: stored and reachable (unreachable ones are garbage)."""
        obj = self.objects.get(object_id)
        if obj is None or object_id not in self.reachable:
            return None
        return obj

    def keeps_reachability(self, changed: Mapping[str, StoredObject]) -> bool:
        """Whether writing `changed` leaves the reachable set as it is: true when no reachable
        object's references change and no new object fills a reference that was missing.
        (An unreachable object can only become reachable through a reachable one.)"""
        for object_id, obj in changed.items():
            if object_id in self.missing:
                return False
            # In order: the walk's order (the order reads list objects in) follows it.
            if (object_id in self.reachable
                    and list(self.objects[object_id].refs.items()) != list(obj.refs.items())):
                return False
        return True


def _release_later(objects: list) -> None:
    """Keep `objects` alive until the event loop's next turn. Freeing the versions a write
    replaces (a million-point column: ~13 ms) need not delay the push and the reply."""
    gevent.get_hub().loop.run_callback(len, objects)


def closure(objects: Mapping[str, StoredObject], start: str) -> tuple[dict[str, None], frozenset[str]]:
    """Ids of `start` and everything it references, transitively, in discovery order; and the
    referenced ids that are not in `objects`."""
    seen: dict[str, None] = {}
    missing: set[str] = set()
    stack = [start]
    while stack:
        object_id = stack.pop()
        if object_id in seen:
            continue
        obj = objects.get(object_id)
        if obj is None:
            missing.add(object_id)
            continue
        seen[object_id] = None
        for ids in obj.refs.values():
            stack.extend(reversed(ids))
    return seen, frozenset(missing)


class DocumentStore:
    def __init__(self, backend, bus):
        self.backend = backend
        self.bus = bus
        # One writer at a time per document (or temporary copy): a read-merge-write must not
        # interleave with another on backends whose calls yield to other greenlets.
        self._locks: dict[str, list] = {}  # key -> [RLock, holders and waiters]
        # docid -> (backend version, reachable ids, missing ids). Walking a large document on
        # every request costs milliseconds (30,000 objects: ~30 ms); most writes (a data
        # source's new columns) change no reference, and then the walk's result carries over.
        self._reachability: dict[str, tuple[int, dict[str, None], frozenset[str]]] = {}
        self._known_docs: dict[str, Doc] = {}  # see known_doc
        # (topic, object id) -> the bus's number of the last push of that object with long
        # columns: pages subscribed before it hold those columns as pushed since, so a
        # later push may leave out the ones that did not change (column_frames.SAME).
        self._column_pushes: dict[tuple[str, str], int] = {}

    def forget_cached(self) -> None:
        """Drop what is cached (the backend's store may have been reset)."""
        self._reachability.clear()
        self._known_docs.clear()
        self._column_pushes.clear()

    @contextmanager
    def _lock(self, key: str):
        """Hold the lock of `key` (a document, a copy, a user). An entry counts everyone who
        holds or waits for it and goes away with the last of them, so the table only ever
        has the keys in use."""
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = [RLock(), 0]
        entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._locks[key]

    # --- users ----------------------------------------------------------------------------

    def default_user(self) -> User:
        """Single-user mode's identity, created on first use (PROTOCOL 3.1)."""
        user = self.backend.get_user(SINGLE_USER)
        if user is None:
            # Nobody can log in as defaultuser: its password is random and never shown.
            candidate = User(SINGLE_USER, SINGLE_USER_APIKEY, "random$" + os.urandom(16).hex())
            self.backend.create_user(candidate)
            user = self.backend.get_user(SINGLE_USER)
        return user

    def end_sessions(self, username: str) -> None:
        """Refuse every session cookie made for the user so far (see User.session_epoch)."""
        with self._lock("user:" + username):
            user = self.backend.get_user(username)
            if user is not None:
                user.session_epoch += 1
                self.backend.save_user(user)

    # --- documents ------------------------------------------------------------------------

    def get_doc(self, docid: str) -> Doc:
        doc = self.backend.get_doc(docid)
        if doc is None:
            raise not_found(f"no document with id {docid!r}")
        return doc

    def known_doc(self, docid: str) -> Doc:
        """The document record as a single-user write needs it: that the document exists
        and its PlotContext id. Neither changes once the document is made (a document is
        never deleted, only dropped from its user's list: PROTOCOL 5.4), so after the first
        time it comes from memory, sparing a streaming write a round trip to the store. Not
        for anything that reads the record's other fields (keys, users, published)."""
        doc = self._known_docs.get(docid)
        if doc is None:
            doc = self.get_doc(docid)
            if len(self._known_docs) >= KNOWN_DOCS:
                self._known_docs.clear()
            self._known_docs[docid] = doc
        return doc

    def create_document(self, user: User, title: str) -> Doc:
        """PROTOCOL 3.3; a title the user already has is a 409 and writes nothing."""
        with self._lock("user:" + user.username):
            user = self.backend.get_user(user.username) or user
            if user.doc_titled(title) is not None:
                raise conflict(f"user {user.username!r} already has a document titled {title!r}")
            doc = Doc(new_id(), title, new_id(), new_id(), new_id(), rw_users=[user.username])
            root = StoredObject("PlotContext", doc.plot_context_id,
                                {"children": [], "tags": [], "id": doc.plot_context_id})
            user.docs.append({"docid": doc.docid, "title": title})
            self.backend.create_document(user, doc, root)
        self._docchange(user.username)
        return doc

    def find_or_create(self, user: User, title: str) -> Doc:
        entry = user.doc_titled(title)
        if entry is not None:
            doc = self.backend.get_doc(entry["docid"])
            if doc is not None:
                return doc
        return self.create_document(user, title)

    def remove_from_user(self, user: User, docid: str) -> User:
        """Drops the document from the user's list only; its record and objects stay
        readable by id (PROTOCOL 5.4, quirk 10)."""
        with self._lock("user:" + user.username):
            user = self.backend.get_user(user.username) or user
            remaining = [d for d in user.docs if d["docid"] != docid]
            if len(remaining) == len(user.docs):
                raise conflict(f"document {docid!r} is not in {user.username!r}'s list")
            user.docs = remaining
            self.backend.save_user(user)
        self._docchange(user.username)
        return user

    def publish(self, doc: Doc) -> None:
        with self._lock(doc.docid):
            doc = self.get_doc(doc.docid)
            if not doc.published:
                doc.published = True
                self.backend.save_doc(doc)

    def _docchange(self, username: str) -> None:
        self.bus.publish(protocol.user_topic(username), protocol.dumps(protocol.DOCCHANGE))

    # --- reading objects ------------------------------------------------------------------

    def view(self, doc: Doc, temporary: str | None = None,
             assume_current: bool = False) -> DocumentView:
        """`assume_current`: see Backend.snapshot (only for a write saved with if_version)."""
        docid = doc.docid
        version, objects = self.backend.snapshot(docid, assume_current)
        if temporary:
            overlay = self.backend.load_objects(temporary)
            if overlay:
                # A copy is short-lived and seen by one browser: no caching for it.
                objects = ChainMap(overlay, objects)
                return DocumentView(doc, objects, *closure(objects, doc.plot_context_id))
        cached = self._reachability.get(docid)
        if cached is not None and version is not None and cached[0] == version:
            return DocumentView(doc, objects, cached[1], cached[2], version)
        reachable, missing = closure(objects, doc.plot_context_id)
        if version is not None:
            self._reachability[docid] = (version, reachable, missing)
        return DocumentView(doc, objects, reachable, missing, version)

    def all_envelopes(self, doc: Doc, temporary: str | None = None) -> bytes:
        """Every reachable object's envelope, as one encoded JSON list."""
        docid = doc.docid
        encoded = [obj.envelope_json(docid) for obj in self.view(doc, temporary).reachable_objects()]
        log.debug("num models: %d", len(encoded))  # as the original logged document reads
        return protocol.json_list(encoded)

    def attributes_of_type(self, doc: Doc, temporary: str | None, type_name: str) -> list[dict]:
        docid = doc.docid
        return [obj.envelope(docid)["attributes"]
                for obj in self.view(doc, temporary).reachable_objects() if obj.type == type_name]

    def get_object(self, doc: Doc, temporary: str | None, object_id: str) -> StoredObject:
        obj = self.view(doc, temporary).visible(object_id)
        if obj is None:
            raise not_found(f"no object {object_id!r} reachable in document {doc.docid!r}")
        return obj

    def object_closure(self, doc: Doc, temporary: str | None, object_id: str
                       ) -> tuple[StoredObject, bytes]:
        """The object and the envelopes of it and everything it references, as one encoded
        JSON list (encoded envelope by envelope, as stored: wrapping them in the reply first
        would nest their attributes two levels deeper than any write was checked for)."""
        view = self.view(doc, temporary)
        obj = view.visible(object_id)
        if obj is None:
            raise not_found(f"no object {object_id!r} reachable in document {doc.docid!r}")
        docid = doc.docid
        return obj, protocol.json_list([view.objects[i].envelope_json(docid)
                                        for i in closure(view.objects, object_id)[0]])

    # --- writing objects ------------------------------------------------------------------

    def upsert(self, doc: Doc, temporary: str | None, incoming: list[Incoming],
               sent_text: memoryview | None = None) -> memoryview:
        """Apply envelopes (PROTOCOL 3.5), save the changed objects under the write docid and
        publish one modelpush (3.6). Returns the encoded modelpush, which is also the HTTP
        reply. All or nothing: a bad envelope or dangling reference saves nothing.
        `sent_text`: the JSON text of the one incoming envelope, when there is one."""
        write_docid = temporary or doc.docid
        with self._lock(write_docid):
            # First as if no other process had written since this one last read or wrote the
            # document (then a write costs one round trip to the store), saved only onto
            # that version. After a conflict, onto what the store says it holds now.
            optimistic, current = not temporary, False
            for _ in range(MERGE_ATTEMPTS):
                try:
                    return self._upsert_once(doc, temporary, incoming, sent_text,
                                             optimistic, current)
                except VersionChanged as changed:
                    # Another process wrote the document between this read and this write:
                    # merge again onto what it wrote (which the backend may have just
                    # brought into its cache).
                    optimistic, current = False, changed.refreshed
        raise conflict(f"document {doc.docid!r} changed under {MERGE_ATTEMPTS} attempts to "
                       "write it; try again")

    def _upsert_once(self, doc: Doc, temporary: str | None, incoming: list[Incoming],
                     sent_text: memoryview | None, optimistic: bool, current: bool) -> memoryview:
        """`optimistic`: merge onto the cached objects and save only onto their version.
        `current`: the cache was just brought up to date (by a failed save)."""
        write_docid = temporary or doc.docid
        view = self.view(doc, temporary, assume_current=optimistic or current)
        changed, merged_onto_stored = self._apply(view, incoming)
        if sent_text is not None and len(incoming) == 1:
            changed[incoming[0].id].adopt_sent_text(doc.docid, incoming[0].sent, sent_text)
        # Encoded before anything is saved: a value the encoder refuses is a 400 that
        # leaves the document as it was. The message and its frame are made in one copy:
        # the message (the HTTP reply) is a view into the frame.
        topic = protocol.plot_topic(write_docid)
        frame, message = framed_message(topic, *protocol.modelpush_parts(
            [obj.envelope_json(doc.docid) for obj in changed.values()]))
        if not changed:
            return message
        # For pages that take typed columns; made now, as the text frame was: the columns
        # are only read before the save yields (see StoredObject).
        binary = delta = None
        delta_after = 0
        if self.bus.wants_binary(topic):
            unchanged, delta_after = ({}, 0) if temporary else self._unchanged_columns(
                topic, changed, view)
            whole, deltas = (self.bus.binary_audience(topic, delta_after) if unchanged
                             else (True, False))
            if whole:
                binary = column_frames.modelpush_frame(topic, doc.docid, changed.values())
            if deltas:
                delta = column_frames.modelpush_frame(topic, doc.docid, changed.values(),
                                                      unchanged)
        carry_over = not temporary and view.keeps_reachability(changed)
        # The versions this write replaces, taken before the save (which may drop them):
        # freeing a million-point column takes ~10 ms, better spent after the push is out.
        replaced = [view.objects.get(object_id) for object_id in changed]
        # A merge, or any write on an optimistic read, is saved only onto the version it
        # read (a temporary copy is one browser's alone). Whole objects on a fresh read need
        # no such condition, so streaming writers in several processes never starve.
        if_version = (view.version if (merged_onto_stored or optimistic) and not temporary
                      else None)
        if self.backend.publishes_pushes:
            version = self.backend.save_objects(write_docid, changed.values(),
                                                push=(topic, message), if_version=if_version)
        else:
            version = self.backend.save_objects(write_docid, changed.values(),
                                                if_version=if_version)
            number = self.bus.publish(topic, message, frame, binary, delta, delta_after)
            if not temporary:
                for obj in changed.values():
                    if column_frames.long_column_names(obj):
                        self._column_pushes[(topic, obj.id)] = number
        _release_later(replaced)
        # Only if this save was the one write since the view was read: a write by
        # another process in between could have changed what is reachable.
        if carry_over and version is not None and view.version is not None \
                and version == view.version + 1:
            self._reachability[write_docid] = (version, view.reachable, view.missing)
        return message

    def _unchanged_columns(self, topic: str, changed: dict[str, StoredObject],
                           view: DocumentView) -> tuple[dict[str, set[str]], int]:
        """The long columns of `changed` that hold what a page has from earlier pushes
        ({object id: names}), and the number of the earliest push they are relative to.
        Only objects the page holds: reachable before this write (a page drops what the
        root no longer reaches) and pushed with long columns since."""
        unchanged: dict[str, set[str]] = {}
        earliest = 0
        for object_id, obj in changed.items():
            number = self._column_pushes.get((topic, object_id))
            if number is None or object_id not in view.reachable:
                continue
            same = column_frames.same_columns(obj, view.objects.get(object_id))
            if same:
                unchanged[object_id] = same
                earliest = number if not earliest else min(earliest, number)
        return unchanged, earliest

    def _apply(self, view: DocumentView,
               incoming: list[Incoming]) -> tuple[dict[str, StoredObject], bool]:
        """The objects the envelopes make, and whether any of them keeps something of a
        stored object (an attribute or subtype the envelope did not give): only then does
        the write depend on what was read. (A whole object, as streaming scripts store a
        data source, replaces what is stored whatever it was.)"""
        stored = view.objects
        reachable = view.reachable
        root_id = view.doc.plot_context_id
        changed: dict[str, StoredObject] = {}
        keeps_stored: set[str] = set()  # ids of changed objects that hold stored values
        for item in incoming:
            base = changed.get(item.id)
            if base is None and item.id in reachable:
                base = stored[item.id]
                if (item.subtype is None and base.subtype is not None) \
                        or not base.attributes.keys() <= item.attributes.keys():
                    keeps_stored.add(item.id)
            if base is not None:
                obj = base.merged(item.attributes, item.subtype)
            else:
                if item.type == "PlotContext" and item.id != root_id:
                    # A second PlotContext would leave the document with two roots (quirk 7).
                    raise conflict(f"document {view.doc.docid!r} already has its PlotContext "
                                   f"{root_id!r}; refusing a second one ({item.id!r})")
                # New, or replacing an unreachable (garbage) object of that id, as the
                # original does: it starts from the type's defaults, not from the garbage.
                obj = StoredObject(item.type, item.id, with_defaults(item.type, item.attributes),
                                   item.subtype)
            changed[item.id] = obj
        # References resolve against the payload and everything stored (quirk 1: also the
        # unreachable objects, which the original would have refused).
        for obj in changed.values():
            for name, ids in obj.refs.items():
                for ref_id in ids:
                    if ref_id not in changed and ref_id not in stored:
                        raise bad_request(f"{obj.type} {obj.id!r}: attribute {name!r} refers to "
                                          f"unknown object {ref_id!r}")
        return changed, bool(keeps_stored)

    def create_object(self, doc: Doc, temporary: str | None, item: Incoming) -> StoredObject:
        """POST to the type's collection: create only, never merge."""
        write_docid = temporary or doc.docid
        with self._lock(write_docid):
            if item.id in self.view(doc, temporary).objects:
                raise conflict(f"object {item.id!r} already exists in document {doc.docid!r}")
        self.upsert(doc, temporary, [item])
        return self.view(doc, temporary).objects[item.id]

    def delete_object(self, doc: Doc, temporary: str | None, object_id: str) -> StoredObject:
        """Remove one object (the original's intended, never working DELETE): every reference
        to it is detached first (dropped from lists, set to null elsewhere), so the document
        never holds a dangling reference. The changed referrers go out as one modelpush, the
        removed object as a `modeldel`. Objects only it reached become garbage for gc."""
        write_docid = temporary or doc.docid
        with self._lock(write_docid):
            view = self.view(doc, temporary)
            target = view.visible(object_id)
            if target is None:
                raise not_found(f"no object {object_id!r} reachable in document {doc.docid!r}")
            if object_id == doc.plot_context_id:
                raise conflict("the PlotContext is the document's root and cannot be deleted")
            if temporary and object_id not in self.backend.load_objects(temporary):
                raise conflict("objects of the shared document cannot be deleted through a "
                               "temporary copy")
            referrers = []
            for other in view.objects.values():
                if other.id != object_id and object_id in other.referenced_ids():
                    changes = {name: protocol.without_ref(other.attributes[name], object_id)
                               for name, ids in other.refs.items() if object_id in ids}
                    referrers.append(other.merged(changes, None))
            if referrers:
                self.backend.save_objects(write_docid, referrers)
            self.backend.delete_objects(write_docid, [object_id])
        topic = protocol.plot_topic(write_docid)
        if referrers:
            self.bus.publish(topic, protocol.modelpush_json(
                [obj.envelope_json(doc.docid) for obj in referrers]))
        self.bus.publish(topic, protocol.dumps(protocol.modeldel([target.envelope(doc.docid)])))
        return target

    def gc(self, doc: Doc, temporary: str | None = None) -> int:
        """Delete every object that is not reachable from the root (PROTOCOL 3.7). With a
        temporary copy, only that copy's garbage is collected; the shared document is left
        alone (the original deleted from the main document instead). Returns the count."""
        write_docid = temporary or doc.docid
        with self._lock(write_docid):
            view = self.view(doc, temporary)
            reachable = view.reachable
            own = self.backend.load_objects(write_docid)
            garbage = [object_id for object_id in own if object_id not in reachable]
            if garbage:
                self.backend.delete_objects(write_docid, garbage)
        if garbage:
            log.debug("gc of %s removed %d objects", write_docid, len(garbage))
        return len(garbage)


def parse_body_envelopes(body: bytes) -> list[Incoming]:
    return protocol.parse_envelope_list(protocol.loads(body))


def attributes_as_envelope(type_name: str, object_id: str | None, body: bytes) -> Incoming:
    """PUT/PATCH/POST bodies are one attribute object: drop `noop` and `doc`; the id is the
    URL's when given (PUT/PATCH force it), else the body's own `id` (POST create)."""
    attributes = protocol.loads(body)
    if type(attributes) is not dict:
        raise bad_request("body must be a JSON object of attributes")
    attributes = {k: v for k, v in attributes.items() if k not in ("noop", "doc")}
    if object_id is not None:
        attributes["id"] = object_id
    return protocol.parse_envelope({"type": type_name, "attributes": attributes}, 0)

"""The durable, embedded backend: one sqlite database file (standard library, no server).

Each write is one transaction, so a bulkupsert is stored whole or not at all, even when the
process is killed in the middle of it. The database runs in WAL mode with
synchronous=NORMAL: a commit survives the process being killed (the operating system holds
it); only a power loss can take the last commits back, never corrupt the file.

Objects are stored as their envelope JSON, the bytes a write already encoded for its push,
so saving costs no second encoding. Reads come from a per-document cache of the decoded
objects, checked against the document's version row, so another process writing the same
file (several workers) is seen on its next read.

An append to a data source's columns (or a slice replacement) is one row of `tails`: the op
(backends/tails.py), keyed by the document version it made, so a load applies an object's
ops in order on top of its envelope. Each row carries the running cost of its object's tail
and the size of its envelope, so the next append reads one row to decide whether to fold
(write the envelope whole and drop the tail) instead. Saving or deleting an object deletes
its tail rows.
"""

from __future__ import annotations

import sqlite3
from typing import Callable, Iterable, Mapping

import orjson

from ..models import Doc, StoredObject, User
from ..settings import SettingsError
from . import VersionChanged, tails
from .cache import ObjectCache, deleting, editing, saving

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS docs (docid TEXT PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    docid TEXT NOT NULL, objid TEXT NOT NULL, envelope BLOB NOT NULL,
    PRIMARY KEY (docid, objid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS versions (docid TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tails (
    docid TEXT NOT NULL, objid TEXT NOT NULL, version INTEGER NOT NULL, op BLOB NOT NULL,
    cost INTEGER NOT NULL,  -- of the object's tail up to and including this op
    envelope_bytes INTEGER NOT NULL,  -- of the envelope the tail follows
    PRIMARY KEY (docid, objid, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS server_values (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteBackend(tails.ColumnEdits):  # append_columns, replace_slice
    publishes_pushes = False  # DocumentStore hands pushes to the bus

    def __init__(self, path: str) -> None:
        self.path = path
        # Autocommit mode: transactions are opened explicitly (BEGIN IMMEDIATE takes the write
        # lock at once, so two processes never both read-then-write one document).
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            # Large pages for a new file: a 28 MB envelope (a million-point source) then spans
            # 430 overflow pages, not 6,800, and writes in a third of the time.
            self._db.execute("PRAGMA page_size=65536")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise SettingsError(f"cannot use {path!r} as the sqlite database: {exc}") from None
        self._cache = ObjectCache()

    # --- users and document records ---------------------------------------------------------

    def get_user(self, username: str) -> User | None:
        row = self._db.execute("SELECT record FROM users WHERE username = ?",
                               (username,)).fetchone()
        return None if row is None else User.from_json(orjson.loads(row[0]))

    def create_user(self, user: User) -> bool:
        with self._transaction():
            taken = self._db.execute("SELECT 1 FROM users WHERE username = ?",
                                     (user.username,)).fetchone()
            if taken:
                return False
            self._put_user(user)
        return True

    def save_user(self, user: User) -> None:
        with self._transaction():
            self._put_user(user)

    def list_users(self) -> list[str]:
        return [row[0] for row in
                self._db.execute("SELECT username FROM users ORDER BY username")]

    def delete_user(self, username: str) -> bool:
        with self._transaction():
            deleted = self._db.execute("DELETE FROM users WHERE username = ?",
                                       (username,)).rowcount
        return deleted > 0

    def get_doc(self, docid: str) -> Doc | None:
        row = self._db.execute("SELECT record FROM docs WHERE docid = ?", (docid,)).fetchone()
        return None if row is None else Doc.from_json(orjson.loads(row[0]))

    def save_doc(self, doc: Doc) -> None:
        with self._transaction():
            self._put_doc(doc)

    def create_document(self, user: User, doc: Doc, root: StoredObject) -> None:
        with self._transaction():
            self._put_user(user)
            self._put_doc(doc)
            self._put_objects(doc.docid, [root])

    # --- objects ------------------------------------------------------------------------------

    def load_objects(self, docid: str) -> Mapping[str, StoredObject]:
        return self.snapshot(docid)[1]

    def snapshot(self, docid: str, assume_current: bool = False
                 ) -> tuple[int | None, Mapping[str, StoredObject]]:
        # Asking the version is a local query here: always asked.
        def load():
            with self._transaction(write=False):  # the objects and their version, one snapshot
                return self._read(docid)
        return self._cache.snapshot(docid, self.version(docid), load)

    def _read(self, docid: str) -> tuple[int, dict[str, StoredObject]]:
        """(version, objects) of the document; inside a transaction, so they are a pair."""
        rows = self._db.execute("SELECT objid, envelope FROM objects WHERE docid = ?",
                                (docid,)).fetchall()
        ops: dict[str, list[bytes]] = {}
        for objid, op in self._db.execute("SELECT objid, op FROM tails WHERE docid = ? "
                                          "ORDER BY objid, version", (docid,)):
            ops.setdefault(objid, []).append(op)
        return self.version(docid), {
            objid: tails.object_from_record(docid, objid, envelope, ops.get(objid))
            for objid, envelope in rows}

    def save_objects(self, docid: str, objects: Iterable[StoredObject], *,
                     if_version: int | None = None) -> int | None:
        objects = list(objects)
        with self._transaction():
            if if_version is not None and if_version != self.version(docid):
                raise VersionChanged(docid)  # rolls back (nothing was written yet)
            self._put_objects(docid, objects)
            version = self.version(docid)
        self._cache.carry(docid, version, saving(objects))
        return version

    def delete_objects(self, docid: str, object_ids: Iterable[str]) -> None:
        object_ids = list(object_ids)
        with self._transaction():
            self._db.executemany("DELETE FROM objects WHERE docid = ? AND objid = ?",
                                 [(docid, objid) for objid in object_ids])
            self._drop_tails(docid, object_ids)
            self._bump(docid)
            version = self.version(docid)
        self._cache.carry(docid, version, deleting(object_ids))

    def _edit(self, docid: str, object_id: str, check, build) -> int:
        """One append or slice replacement: checked against the objects as of the version
        this transaction reads (the cache, unless another process wrote since), then stored
        as a tail row, or folded into the envelope when the tail has grown too costly."""
        with self._transaction():
            version = self.version(docid)
            obj = self._cache.objects(docid, version, lambda: self._read(docid)).get(object_id)
            op, depth = check(obj)
            row = self._db.execute(
                "SELECT cost, envelope_bytes FROM tails WHERE docid = ? AND objid = ? "
                "ORDER BY version DESC LIMIT 1", (docid, object_id)).fetchone()
            if row is not None:
                cost, envelope_bytes = row
            else:
                # No tail: the cached object is the stored envelope, and knows its size if
                # it was encoded or read here (nearly always). sqlite's length() would read
                # the whole blob (30 ms for a two-million-value source).
                cost, envelope_bytes = 0, obj.encoded_size(docid) or self._db.execute(
                    "SELECT length(envelope) FROM objects WHERE docid = ? AND objid = ?",
                    (docid, object_id)).fetchone()[0]
            cost += tails.op_cost(op)
            if tails.should_fold(cost, envelope_bytes):
                # The append that makes the tail too costly pays for the fold, in its own
                # transaction and version step: reads never write, the append's atomicity
                # covers the fold, and other processes see one ordinary write. Built from
                # copies, so nothing cached changes before the commit.
                folded = build(obj, depth, False)
                self._db.execute("UPDATE objects SET envelope = ? WHERE docid = ? AND objid = ?",
                                 (folded.envelope_json(docid), docid, object_id))
                self._drop_tails(docid, [object_id])
                change = saving([folded])
            else:
                self._db.execute("INSERT INTO tails VALUES (?, ?, ?, ?, ?, ?)",
                                 (docid, object_id, version + 1, op, cost, envelope_bytes))
                change = editing(object_id, lambda cached: build(cached, depth, True))
            self._bump(docid)
        # Committed: now the cached lists may grow in place.
        self._cache.carry(docid, version + 1, change)
        return version + 1

    def version(self, docid: str) -> int | None:
        row = self._db.execute("SELECT version FROM versions WHERE docid = ?",
                               (docid,)).fetchone()
        return 0 if row is None else row[0]

    # --- named server values ----------------------------------------------------------------

    def get_or_create_value(self, name: str, make: Callable[[], str]) -> str:
        row = self._db.execute("SELECT value FROM server_values WHERE name = ?",
                               (name,)).fetchone()
        if row is not None:
            return row[0]
        value = make()  # outside the transaction: it holds the write lock
        with self._transaction():
            # Another process may have stored one since the SELECT: its value stays (IGNORE)
            # and is the one read back, so every process ends up with the same.
            self._db.execute("INSERT OR IGNORE INTO server_values VALUES (?, ?)", (name, value))
            return self._db.execute("SELECT value FROM server_values WHERE name = ?",
                                    (name,)).fetchone()[0]

    def close(self) -> None:
        self._cache.clear()
        self._db.close()

    # --- helpers --------------------------------------------------------------------------------

    def _transaction(self, write: bool = True):
        return _Transaction(self._db, write)

    def _put_user(self, user: User) -> None:
        self._db.execute("INSERT OR REPLACE INTO users VALUES (?, ?)",
                         (user.username, orjson.dumps(user.to_json())))

    def _put_doc(self, doc: Doc) -> None:
        self._db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?)",
                         (doc.docid, orjson.dumps(doc.to_json())))

    def _put_objects(self, docid: str, objects: list[StoredObject]) -> None:
        # The envelope a write encoded for its push (its `doc` is dropped again on load).
        self._db.executemany("INSERT OR REPLACE INTO objects VALUES (?, ?, ?)",
                             [(docid, obj.id, obj.envelope_json(docid)) for obj in objects])
        self._drop_tails(docid, [obj.id for obj in objects])  # saved whole: edits included
        self._bump(docid)

    def _drop_tails(self, docid: str, object_ids: list[str]) -> None:
        # Most documents have no tail at all: then one lookup, not one per object.
        if self._db.execute("SELECT 1 FROM tails WHERE docid = ? LIMIT 1", (docid,)).fetchone():
            self._db.executemany("DELETE FROM tails WHERE docid = ? AND objid = ?",
                                 [(docid, objid) for objid in object_ids])

    def _bump(self, docid: str) -> None:
        self._db.execute("INSERT INTO versions VALUES (?, 1) ON CONFLICT (docid) "
                         "DO UPDATE SET version = version + 1", (docid,))


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK when the block raises. A write takes the write lock at
    once (IMMEDIATE); a read is a snapshot (WAL) that blocks nobody."""

    def __init__(self, db: sqlite3.Connection, write: bool) -> None:
        self.db = db
        self.begin = "BEGIN IMMEDIATE" if write else "BEGIN"

    def __enter__(self) -> None:
        self.db.execute(self.begin)

    def __exit__(self, kind, value, traceback) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")

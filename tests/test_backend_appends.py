"""`append_columns` and `replace_slice` (plotserver/backends/__init__.py), one suite for every
backend: real sqlite files and a real redis-server, several backend instances on one store
standing for several processes."""

from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import closing

import orjson
import pytest
import redis

from plotserver.backends import BadColumnEdit, ColumnNotFound
from plotserver.backends.memory import MemoryBackend
from plotserver.backends.redisdb import RedisBackend
from plotserver.backends.sqlite import SqliteBackend
from plotserver.models import StoredObject


@pytest.fixture
def opened():
    """Backend instances a test opens itself; closed afterwards."""
    made: list = []
    yield made
    for backend in made:
        backend.close()


def another(backend, opened: list):
    """A second instance on the same store, as another process would open it; the memory
    backend has no other process: itself."""
    if isinstance(backend, SqliteBackend):
        other = SqliteBackend(backend.path)
    elif isinstance(backend, RedisBackend):
        other = RedisBackend(backend.url, prefix=backend.prefix)
    else:
        return backend
    opened.append(other)
    return other


# Makes an envelope big enough for a few dozen ops to wait in a tail before it is folded in
# (a tiny object would be folded at every append, and its tail never seen).
NOTES = "n" * 20_000


def source(object_id="s", **columns):
    return StoredObject("ColumnDataSource", object_id,
                        {"id": object_id, "data": dict(columns), "name": "src", "notes": NOTES})


def has_tail(backend, object_id="s", docid="d1") -> bool:
    """Whether the object's edits wait in a tail (always, for the memory backend)."""
    return isinstance(backend, MemoryBackend) or bool(stored_tail(backend, docid, object_id))


def data_of(backend, object_id="s", docid="d1"):
    return backend.load_objects(docid)[object_id].attributes["data"]


def everywhere(backend, opened) -> list:
    """The instance that wrote, and a fresh one that has cached nothing."""
    return [backend, another(backend, opened)]


def test_appended_values_are_read_back_by_every_instance(backend, opened):
    assert backend.save_objects("d1", [source(x=[1, 2], y=[0.5, 1.5])]) == 1
    assert backend.append_columns("d1", "s", {"x": [3, 4], "y": [2.5, 3.5]}) == 2
    for reader in everywhere(backend, opened):
        assert data_of(reader) == {"x": [1, 2, 3, 4], "y": [0.5, 1.5, 2.5, 3.5]}
        assert reader.version("d1") == 2
        held = reader.load_objects("d1")["s"]
        # The encoding is of the appended object, not the saved one's.
        assert orjson.loads(held.envelope_json("d1"))["attributes"]["data"]["x"] == [1, 2, 3, 4]


def test_appends_keep_their_order_and_their_values(backend, opened):
    backend.save_objects("d1", [source(x=[0], label=["a"], img=[[[1, 2], [3, 4]]])])
    expected = {"x": [0], "label": ["a"], "img": [[[1, 2], [3, 4]]]}
    for i in range(1, 8):
        columns = {"x": [i, i + 0.5], "label": [None, f"s{i}"]}
        if i % 3 == 0:
            columns["img"] = [[[i, i], [True, False]]]  # an image: lists of rows are fine
        assert backend.append_columns("d1", "s", columns) == i + 1
        for name, values in columns.items():
            expected[name] = expected[name] + values
    for reader in everywhere(backend, opened):
        data = data_of(reader)
        assert data == expected
        # Numbers stay numbers, of their kind.
        assert [type(v) for v in data["x"][:3]] == [int, int, float]
        assert data["img"][1] == [[3, 3], [True, False]]


def test_replace_slice_overwrites_in_place_and_keeps_the_length(backend, opened):
    backend.save_objects("d1", [source(x=list(range(10)), y=list(range(10)))])
    assert backend.replace_slice("d1", "s", "x", 3, [30, 40.5, "fifty"]) == 2
    assert backend.append_columns("d1", "s", {"x": [10]}) == 3
    assert backend.replace_slice("d1", "s", "x", 9, [90, 100]) == 4  # up to the very end
    assert backend.replace_slice("d1", "s", "y", 0, []) == 5  # nothing: still a write
    for reader in everywhere(backend, opened):
        assert data_of(reader) == {"x": [0, 1, 2, 30, 40.5, "fifty", 6, 7, 8, 90, 100],
                                   "y": list(range(10))}


def test_a_whole_save_replaces_the_appended_object(backend, opened):
    backend.save_objects("d1", [source(x=[1, 2])])
    backend.append_columns("d1", "s", {"x": [3]})
    backend.replace_slice("d1", "s", "x", 0, [100])
    assert has_tail(backend)
    assert backend.save_objects("d1", [source(x=[7])]) == 4
    for reader in everywhere(backend, opened):
        assert data_of(reader) == {"x": [7]}  # the old tail is not applied on top
    assert backend.append_columns("d1", "s", {"x": [8]}) == 5
    for reader in everywhere(backend, opened):
        assert data_of(reader) == {"x": [7, 8]}


def test_a_merge_that_keeps_data_keeps_the_appended_values(backend, opened):
    backend.save_objects("d1", [source(x=[1])])
    backend.append_columns("d1", "s", {"x": [2]})
    current = backend.load_objects("d1")["s"]
    backend.save_objects("d1", [current.merged({"name": "renamed"}, None)])
    backend.append_columns("d1", "s", {"x": [3]})
    for reader in everywhere(backend, opened):
        held = reader.load_objects("d1")["s"]
        assert held.attributes["name"] == "renamed" and held.attributes["data"] == {"x": [1, 2, 3]}


def test_deleting_removes_the_appended_values_too(backend, opened):
    backend.save_objects("d1", [source(x=[1]), source("t", x=[5])])
    backend.append_columns("d1", "s", {"x": [2]})
    assert has_tail(backend)
    backend.delete_objects("d1", ["s"])
    assert backend.version("d1") == 3
    if not isinstance(backend, MemoryBackend):
        assert stored_tail(backend, "d1", "s") == []  # gone from the store, not just hidden
    for reader in everywhere(backend, opened):
        assert sorted(reader.load_objects("d1")) == ["t"]
    with pytest.raises(ColumnNotFound):
        backend.append_columns("d1", "s", {"x": [3]})
    backend.save_objects("d1", [source(x=[9])])  # the same id again: no old tail
    for reader in everywhere(backend, opened):
        assert data_of(reader) == {"x": [9]}


def test_every_write_steps_the_version_by_one(backend, opened):
    backend.save_objects("d1", [source(x=[1], y=[2])])
    other = another(backend, opened)
    for step in range(2, 12):
        if step % 2:
            returned = backend.replace_slice("d1", "s", "y", 0, [step])
        else:
            returned = backend.append_columns("d1", "s", {"x": [step]})
        assert returned == step == backend.version("d1") == other.version("d1")
    assert backend.version("d2") == 0  # documents are separate


REFUSED = [
    ("no such object", lambda b: b.append_columns("d1", "nobody", {"x": [1]}), ColumnNotFound),
    ("no such document", lambda b: b.append_columns("d9", "s", {"x": [1]}), ColumnNotFound),
    ("an object without data", lambda b: b.append_columns("d1", "plain", {"x": [1]}), ColumnNotFound),
    ("data that is not a dict", lambda b: b.append_columns("d1", "odd", {"x": [1]}), ColumnNotFound),
    ("no such column", lambda b: b.append_columns("d1", "s", {"x": [1], "z": [1]}), ColumnNotFound),
    ("a column name that is no string", lambda b: b.append_columns("d1", "s", {1: [1]}), ColumnNotFound),
    ("replacing in no such column", lambda b: b.replace_slice("d1", "s", "z", 0, [1]), ColumnNotFound),
    ("a column that is not a list", lambda b: b.append_columns("d1", "s", {"n": [1]}), BadColumnEdit),
    ("nothing named", lambda b: b.append_columns("d1", "s", {}), BadColumnEdit),
    ("values that are not a list", lambda b: b.append_columns("d1", "s", {"x": 5}), BadColumnEdit),
    ("a tuple of values", lambda b: b.append_columns("d1", "s", {"x": (5,)}), BadColumnEdit),
    ("a reference", lambda b: b.append_columns(
        "d1", "s", {"x": [1], "y": [{"type": "Range1d", "id": "r"}]}), BadColumnEdit),
    ("a dict deep in a list", lambda b: b.append_columns("d1", "s", {"x": [[1, [{}]]]}), BadColumnEdit),
    ("a value JSON has not", lambda b: b.append_columns("d1", "s", {"x": [{1, 2}]}), BadColumnEdit),
    ("an integer JSON cannot hold", lambda b: b.append_columns("d1", "s", {"x": [2 ** 70]}), BadColumnEdit),
    ("values nested too deeply", lambda b: b.append_columns("d1", "s", {"x": [nested(300)]}), BadColumnEdit),
    ("a slice past the end", lambda b: b.replace_slice("d1", "s", "x", 3, [1, 2]), BadColumnEdit),
    ("a slice starting past the end", lambda b: b.replace_slice("d1", "s", "x", 5, []), BadColumnEdit),
    ("a negative start", lambda b: b.replace_slice("d1", "s", "x", -1, [1]), BadColumnEdit),
    ("a start that is no integer", lambda b: b.replace_slice("d1", "s", "x", True, [1]), BadColumnEdit),
    ("replacing with a reference", lambda b: b.replace_slice("d1", "s", "x", 0, [{"id": "r", "type": "T"}]), BadColumnEdit),
    ("replacing a slice that holds a reference", lambda b: b.replace_slice("d1", "s", "y", 0, [1]), BadColumnEdit),
    ("replacing with values that are not a list", lambda b: b.replace_slice("d1", "s", "x", 0, "ab"), BadColumnEdit),
]


def nested(depth: int):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("case, write, error", REFUSED, ids=[case[0] for case in REFUSED])
def test_a_refused_edit_changes_nothing(backend, opened, case, write, error):
    ref = {"type": "Range1d", "id": "r"}
    backend.save_objects("d1", [
        StoredObject("ColumnDataSource", "s", {"id": "s", "data": {"x": [1, 2, 3], "y": [ref],
                                                                  "n": 5}, "notes": NOTES}),
        StoredObject("Range1d", "r", {"id": "r", "start": 0}),
        StoredObject("Plot", "plain", {"id": "plain", "title": "t"}),
        StoredObject("Odd", "odd", {"id": "odd", "data": [1, 2]}),
    ])
    backend.append_columns("d1", "s", {"x": [4]})  # so that a tail exists, too
    assert has_tail(backend)
    with pytest.raises(error):
        write(backend)
    assert issubclass(error, (LookupError, ValueError))
    for reader in everywhere(backend, opened):
        assert reader.version("d1") == 2 and reader.version("d9") == 0
        held = reader.load_objects("d1")["s"]
        assert held.attributes["data"] == {"x": [1, 2, 3, 4], "y": [ref], "n": 5}
        assert held.refs == {"data": ("r",)}
    # and the store still takes edits
    assert backend.append_columns("d1", "s", {"x": [5]}) == 3
    assert data_of(another(backend, opened))["x"] == [1, 2, 3, 4, 5]


def test_many_appends_past_the_fold_still_read_right(backend, opened):
    backend.save_objects("d1", [source(x=list(range(500)), y=[0.0] * 500), source("t", x=[1])])
    other = another(backend, opened)
    expected = {"x": list(range(500)), "y": [0.0] * 500}
    tail_lengths = []
    for i in range(300):
        writer = other if i % 7 == 0 else backend  # now and then another process writes
        if i % 5 == 4:
            start = (i * 13) % (len(expected["x"]) - 3)
            writer.replace_slice("d1", "s", "x", start, [-i, -i, -i])
            expected["x"][start:start + 3] = [-i, -i, -i]
        else:
            writer.append_columns("d1", "s", {"x": [i] * (i % 4), "y": [i * 0.5]})
            expected["x"] += [i] * (i % 4)
            expected["y"] += [i * 0.5]
        if i % 37 == 0:
            for reader in (backend, other):
                assert data_of(reader) == expected
        if not isinstance(backend, MemoryBackend):
            tail_lengths.append(len(stored_tail(backend, "d1", "s")))
    assert backend.version("d1") == 301
    for reader in everywhere(backend, opened):
        assert data_of(reader) == expected and data_of(reader, "t") == {"x": [1]}
    if tail_lengths:
        # Ops piled up in the tail, and were folded into the envelope now and then.
        folds = sum(1 for a, b in zip(tail_lengths, tail_lengths[1:]) if b < a)
        assert max(tail_lengths) >= 5 and 3 <= folds and tail_lengths[-1] < 100


def stored_tail(backend, docid: str, object_id: str) -> list[bytes]:
    """The ops a durable backend keeps after the object's envelope."""
    if isinstance(backend, SqliteBackend):
        with closing(sqlite3.connect(backend.path)) as db:
            return [op for (op,) in db.execute(
                "SELECT op FROM tails WHERE docid = ? AND objid = ? ORDER BY version",
                (docid, object_id))]
    client = redis.Redis.from_url(backend.url)
    try:
        return client.lrange(f"{backend.prefix}tail:{docid}:{object_id}", 0, -1)
    finally:
        client.close()


def test_cached_objects_follow_appends_made_by_another_instance(backend, opened):
    one, two = backend, another(backend, opened)
    one.save_objects("d1", [source(x=[1])])
    assert data_of(one) == data_of(two) == {"x": [1]}  # both have it cached now
    two.append_columns("d1", "s", {"x": [1.5]})
    two.replace_slice("d1", "s", "x", 1, [2])  # two's cache carried forward
    assert data_of(one) == {"x": [1, 2]} and has_tail(one)
    two.append_columns("d1", "s", {"x": [2]})
    one.append_columns("d1", "s", {"x": [3]})  # its cache was two versions behind
    one.append_columns("d1", "s", {"x": [4]})  # carried forward in its cache
    assert data_of(one) == data_of(two) == {"x": [1, 2, 2, 3, 4]}
    two.replace_slice("d1", "s", "x", 0, [10])
    two.save_objects("d1", [two.load_objects("d1")["s"].merged({"name": "n"}, None)])
    one.append_columns("d1", "s", {"x": [5]})
    for reader in (one, two, another(backend, opened)):
        held = reader.load_objects("d1")["s"]
        assert held.attributes["data"] == {"x": [10, 2, 2, 3, 4, 5]}
        assert held.attributes["name"] == "n"


def test_what_an_append_does_not_own_it_copies(backend, opened):
    """Column lists grow in place only where the store's own object holds them: not a
    caller's object, nor a temporary copy that shares them, nor an earlier read's objects
    once a merge has taken them over."""
    mine = source(x=[1, 2])
    backend.save_objects("d1", [mine])
    backend.append_columns("d1", "s", {"x": [3]})
    assert has_tail(backend)
    assert mine.attributes["data"] == {"x": [1, 2]}  # the caller's object: untouched
    backend.append_columns("d1", "s", {"x": [4]})
    # A temporary copy made by merging the current object shares its lists ...
    current = backend.load_objects("d1")["s"]
    copy = current.merged({"name": "copy"}, None)
    backend.save_objects("temporary-1", [copy])
    # ... and keeps what it had, whatever the document appends and replaces afterwards.
    backend.append_columns("d1", "s", {"x": [5]})
    backend.replace_slice("d1", "s", "x", 0, [100])
    backend.append_columns("temporary-1", "s", {"x": [-1]})
    for reader in everywhere(backend, opened):
        assert data_of(reader) == {"x": [100, 2, 3, 4, 5]}
        assert data_of(reader, docid="temporary-1") == {"x": [1, 2, 3, 4, -1]}
    assert copy.attributes["data"] == {"x": [1, 2, 3, 4]}
    assert current.attributes["data"] == {"x": [1, 2, 3, 4]}


@pytest.mark.parametrize("failing, folds", [("INSERT ON tails", False),
                                             ("UPDATE ON versions", False),
                                             ("UPDATE ON objects", True),
                                             ("UPDATE ON versions", True)])
@pytest.mark.parametrize("read_at_once", [True, False])
def test_sqlite_edit_that_fails_to_store_changes_nothing_cached(tmp_path, opened, failing, folds,
                                                               read_at_once):
    """A real failure inside the write transaction (a trigger refuses the tail row, the
    folded envelope or the version step): rolled back, and the cached columns did not grow,
    whether read at once or once another process has made the next version."""
    backend = SqliteBackend(str(tmp_path / "db"))
    opened.append(backend)
    # Small: every append folds. With NOTES: appends wait in the tail.
    obj = StoredObject("ColumnDataSource", "s", {"id": "s", "data": {"x": [1, 2]}}) if folds \
        else source(x=[1, 2])
    backend.save_objects("d1", [obj])
    backend.append_columns("d1", "s", {"x": [3]})
    assert data_of(backend) == {"x": [1, 2, 3]}  # cached now, lists owned
    with closing(sqlite3.connect(backend.path)) as db:
        db.execute(f"CREATE TRIGGER refuse BEFORE {failing} BEGIN "
                   "SELECT RAISE(ABORT, 'refused by the test'); END")
        db.commit()
    with pytest.raises(sqlite3.IntegrityError):
        backend.append_columns("d1", "s", {"x": [4]})
    other = another(backend, opened)
    assert other.version("d1") == 2 and data_of(other) == {"x": [1, 2, 3]}
    if read_at_once:
        assert backend.version("d1") == 2 and data_of(backend) == {"x": [1, 2, 3]}
    # Version 3 is made by another process: nothing of the failed append may pass for it.
    with closing(sqlite3.connect(backend.path)) as db:
        db.execute("DROP TRIGGER refuse")
        db.commit()
    other.append_columns("d1", "s", {"x": [5]})
    assert backend.version("d1") == 3 and data_of(backend) == {"x": [1, 2, 3, 5]}


def test_durable_appends_survive_reopening(backend, opened, tmp_path):
    if isinstance(backend, MemoryBackend):
        pytest.skip("nothing survives the memory backend")
    backend.save_objects("d1", [source(x=[1.5], y=["a"])])
    backend.append_columns("d1", "s", {"x": [2.5], "y": ["b"]})
    backend.replace_slice("d1", "s", "y", 0, ["A"])
    assert has_tail(backend)
    backend.close()
    again = another(backend, opened)
    assert data_of(again) == {"x": [1.5, 2.5], "y": ["A", "b"]} and again.version("d1") == 3
    again.append_columns("d1", "s", {"x": [3.5], "y": ["c"]})
    assert data_of(another(backend, opened)) == {"x": [1.5, 2.5, 3.5], "y": ["A", "b", "c"]}


# --- bytes written: O(k), not O(n) -------------------------------------------------------------

N_POINTS = 1_000_000
K_POINTS = 1_000


def big_source() -> StoredObject:
    return source(x=[i + 0.25 for i in range(N_POINTS)])


def sqlite_bytes(path: str) -> int:
    return sum(os.path.getsize(path + suffix) for suffix in ("", "-wal")
               if os.path.exists(path + suffix))


def checkpoint(path: str) -> None:
    """Move the WAL into the database file and empty it, so that what follows is measured
    as the WAL's growth alone."""
    with closing(sqlite3.connect(path)) as db:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0


def test_sqlite_append_writes_bytes_for_the_values_not_the_column(tmp_path):
    path = str(tmp_path / "db")
    backend = SqliteBackend(path)
    try:
        obj = big_source()
        envelope_bytes = len(obj.envelope_json("d1"))
        backend.save_objects("d1", [obj])
        checkpoint(path)
        before = sqlite_bytes(path)
        backend.append_columns("d1", "s", {"x": [0.5] * K_POINTS})
        appended = sqlite_bytes(path) - before
        assert 0 < appended < envelope_bytes / 20
        # The same measure sees a whole write for what it is.
        checkpoint(path)
        before = sqlite_bytes(path)
        backend.save_objects("d1", [backend.load_objects("d1")["s"].merged(
            {"data": {"x": [i + 0.25 for i in range(N_POINTS + K_POINTS)]}}, None)])
        assert sqlite_bytes(path) - before > envelope_bytes
        assert len(data_of(SqliteBackend(path))["x"]) == N_POINTS + K_POINTS
    finally:
        backend.close()


def redis_input_bytes(client) -> int:
    return client.info("stats")["total_net_input_bytes"]


def test_redis_append_sends_bytes_for_the_values_not_the_column(redis_url):
    backend = RedisBackend(redis_url, prefix=f"t{uuid.uuid4().hex}:")
    client = redis.Redis.from_url(redis_url)
    try:
        obj = big_source()
        envelope_bytes = len(obj.envelope_json("d1"))
        backend.save_objects("d1", [obj])
        before = redis_input_bytes(client)
        backend.append_columns("d1", "s", {"x": [0.5] * K_POINTS})
        appended = redis_input_bytes(client) - before
        assert 0 < appended < envelope_bytes / 20
        before = redis_input_bytes(client)
        backend.save_objects("d1", [backend.load_objects("d1")["s"].merged(
            {"data": {"x": [i + 0.25 for i in range(N_POINTS + K_POINTS)]}}, None)])
        assert redis_input_bytes(client) - before > envelope_bytes
    finally:
        client.close()
        backend.close()

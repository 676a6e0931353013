"""The `Backend` protocol (plotserver/backends/__init__.py), one suite for every backend."""

from __future__ import annotations

import pytest

import uuid

from plotserver.backends import VersionChanged
from plotserver.backends.redisdb import RedisBackend
from plotserver.backends.sqlite import SqliteBackend
from plotserver.models import Doc, StoredObject, User
from plotserver.protocol import ApiError


def a_user(name="alice", docs=()):
    return User(name, apikey=f"key-{name}", passhash="hash", docs=[dict(d) for d in docs])


def a_doc(docid="d1", title="first"):
    return Doc(docid, title, f"pc-{docid}", apikey="rw", readonlyapikey="ro")


def an_object(object_id, **attributes):
    return StoredObject("ColumnDataSource", object_id, {"id": object_id, **attributes})


def same(a: StoredObject, b: StoredObject) -> bool:
    return (a.type, a.id, a.subtype, a.attributes, a.refs) == (b.type, b.id, b.subtype,
                                                               b.attributes, b.refs)


def test_users_are_created_once_and_handed_out_as_copies(backend):
    assert backend.get_user("alice") is None
    assert backend.create_user(a_user()) is True
    assert backend.create_user(a_user()) is False
    user = backend.get_user("alice")
    assert (user.username, user.apikey, user.passhash, user.docs) == ("alice", "key-alice", "hash", [])
    user.docs.append({"docid": "x", "title": "x"})
    assert backend.get_user("alice").docs == []  # not saved: unchanged
    backend.save_user(user)
    assert backend.get_user("alice").docs == [{"docid": "x", "title": "x"}]


def test_document_records_round_trip_as_copies(backend):
    assert backend.get_doc("d1") is None
    doc = a_doc()
    doc.rw_users.append("bob")
    doc.published = True
    backend.save_doc(doc)
    held = backend.get_doc("d1")
    assert held == doc and held is not doc
    held.r_users.append("carol")
    assert backend.get_doc("d1").r_users == []


def test_create_document_saves_user_record_and_root_together(backend):
    doc = a_doc()
    user = a_user(docs=[{"docid": doc.docid, "title": doc.title}])
    root = StoredObject("PlotContext", doc.plot_context_id, {"id": doc.plot_context_id, "children": []})
    backend.create_document(user, doc, root)
    assert backend.get_user("alice").docs == [{"docid": "d1", "title": "first"}]
    assert backend.get_doc("d1") == doc
    assert same(backend.load_objects("d1")[doc.plot_context_id], root)
    assert backend.version("d1") == 1


def test_objects_save_load_delete_with_a_version_per_write(backend):
    assert dict(backend.load_objects("d1")) == {}
    assert backend.version("d1") == 0
    ref = {"type": "Range1d", "id": "r1"}
    first = [an_object("a", data={"x": [1.5, 2.5]}, tags=[ref]), an_object("b", data={})]
    assert backend.save_objects("d1", first) == 1
    loaded = backend.load_objects("d1")
    assert sorted(loaded) == ["a", "b"]
    assert same(loaded["a"], first[0]) and loaded["a"].refs == {"tags": ("r1",)}
    with pytest.raises(TypeError):
        loaded["c"] = first[0]  # read-only for the caller
    replaced = an_object("a", data={"x": [9.0]})
    assert backend.save_objects("d1", [replaced]) == 2
    assert same(backend.load_objects("d1")["a"], replaced)
    backend.delete_objects("d1", ["b", "never-there"])
    assert backend.version("d1") == 3
    assert sorted(backend.load_objects("d1")) == ["a"]
    # documents are separate
    assert dict(backend.load_objects("d2")) == {} and backend.version("d2") == 0


def test_snapshot_is_the_objects_with_their_version(backend):
    assert backend.snapshot("d1") == (0, {})
    backend.save_objects("d1", [an_object("a", data={"x": [1]})])
    version, objects = backend.snapshot("d1")
    assert version == 1 == backend.version("d1") and sorted(objects) == ["a"]


def test_a_save_onto_a_replaced_version_stores_nothing(backend):
    backend.save_objects("d1", [an_object("a", name="first")])
    assert backend.save_objects("d1", [an_object("a", name="second")], if_version=1) == 2
    with pytest.raises(VersionChanged):
        backend.save_objects("d1", [an_object("a", name="stale"), an_object("b")], if_version=1)
    assert backend.version("d1") == 2
    assert sorted(backend.load_objects("d1")) == ["a"]
    assert backend.load_objects("d1")["a"].attributes["name"] == "second"
    assert backend.save_objects("d1", [an_object("b")], if_version=2) == 3


def test_subtypes_and_the_encoding_survive(backend):
    plot = StoredObject("Plot", "p1", {"id": "p1", "title": "t"}, subtype="Figure")
    backend.save_objects("d1", [plot])
    held = backend.load_objects("d1")["p1"]
    assert held.subtype == "Figure"
    assert held.envelope_json("d1") == plot.envelope_json("d1")


def test_sqlite_keeps_everything_across_reopening(tmp_path):
    path = str(tmp_path / "db")
    first = SqliteBackend(path)
    doc = a_doc()
    first.create_document(a_user(docs=[{"docid": "d1", "title": "first"}]), doc,
                          StoredObject("PlotContext", "pc-d1", {"id": "pc-d1"}))
    first.save_objects("d1", [an_object("a", data={"y": [1, 2, 3]})])
    first.close()
    again = SqliteBackend(path)
    assert again.get_doc("d1") == doc and again.get_user("alice").docs[0]["docid"] == "d1"
    assert again.load_objects("d1")["a"].attributes == {"id": "a", "data": {"y": [1, 2, 3]}}
    assert again.version("d1") == 2
    again.close()


def test_sqlite_write_is_all_or_nothing(tmp_path):
    backend = SqliteBackend(str(tmp_path / "db"))
    backend.save_objects("d1", [an_object("a", v=1)])
    deep = 1
    for _ in range(300):  # more than the encoder takes: the second object cannot be written
        deep = [deep]
    with pytest.raises(ApiError):
        backend.save_objects("d1", [an_object("a", v=2), an_object("b", v=deep)])
    assert backend.version("d1") == 1
    assert backend.load_objects("d1")["a"].attributes["v"] == 1 and "b" not in backend.load_objects("d1")
    backend.close()


def test_redis_write_is_all_or_nothing_and_prefixed(redis_url):
    backend = RedisBackend(redis_url, prefix="atomic:")
    backend.save_objects("d1", [an_object("a", v=1)])
    deep = 1
    for _ in range(300):
        deep = [deep]
    with pytest.raises(ApiError):
        backend.save_objects("d1", [an_object("a", v=2), an_object("b", v=deep)])
    assert backend.version("d1") == 1 and sorted(backend.load_objects("d1")) == ["a"]
    other = RedisBackend(redis_url, prefix="other:")  # another plotserver on the same database
    assert other.version("d1") == 0 and dict(other.load_objects("d1")) == {}
    import redis

    keys = {k.decode() for k in redis.Redis.from_url(redis_url).keys("atomic:*")}
    assert keys == {"atomic:objects:d1", "atomic:version:d1", "atomic:changes:d1"}
    backend.close()
    other.close()


def test_redis_processes_see_each_others_writes(redis_url):
    one, two = RedisBackend(redis_url, prefix="shared:"), RedisBackend(redis_url, prefix="shared:")
    one.save_objects("d1", [an_object("a", v=1)])
    assert two.load_objects("d1")["a"].attributes["v"] == 1
    two.save_objects("d1", [an_object("a", v=2)])
    assert one.load_objects("d1")["a"].attributes["v"] == 2 and one.version("d1") == 2
    one.close()
    two.close()


def test_sqlite_sees_writes_of_another_connection(tmp_path):
    """Two processes (here: two connections) on one file: each reads what the other wrote."""
    path = str(tmp_path / "db")
    one, two = SqliteBackend(path), SqliteBackend(path)
    one.save_objects("d1", [an_object("a", v=1)])
    assert two.load_objects("d1")["a"].attributes["v"] == 1
    two.save_objects("d1", [an_object("a", v=2)])
    assert one.version("d1") == 2
    assert one.load_objects("d1")["a"].attributes["v"] == 2
    one.close()
    two.close()


def test_redis_readers_catch_up_on_just_what_other_processes_saved(redis_url):
    from plotserver.backends.redisdb import CHANGE_LOG

    prefix = f"t{uuid.uuid4().hex}:"
    writer, reader = RedisBackend(redis_url, prefix=prefix), RedisBackend(redis_url, prefix=prefix)
    writer.save_objects("d", [an_object("x", v=1), an_object("y", v=1), an_object("z", v=1)])
    _, before = reader.snapshot("d")
    writer.save_objects("d", [an_object("x", v=2)])
    writer.save_objects("d", [an_object("y", v=2)], push=("topic", b"message"))
    version, after = reader.snapshot("d")
    assert version == 3
    assert {k: o.attributes["v"] for k, o in after.items()} == {"x": 2, "y": 2, "z": 1}
    assert after["z"] is before["z"], "an object no save changed is not read again"
    writer.delete_objects("d", ["z"])  # not a logged save: the whole document is read again
    version, again = reader.snapshot("d")
    assert version == 4 and sorted(again) == ["x", "y"] and again["x"] is not after["x"]
    for v in range(CHANGE_LOG + 1):  # more saves than the log keeps: read whole too
        writer.save_objects("d", [an_object("x", v=v)])
    version, latest = reader.snapshot("d")
    assert version == 5 + CHANGE_LOG and latest["x"].attributes["v"] == CHANGE_LOG
    assert latest["y"] is not again["y"]
    writer.save_objects("d", [an_object("odd:id", v=1)])  # an id the log cannot hold: read whole
    assert sorted(reader.snapshot("d")[1]) == ["odd:id", "x", "y"]
    writer.close()
    reader.close()


def test_a_redis_save_that_lost_the_race_brings_its_cache_up_to_date(redis_url):
    prefix = f"t{uuid.uuid4().hex}:"
    one, two = RedisBackend(redis_url, prefix=prefix), RedisBackend(redis_url, prefix=prefix)
    one.save_objects("d", [an_object("x", v=1), an_object("y", v=1)])
    assert two.snapshot("d")[0] == 1
    one.save_objects("d", [an_object("y", v=2)])
    with pytest.raises(VersionChanged) as lost:
        two.save_objects("d", [an_object("x", v=3)], if_version=1)
    assert lost.value.refreshed
    # without asking Redis again, the cache holds what the other process saved
    version, objects = two.snapshot("d", assume_current=True)
    assert version == 2 and objects["y"].attributes["v"] == 2 and objects["x"].attributes["v"] == 1
    assert two.save_objects("d", [an_object("x", v=3)], if_version=2) == 3
    one.close()
    two.close()

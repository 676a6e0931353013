"""Listing and deleting users, and named server values: one suite for every backend."""

from __future__ import annotations

import uuid

import pytest
import redis

from plotserver.backends.memory import MemoryBackend
from plotserver.backends.redisdb import RedisBackend
from plotserver.backends.sqlite import SqliteBackend
from plotserver.models import Doc, StoredObject, User


def a_user(name: str) -> User:
    return User(name, apikey=f"key-{name}", passhash="hash")


def same_store(backend):
    """A second backend instance on the store `backend` uses, as another process would open
    it. The memory backend has no store outside its instance: those tests are skipped."""
    if isinstance(backend, MemoryBackend):
        pytest.skip("the memory backend has no store shared by instances")
    if isinstance(backend, SqliteBackend):
        return SqliteBackend(backend.path)
    return RedisBackend(backend.url, prefix=backend.prefix)


class Maker:
    """A `make` for get_or_create_value that counts its calls."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.value


# --- users ----------------------------------------------------------------------------------

def test_list_users_is_every_username_sorted(backend):
    assert backend.list_users() == []
    for name in ("carol", "alice", "Bob", "bob"):
        assert backend.create_user(a_user(name))
    assert backend.create_user(a_user("alice")) is False  # taken: listed once
    assert backend.list_users() == ["Bob", "alice", "bob", "carol"]


def test_saved_and_document_creating_users_are_listed(backend):
    backend.save_user(a_user("saved"))
    doc = Doc("d1", "first", "pc-d1", apikey="rw", readonlyapikey="ro")
    owner = a_user("owner")
    owner.docs.append({"docid": "d1", "title": "first"})
    backend.create_document(owner, doc, StoredObject("PlotContext", "pc-d1", {"id": "pc-d1"}))
    assert backend.list_users() == ["owner", "saved"]


def test_delete_user_removes_only_the_user_record(backend):
    doc = Doc("d1", "first", "pc-d1", apikey="rw", readonlyapikey="ro", rw_users=["alice"])
    alice = a_user("alice")
    alice.docs.append({"docid": "d1", "title": "first"})
    backend.create_document(alice, doc, StoredObject("PlotContext", "pc-d1", {"id": "pc-d1"}))
    backend.create_user(a_user("bob"))
    assert backend.delete_user("alice") is True
    assert backend.get_user("alice") is None
    assert backend.list_users() == ["bob"]
    # the document stays, objects and all
    assert backend.get_doc("d1") == doc
    assert sorted(backend.load_objects("d1")) == ["pc-d1"]


def test_deleting_a_missing_user_is_false(backend):
    assert backend.delete_user("nobody") is False
    backend.create_user(a_user("alice"))
    assert backend.delete_user("alice") is True
    assert backend.delete_user("alice") is False
    assert backend.list_users() == []


def test_a_deleted_name_can_be_created_again(backend):
    backend.create_user(a_user("alice"))
    backend.delete_user("alice")
    fresh = User("alice", apikey="new-key", passhash="new-hash")
    assert backend.create_user(fresh) is True
    assert backend.get_user("alice").apikey == "new-key"
    assert backend.list_users() == ["alice"]


def test_users_are_seen_by_another_instance_on_the_same_store(backend):
    other = same_store(backend)
    try:
        backend.create_user(a_user("alice"))
        other.create_user(a_user("bob"))
        assert backend.list_users() == other.list_users() == ["alice", "bob"]
        assert other.delete_user("alice") is True
        assert backend.list_users() == ["bob"] and backend.delete_user("alice") is False
    finally:
        other.close()


def test_redis_lists_users_stored_before_the_usernames_set(redis_url):
    """A database written by an earlier version has user keys but no usernames set."""
    prefix = f"t{uuid.uuid4().hex}:"
    raw = redis.Redis.from_url(redis_url)
    raw.set(f"{prefix}user:defaultuser", b'{"username": "defaultuser", "apikey": "k"}')
    raw.set(f"{prefix}user:old*one", b'{"username": "old*one", "apikey": "k"}')
    # keys of another prefix, and other kinds of this one, are not users
    raw.set(f"x{prefix}user:stranger", b"{}")
    raw.set(f"{prefix}doc:d1", b"{}")
    backend = RedisBackend(redis_url, prefix=prefix)
    try:
        backend.create_user(a_user("new"))  # made the set before anything indexed it
        assert backend.list_users() == ["defaultuser", "new", "old*one"]
        assert backend.delete_user("defaultuser") is True
        assert backend.list_users() == ["new", "old*one"]
        # indexed once per database: a later instance does not bring deleted users back
        again = RedisBackend(redis_url, prefix=prefix)
        assert again.list_users() == ["new", "old*one"]
        again.close()
    finally:
        backend.close()
        raw.close()


def test_a_redis_prefix_with_glob_characters_lists_only_its_users(redis_url):
    tag = uuid.uuid4().hex
    raw = redis.Redis.from_url(redis_url)
    raw.set(f"t{tag}[a]:user:old", b"{}")  # an old user of the prefix below
    raw.set(f"t{tag}a:user:other", b"{}")  # matched by the prefix as an unescaped pattern
    backend = RedisBackend(redis_url, prefix=f"t{tag}[a]:")
    try:
        assert backend.list_users() == ["old"]
    finally:
        backend.close()
        raw.close()


# --- named server values --------------------------------------------------------------------

def test_get_or_create_value_makes_the_value_once(backend):
    first = Maker("secret-1")
    assert backend.get_or_create_value("cookie-secret", first) == "secret-1"
    second = Maker("secret-2")
    assert backend.get_or_create_value("cookie-secret", second) == "secret-1"
    assert (first.calls, second.calls) == (1, 0)
    # names are separate
    assert backend.get_or_create_value("other", Maker("x")) == "x"
    assert backend.get_or_create_value("cookie-secret", second) == "secret-1"


def test_a_value_survives_reopening_the_store(backend):
    backend.get_or_create_value("cookie-secret", Maker("kept"))
    backend.close()  # as a restart would
    reopened = same_store(backend)
    try:
        later = Maker("new")
        assert reopened.get_or_create_value("cookie-secret", later) == "kept"
        assert later.calls == 0
    finally:
        reopened.close()


def test_two_instances_agree_on_the_value_first_writer_wins(backend):
    other = same_store(backend)
    try:
        # While this instance makes its value, the other stores one first: both must end up
        # with the other's, the one stored first.
        def make_while_the_other_stores():
            assert other.get_or_create_value("cookie-secret", Maker("theirs")) == "theirs"
            return "mine"

        assert backend.get_or_create_value("cookie-secret", make_while_the_other_stores) == "theirs"
        assert other.get_or_create_value("cookie-secret", Maker("again")) == "theirs"
    finally:
        other.close()


def test_memory_first_writer_wins_too():
    backend = MemoryBackend()

    def make_while_another_stores():
        backend.get_or_create_value("secret", Maker("first"))
        return "second"

    assert backend.get_or_create_value("secret", make_while_another_stores) == "first"
    assert backend.get_or_create_value("secret", Maker("third")) == "first"

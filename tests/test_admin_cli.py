"""`plotserver user add|passwd|list|delete`: the real command in a child process, against a
sqlite file and a real Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid

import pytest
from werkzeug.security import check_password_hash

from conftest import free_port
from plotserver.backends.redisdb import RedisBackend
from plotserver.backends.sqlite import SqliteBackend


def plotserver(*args: str, input: str = "", env: dict | None = None,
               cwd=None) -> subprocess.CompletedProcess:
    # Without the caller's PLOTSERVER_* settings: each test names its backend itself.
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("PLOTSERVER_") and k != "BOKEH_SERVER_DEFAULT_BACKEND"}
    return subprocess.run([sys.executable, "-m", "plotserver", *args], input=input,
                          capture_output=True, text=True, timeout=60, cwd=cwd,
                          env={**clean, **(env or {})})


class Store:
    """The backend flags of one durable store, and a way to read it directly."""

    def __init__(self, flags: list[str], open_backend) -> None:
        self.flags = flags
        self.open = open_backend

    def run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return plotserver(*self.flags, *args, **kwargs)

    def add(self, name: str, password: str) -> subprocess.CompletedProcess:
        return self.run("user", "add", name, "--password-stdin", input=password + "\n")

    def user(self, name: str):
        backend = self.open()
        try:
            return backend.get_user(name)
        finally:
            backend.close()


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        path = str(tmp_path / "plots.sqlite3")
        return Store(["--backend", "sqlite", "--sqlite-path", path], lambda: SqliteBackend(path))
    url = request.getfixturevalue("redis_url")
    prefix = f"admin{uuid.uuid4().hex}:"  # a fresh store on the shared test Redis
    return Store(["--backend", "redis", "--redis-url", url, "--redis-prefix", prefix],
                 lambda: RedisBackend(url, prefix=prefix))


def test_add_prints_the_api_key_of_a_usable_user(store):
    added = store.add("alice", "correct horse")
    assert added.returncode == 0, added.stderr
    key = added.stdout.strip()
    assert added.stdout == key + "\n" and len(key) >= 32
    user = store.user("alice")
    assert user.apikey == key and user.docs == []
    assert check_password_hash(user.passhash, "correct horse")
    assert not check_password_hash(user.passhash, "correct horse\n")


def test_list_prints_every_username_sorted(store):
    assert store.run("user", "list").stdout == ""
    for name in ("carol", "alice", "bob"):
        assert store.add(name, "pw").returncode == 0
    listed = store.run("user", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == "alice\nbob\ncarol\n"


def test_passwd_sets_a_new_password_and_keeps_the_rest(store):
    key = store.add("alice", "old password").stdout.strip()
    changed = store.run("user", "passwd", "alice", "--password-stdin", input="new password\n")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == ""
    user = store.user("alice")
    assert check_password_hash(user.passhash, "new password")
    assert not check_password_hash(user.passhash, "old password")
    assert user.apikey == key


def test_delete_with_yes(store):
    store.add("alice", "pw")
    store.add("bob", "pw")
    deleted = store.run("user", "delete", "alice", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert store.user("alice") is None
    assert store.run("user", "list").stdout == "bob\n"


def test_delete_asks_first(store):
    store.add("alice", "pw")
    kept = store.run("user", "delete", "alice", input="n\n")
    assert kept.returncode == 1 and store.user("alice") is not None
    gone = store.run("user", "delete", "alice", input="y\n")
    assert gone.returncode == 0, gone.stderr
    assert store.user("alice") is None


def test_a_deleted_user_can_be_added_again_with_a_new_key(store):
    first = store.add("alice", "pw").stdout.strip()
    store.run("user", "delete", "alice", "--yes")
    again = store.add("alice", "pw2")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() != first


def test_password_from_the_prompt_with_confirmation(store):
    # Without a terminal the prompt reads standard input: the password, then again.
    added = store.run("user", "add", "alice", input="typed secret\ntyped secret\n")
    assert added.returncode == 0, added.stderr
    assert check_password_hash(store.user("alice").passhash, "typed secret")
    assert store.user("alice").apikey == added.stdout.strip()  # prompts go to stderr


# --- refusals: a message on stderr, exit status 1 ------------------------------------------

def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_adding_an_existing_user_is_refused(store):
    key = store.add("alice", "pw").stdout.strip()
    refused(store.add("alice", "other"), "alice", "exists")
    assert store.user("alice").apikey == key


def test_unknown_users_are_refused(store):
    refused(store.run("user", "passwd", "nobody", "--password-stdin", input="pw\n"), "nobody")
    refused(store.run("user", "delete", "nobody", "--yes"), "nobody")


@pytest.mark.parametrize("name, message", [
    ("a:b", "cannot contain ':' or '/'"),
    ("a/b", "cannot contain ':' or '/'"),
    (" padded", "spaces"),
    ("x" * 65, "at most 64"),
])
def test_bad_usernames_are_refused(store, name, message):
    refused(store.add(name, "pw"), message)
    assert store.run("user", "list").stdout == ""


def test_an_empty_password_is_refused(store):
    refused(store.add("alice", ""), "password is required")
    store.add("alice", "pw")
    refused(store.run("user", "passwd", "alice", "--password-stdin", input="\n"),
            "password is required")
    assert check_password_hash(store.user("alice").passhash, "pw")


def test_the_memory_backend_is_refused(tmp_path):
    for args in (["user", "list"], ["--backend", "memory", "user", "add", "alice",
                                    "--password-stdin"]):
        refused(plotserver(*args, input="pw\n", cwd=tmp_path), "memory backend", "sqlite",
                "redis")


def test_an_unreachable_redis_is_a_clear_error(tmp_path):
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    result = plotserver("--backend", "redis", "--redis-url", url, "user", "list", cwd=tmp_path)
    refused(result, "cannot reach Redis at redis://:***@127.0.0.1:")
    assert "hunter2" not in result.stderr


def test_no_redis_is_started_for_an_admin_command(tmp_path):
    port = free_port()
    result = plotserver("--backend", "redis", "--redis-port", str(port), "user", "list",
                        cwd=tmp_path)
    refused(result, "cannot reach Redis", str(port))
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert not list(tmp_path.iterdir())  # no append-only file either


# --- where the backend is named ------------------------------------------------------------

def test_the_backend_from_the_environment(tmp_path):
    env = {"PLOTSERVER_BACKEND": "sqlite", "PLOTSERVER_SQLITE_PATH": str(tmp_path / "env.db")}
    added = plotserver("user", "add", "alice", "--password-stdin", input="pw\n", env=env)
    assert added.returncode == 0, added.stderr
    assert plotserver("user", "list", env=env).stdout == "alice\n"
    backend = SqliteBackend(str(tmp_path / "env.db"))
    assert backend.get_user("alice").apikey == added.stdout.strip()
    backend.close()


def test_server_flags_are_accepted_and_ignored(tmp_path):
    flags = ["--backend", "sqlite", "--sqlite-path", str(tmp_path / "db"), "--port", "1",
             "--ip", "192.0.2.1", "-m", "--url-prefix", "/plots"]
    assert plotserver(*flags, "user", "add", "alice", "--password-stdin",
                      input="pw\n").returncode == 0
    assert plotserver(*flags, "user", "list").stdout == "alice\n"


def test_help_names_the_user_commands():
    top = plotserver("--help")
    assert top.returncode == 0 and "user" in top.stdout.split("Commands:", 1)[1]
    sub = plotserver("user", "--help")
    assert sub.returncode == 0
    for command in ("add", "passwd", "list", "delete"):
        assert command in sub.stdout.split("Commands:", 1)[1]

"""User accounts for multi-user mode: names, password hashes, registration, and the slowing
down of repeated login failures. No Flask in here: the views and the `plotserver user`
administration commands both use it.

Passwords are hashed with Werkzeug's scrypt (salted, deliberately slow: ~80 ms here). The
hash runs on gevent's thread pool (hashlib's scrypt releases the GIL), so a login costs its
caller the time, not every other request of the process."""

from __future__ import annotations

import time
import unicodedata

import gevent
from werkzeug.security import check_password_hash, generate_password_hash

from .models import User, new_id

MAX_USERNAME = 64
MAX_PASSWORD = 1024  # scrypt takes any length; a cap keeps a huge field from costing more

# Checked against when the user does not exist, so that an unknown name costs the same time
# as a wrong password and the answer cannot tell the two apart.
_NOBODY_HASH = generate_password_hash(new_id())


class AccountError(ValueError):
    """A username or password that cannot be used; the message says why, for the user."""


def check_username(username: str) -> str:
    """Names appear in WebSocket topics (`bokehuser:<name>`), URLs and pages: printable
    characters only, no ':' or '/', no surrounding spaces, at most 64 characters."""
    if type(username) is not str or not username:
        raise AccountError("a username is required")
    if len(username) > MAX_USERNAME:
        raise AccountError(f"a username has at most {MAX_USERNAME} characters")
    if username != username.strip():
        raise AccountError("a username cannot start or end with spaces")
    if ":" in username or "/" in username:
        raise AccountError("a username cannot contain ':' or '/'")
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in username):
        raise AccountError("a username cannot contain control or separator characters")
    return username


def check_password(password: str) -> str:
    if type(password) is not str or not password:
        raise AccountError("a password is required")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")
    return password


def _off_loop(function, *args):
    return gevent.get_hub().threadpool.apply(function, args)


def hash_password(password: str) -> str:
    return _off_loop(generate_password_hash, check_password(password))


def password_matches(user: User | None, password: str) -> bool:
    """Whether `password` is the user's; as slow for a user who does not exist."""
    if type(password) is not str or len(password) > MAX_PASSWORD:
        password = ""
    passhash = user.passhash if user is not None else _NOBODY_HASH
    try:
        matches = _off_loop(check_password_hash, passhash, password)
    except ValueError:  # a record without a usable hash (single-user's defaultuser)
        matches = False
    return matches and user is not None


def new_user(username: str, password: str) -> User:
    """A user record with a fresh API key; not stored yet."""
    return User(check_username(username), new_id(), hash_password(password))


class LoginThrottle:
    """Slows down guessing: after FREE failed logins for one username or from one address
    within WINDOW seconds, each further attempt waits 1, 2, 4, ... up to MAX_DELAY seconds
    before it is answered (right or wrong, so the wait tells nothing). A success clears the
    username's count. Per process; memory is bounded by forgetting the oldest entries."""

    FREE = 5
    WINDOW = 15 * 60
    MAX_DELAY = 30.0
    MAX_ENTRIES = 100_000

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, first failure)

    def _count(self, key: str) -> int:
        entry = self._failures.get(key)
        if entry is None:
            return 0
        if self._clock() - entry[1] > self.WINDOW:
            del self._failures[key]
            return 0
        return entry[0]

    def delay(self, username: str, address: str) -> float:
        over = max(self._count("u:" + username), self._count("a:" + address)) - self.FREE
        return 0.0 if over < 0 else min(2.0 ** over, self.MAX_DELAY)

    def failed(self, username: str, address: str) -> None:
        now = self._clock()
        for key in ("u:" + username, "a:" + address):
            count = self._count(key)
            start = self._failures.pop(key, (0, now))[1]
            self._failures[key] = (count + 1, start)  # re-inserted: newest last
        while len(self._failures) > self.MAX_ENTRIES:
            del self._failures[next(iter(self._failures))]

    def succeeded(self, username: str) -> None:
        self._failures.pop("u:" + username, None)

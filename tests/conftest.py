"""Test fixtures that start real plotserver processes (gevent, the real CLI) on free ports."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
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


@pytest.fixture(scope="module", params=["memory", "sqlite"])
def server(request, tmp_path_factory):
    """One server shared by a test module (for tests that do not depend on global state);
    every test that uses it runs once per backend."""
    workdir = tmp_path_factory.mktemp("server")
    args = [] if request.param == "memory" else [
        "--backend", "sqlite", "--sqlite-path", str(workdir / "plots.sqlite3")]
    proc = ServerProcess(*args, workdir=workdir)
    yield proc
    proc.stop()


@pytest.fixture
def fresh_server(start_server):
    return start_server()

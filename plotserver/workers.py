"""`plotserver --workers N`: N server processes listening on one port.

Each worker is a whole plotserver (`python -m plotserver` with the same command line) that
binds the port with SO_REUSEPORT, so the kernel spreads new connections over the workers and
a single command uses every core. Workers share nothing but Redis: documents live there and
pushes cross between them through its pub/sub (pubsub/redisbus.py), so any worker can serve
any request and no connection needs to stick to one (several hosts behind a load balancer
work the same way).

This parent process only supervises: it starts the Redis child when asked to, starts the
workers, restarts one that dies, and on SIGTERM or Ctrl-C stops them all (then Redis)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time

import gevent

from .settings import Settings, SettingsError

log = logging.getLogger("plotserver.workers")

# A worker that exits sooner than this after starting is failing at start (a port taken, a
# Redis refusing it): restarting it would only repeat that, so everything stops instead.
FAILING_START_SECONDS = 5.0
STOP_TIMEOUT = 10.0


class Supervisor:
    def __init__(self, settings: Settings, argv: list[str]) -> None:
        self.settings = settings
        self.argv = argv  # the command line, given again to every worker
        self.workers: list[tuple[subprocess.Popen, float]] = []
        self.stopping = False
        self.redis_child: subprocess.Popen | None = None

    def run(self) -> int:
        settings = self.settings
        check_port_free(settings.ip, settings.port)
        if not settings.redis_url and settings.start_redis:
            from .backends.redisdb import start_redis

            self.redis_child = start_redis(settings.redis_port, os.getcwd())
        gevent.signal_handler(signal.SIGTERM, self._stop)  # the CLI has monkey-patched
        gevent.signal_handler(signal.SIGINT, self._stop)
        try:
            self.workers = [(self._start_worker(), time.monotonic())
                            for _ in range(settings.workers)]
            return self._supervise()
        finally:
            self._stop_all()

    def _start_worker(self) -> subprocess.Popen:
        env = dict(os.environ, PLOTSERVER_WORKER_PROCESS="1")
        return subprocess.Popen([sys.executable, "-m", "plotserver", *self.argv], env=env)

    def _supervise(self) -> int:
        while not self.stopping:
            time.sleep(0.2)
            for index, (worker, started) in enumerate(self.workers):
                status = worker.poll()
                if status is None or self.stopping:
                    continue
                if time.monotonic() - started < FAILING_START_SECONDS:
                    print(f"plotserver: worker {worker.pid} failed at start (status {status}); "
                          "stopping", file=sys.stderr, flush=True)
                    return 1
                log.warning("worker %d exited with status %s; starting another",
                            worker.pid, status)
                self.workers[index] = (self._start_worker(), time.monotonic())
        return 0

    def _stop(self, *_) -> None:
        if not self.stopping:
            print("Shutting down bokeh-server ...", flush=True)
        self.stopping = True

    def _stop_all(self) -> None:
        for worker, _ in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for worker, _ in self.workers:
            try:
                worker.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        if self.redis_child is not None:
            self.redis_child.terminate()
            try:
                self.redis_child.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.redis_child.kill()


def check_port_free(ip: str, port: int) -> None:
    """Fail before starting anything when the port is held by a socket the workers could not
    share (without listening on it here: a listening parent would be handed connections)."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        probe.bind((ip, port))
    except OSError as exc:
        raise SettingsError(f"plotserver: cannot listen on {ip}:{port}: "
                            f"{exc.strerror or exc}") from None
    finally:
        probe.close()

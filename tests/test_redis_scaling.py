"""Several plotserver processes sharing one Redis: pushes cross processes in order, `--workers N`
shares one port, and a Redis that goes away and comes back is survived without a restart.
Real processes, a real redis-server, raw WebSockets."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

import requests
import websocket

from conftest import ServerProcess, free_port
from plotserver.backends.redisdb import start_redis
from helpers import create_doc, line_plot, source, split_frame, subscribe, upsert


def shared_redis_args(redis_url: str, prefix: str) -> tuple[str, ...]:
    return ("--backend", "redis", "--redis-url", redis_url, "--redis-prefix", prefix)


def read_pushes(ws, count: int, into: list, timeout: float = 60.0) -> None:
    """Collect the `y[0]` of `count` modelpushes (each write's number) from `ws`."""
    ws.settimeout(timeout)
    while len(into) < count:
        _, message = split_frame(ws.recv())
        if message.get("msgtype") == "modelpush":
            into.append(message["modelspecs"][0]["attributes"]["data"]["y"][0])


def numbered_write(number: int, n_points: int = 5) -> bytes:
    envelope = source(n_points=n_points)
    envelope["attributes"]["data"]["y"] = [number] * n_points
    return json.dumps([envelope]).encode()


def test_a_subscriber_on_one_process_gets_every_write_through_another_in_order(
        start_server, redis_url, tmp_path):
    args = shared_redis_args(redis_url, f"{tmp_path.name}:")
    writer_side, reader_side = start_server(*args), start_server(*args)
    doc = create_doc(writer_side.url, "across")
    assert upsert(writer_side.url, doc.docid, line_plot(doc)).ok
    ws = subscribe(reader_side.host, f"bokehplot:{doc.docid}", doc.apikey)
    writes = 10_000
    received: list[int] = []
    reader = threading.Thread(target=read_pushes, args=(ws, writes, received))
    reader.start()
    connection = http.client.HTTPConnection("127.0.0.1", writer_side.port, timeout=10)
    path = f"/bokeh/bb/{doc.docid}/bulkupsert"
    for number in range(writes):  # one keep-alive connection, as a streaming script writes
        connection.request("POST", path, body=numbered_write(number),
                           headers={"Content-Type": "application/json"})
        reply = connection.getresponse()
        assert reply.status == 200, reply.read()
        reply.read()
    connection.close()
    reader.join(60)
    ws.close()
    assert len(received) == writes, f"{writes - len(received)} pushes lost"
    assert received == list(range(writes)), "pushes out of order"


def test_concurrent_writers_on_two_processes_are_pushed_in_the_order_stored(
        start_server, redis_url, tmp_path):
    """Two processes writing one source at once: every subscriber, on either process, sees
    the same sequence of pushes, and its last push is what the document holds."""
    args = shared_redis_args(redis_url, f"{tmp_path.name}:")
    servers = [start_server(*args), start_server(*args)]
    doc = create_doc(servers[0].url, "race")
    assert upsert(servers[0].url, doc.docid, line_plot(doc)).ok
    sockets = [subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey) for server in servers]
    per_writer = 300
    seen: list[list[int]] = [[], []]
    readers = [threading.Thread(target=read_pushes, args=(ws, 2 * per_writer, into))
               for ws, into in zip(sockets, seen)]
    for reader in readers:
        reader.start()

    def write(server, numbers):
        http = requests.Session()
        for number in numbers:
            assert http.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert",
                             data=numbered_write(number), timeout=10).status_code == 200

    writers = [threading.Thread(target=write, args=(servers[0], range(0, per_writer))),
               threading.Thread(target=write, args=(servers[1], range(per_writer, 2 * per_writer)))]
    for thread in writers:
        thread.start()
    for thread in writers + readers:
        thread.join(60)
    assert len(seen[0]) == len(seen[1]) == 2 * per_writer
    assert seen[0] == seen[1], "the two processes saw the writes in different orders"
    stored = requests.get(f"{servers[1].url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/",
                          timeout=10).json()["data"]["y"][0]
    assert seen[0][-1] == stored


def listening_sockets(port: int) -> int:
    """LISTEN sockets on `port` (each SO_REUSEPORT worker has its own)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    count += 1
    return count


def children_of(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(child) for child in f.read().split()]


def test_workers_share_one_port_and_every_subscriber_gets_every_push(redis_url, tmp_path):
    port = free_port()
    server = ServerProcess(*shared_redis_args(redis_url, f"{tmp_path.name}:"), "--workers", "2",
                           workdir=tmp_path, port=port)
    try:
        workers = children_of(server.process.pid)
        assert len(workers) == 2
        deadline = time.monotonic() + 10
        while listening_sockets(port) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert listening_sockets(port) == 2, "both workers listen on the one port"
        assert "(2 worker processes)" in server.stdout()
        doc = create_doc(server.url, "workers")
        assert upsert(server.url, doc.docid, line_plot(doc)).ok
        # 16 connections: the kernel spreads them over both workers (all on one: 2^-15).
        sockets = [subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey) for _ in range(16)]
        for number in range(20):  # each write on a connection of its own
            assert requests.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert",
                                 data=numbered_write(number), timeout=10).status_code == 200
        for ws in sockets:
            received: list[int] = []
            read_pushes(ws, 20, received, timeout=10)
            assert received == list(range(20))
            ws.close()
    finally:
        assert server.stop() == 0
    for pid in workers:  # SIGTERM to the parent stopped every worker
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"


def test_more_than_one_worker_needs_the_redis_backend(tmp_path):
    result = subprocess.run([sys.executable, "-m", "plotserver", "--workers", "2",
                             "--port", str(free_port())],
                            cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "--workers above 1 needs --backend redis" in result.stderr


class RedisChild:
    """A redis-server of this test's own (it is stopped and started again), as --start-redis
    runs it: its data in an append-only file, written out when it is stopped."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = str(directory)
        self.process = None

    def start(self) -> None:
        self.process = start_redis(self.port, self.directory)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)


def test_redis_going_away_answers_503_closes_sockets_and_recovers(start_server, tmp_path):
    store = RedisChild(tmp_path)
    store.start()
    try:
        server = start_server("--backend", "redis", "--redis-url",
                              f"redis://127.0.0.1:{store.port}/0")
        doc = create_doc(server.url, "outage")
        assert upsert(server.url, doc.docid, line_plot(doc)).ok
        ws = subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey)

        store.stop()
        # The open WebSocket is told: a close frame asking to come back later (1013).
        ws.settimeout(15)
        opcode, payload = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(payload[:2], "big") == 1013
        # Requests answer a JSON 503 while Redis is away, reads and writes alike.
        for reply in (requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=10),
                      upsert(server.url, doc.docid, [source()]),
                      requests.get(f"{server.url}/bokeh/userinfo/", timeout=10)):
            assert reply.status_code == 503
            assert reply.json()["error"] == "unavailable"
        # A new subscription is refused the same way, so pages keep retrying.
        refused = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=10)
        refused.send(json.dumps({"msgtype": "subscribe", "topic": f"bokehplot:{doc.docid}",
                                 "auth": doc.apikey}))
        opcode, payload = refused.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(payload[:2], "big") == 1013

        store.start()  # the same port and data: the server recovers without a restart
        deadline = time.monotonic() + 20
        while requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "no recovery"
            time.sleep(0.1)
        deadline = time.monotonic() + 20
        while True:  # the bus reconnects on its own schedule (backoff up to 2 s)
            try:
                again = subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey)
                break
            except (AssertionError, websocket.WebSocketException):
                assert time.monotonic() < deadline, "subscriptions never came back"
                time.sleep(0.2)
        assert upsert(server.url, doc.docid, [json.loads(numbered_write(7))[0]]).ok
        pushed: list[int] = []
        read_pushes(again, 1, pushed, timeout=10)
        assert pushed == [7]
        assert "Traceback" not in server.stderr()
    finally:
        store.stop()


def test_merges_through_two_processes_never_undo_each_other(start_server, redis_url, tmp_path):
    """Process A keeps setting one attribute of an object, B another, at once. Each write is
    merged onto the object as read; a save onto a version that another process has replaced
    meanwhile is merged again, so neither writer's last value is lost."""
    args = shared_redis_args(redis_url, f"{tmp_path.name}:")
    servers = [start_server(*args), start_server(*args)]
    doc = create_doc(servers[0].url, "merges")
    assert upsert(servers[0].url, doc.docid, line_plot(doc)).ok
    writes = 300

    def write(server, attribute, values):
        http = requests.Session()
        for value in values:
            body = [{"type": "ColumnDataSource", "id": "cds1",
                     "attributes": {"id": "cds1", attribute: value}}]
            assert http.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert", json=body,
                             timeout=10).status_code == 200

    ws = subscribe(servers[1].host, f"bokehplot:{doc.docid}", doc.apikey)
    pushed: list[dict] = []

    def read():
        ws.settimeout(60)
        while len(pushed) < 2 * writes:
            _, message = split_frame(ws.recv())
            if message.get("msgtype") == "modelpush":
                pushed.append(message["modelspecs"][0]["attributes"])

    threads = [threading.Thread(target=write, args=(servers[0], "name", [f"a{n}" for n in range(writes)])),
               threading.Thread(target=write, args=(servers[1], "tags", [[n] for n in range(writes)]))]
    reader = threading.Thread(target=read)
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads + [reader]:
        thread.join(120)
    ws.close()
    # Every push is the whole merged object: neither attribute may ever step back.
    names = [int(p["name"][1:]) for p in pushed if p.get("name", "").startswith("a")]
    tags = [p["tags"][0] for p in pushed if p.get("tags")]
    assert names == sorted(names) and tags == sorted(tags), "a merge undid another's write"
    stored = requests.get(f"{servers[0].url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/",
                          timeout=10).json()
    assert (stored["name"], stored["tags"]) == (f"a{writes - 1}", [writes - 1])
    assert stored["data"]["x"] == list(range(5))  # and what neither wrote is as it was

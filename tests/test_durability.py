"""Storage through a real server: with the sqlite backend what was published survives a
restart, and a server killed in the middle of a stream of writes keeps every acknowledged
write, whole; with every backend, concurrent writers lose nothing."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from conftest import free_port
from helpers import create_doc, line_plot, source, upsert


def snapshot(server, docid: str) -> list[bytes]:
    """What the API answers about the document and its user, as raw bytes."""
    paths = ["/bokeh/userinfo/", f"/bokeh/bokehinfo/{docid}/", f"/bokeh/bb/{docid}/",
             f"/bokeh/getdocapikey/{docid}", f"/bokeh/bb/{docid}/ColumnDataSource/cds1/"]
    replies = [requests.get(server.url + path, timeout=10) for path in paths]
    assert [r.status_code for r in replies] == [200] * len(paths)
    return [r.content for r in replies]


@pytest.fixture(params=["sqlite", "redis"])
def durable_storage(request, tmp_path):
    """The command-line flags of a durable store in `tmp_path`: an sqlite file, or a Redis
    that plotserver starts itself (--start-redis, its append-only file in the working
    directory), as a user runs them."""
    if request.param == "sqlite":
        yield ("--backend", "sqlite", "--sqlite-path", str(tmp_path / "plots.sqlite3"))
        return
    port = free_port()
    yield ("--backend", "redis", "--redis-port", str(port), "--start-redis")
    # A server killed with SIGKILL cannot stop its Redis child: stop it here.
    import redis

    try:
        redis.Redis(port=port).shutdown(nosave=True)
    except redis.RedisError:
        pass  # already stopped with its server


def test_a_restart_keeps_every_document_object_and_user(start_server, durable_storage):
    server = start_server(*durable_storage)
    docs = [create_doc(server.url, title) for title in ("first", "second")]
    for doc in docs:
        assert upsert(server.url, doc.docid, line_plot(doc, n_points=1000)).ok
    before = [snapshot(server, doc.docid) for doc in docs]
    assert server.stop() == 0  # SIGTERM (which also stops a Redis it started)
    again = start_server(*durable_storage)
    assert [snapshot(again, doc.docid) for doc in docs] == before


def test_shelve_means_the_sqlite_backend(start_server, tmp_path):
    database = str(tmp_path / "shelved.sqlite3")
    server = start_server("--backend", "shelve", "--sqlite-path", database)
    doc = create_doc(server.url, "kept")
    server.stop()
    again = start_server("--backend", "sqlite", "--sqlite-path", database)
    titles = [d["title"] for d in requests.get(again.url + "/bokeh/userinfo/", timeout=5).json()["docs"]]
    assert titles == ["kept"] and doc.docid


def test_sigkill_during_a_stream_of_writes_loses_no_acknowledged_write(start_server,
                                                                      durable_storage):
    server = start_server(*durable_storage)
    doc = create_doc(server.url, "stream")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    acknowledged = []
    stop = threading.Event()

    def write():
        http = requests.Session()
        i = 0
        while not stop.is_set():
            i += 1
            envelope = source(n_points=2000)
            envelope["attributes"]["data"]["y"] = [i] * 2000  # every y: the write's number
            try:
                reply = http.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert",
                                  json=[envelope], timeout=5)
            except requests.RequestException:
                return  # the server is gone
            if reply.status_code == 200:
                acknowledged.append(i)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(1.5)
    server.process.kill()  # SIGKILL: no shutdown, no flush of anything
    server.process.wait()
    stop.set()
    writer.join(10)
    assert len(acknowledged) > 10, "the stream barely ran"
    again = start_server(*durable_storage)
    data = requests.get(f"{again.url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/",
                        timeout=10).json()["data"]
    ys = set(data["y"])
    assert len(ys) == 1, "a write was half applied"
    # The last acknowledged write, or the one whose reply the kill cut off.
    assert ys.pop() in (acknowledged[-1], acknowledged[-1] + 1)
    assert data["x"] == list(range(2000))


def a_plot_of_sources(doc, count: int) -> list[dict]:
    """PlotContext -> Plot -> `count` line renderers, each with its own source w0..w{count-1}."""
    def env(type_name, object_id, **attributes):
        return {"type": type_name, "id": object_id, "attributes": {"id": object_id, **attributes}}

    def ref(type_name, object_id):
        return {"type": type_name, "id": object_id}

    envelopes = [env("PlotContext", doc.plot_context_id, children=[ref("Plot", "plot")]),
                 env("Plot", "plot", renderers=[ref("GlyphRenderer", f"r{k}") for k in range(count)])]
    for k in range(count):
        envelopes += [env("GlyphRenderer", f"r{k}", data_source=ref("ColumnDataSource", f"w{k}"),
                          glyph=ref("Line", f"g{k}")),
                      env("Line", f"g{k}", x={"field": "x"}, y={"field": "y"}),
                      env("ColumnDataSource", f"w{k}", column_names=["x", "y"],
                          data={"x": [0, 1, 2], "y": [0, 0, 0]})]
    return envelopes


@pytest.mark.parametrize("backend", ["memory", "sqlite", "redis"])
def test_eight_concurrent_writers_lose_nothing(start_server, tmp_path, request, backend):
    """8 writers, each storing its own data source again and again for 3 s, all at once: no
    error, no lost object, and each source ends as its writer's last write."""
    storage = ()
    if backend == "sqlite":
        storage = ("--backend", "sqlite", "--sqlite-path", str(tmp_path / "db.sqlite3"))
    elif backend == "redis":
        storage = ("--backend", "redis", "--redis-url", request.getfixturevalue("redis_url"),
                   "--redis-prefix", f"{tmp_path.name}:")
    server = start_server(*storage)
    doc = create_doc(server.url, "eight writers")
    assert upsert(server.url, doc.docid, a_plot_of_sources(doc, 8)).ok
    last = {}
    failures = []

    def write(k: int):
        http = requests.Session()
        deadline = time.monotonic() + 3
        i = 0
        while time.monotonic() < deadline:
            i += 1
            body = [{"type": "ColumnDataSource", "id": f"w{k}", "attributes": {
                "id": f"w{k}", "column_names": ["x", "y"], "data": {"x": [0, 1, 2], "y": [i] * 3}}}]
            reply = http.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert", json=body, timeout=10)
            if reply.status_code != 200:
                failures.append((k, reply.status_code, reply.text[:200]))
                return
            last[k] = i

    writers = [threading.Thread(target=write, args=(k,)) for k in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(30)
    assert failures == []
    assert min(last.values()) > 10, last
    stored = {e["id"]: e for e in requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=10).json()}
    assert len(stored) == 2 + 3 * 8  # PlotContext, Plot and every renderer, glyph and source
    for k in range(8):
        assert stored[f"w{k}"]["attributes"]["data"]["y"] == [last[k]] * 3

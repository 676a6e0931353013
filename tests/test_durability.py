"""The sqlite backend through a real server: what was published survives a restart, and a
server killed in the middle of a stream of writes keeps every acknowledged write, whole."""

from __future__ import annotations

import threading
import time

import requests

from helpers import create_doc, line_plot, source, upsert


def snapshot(server, docid: str) -> list[bytes]:
    """What the API answers about the document and its user, as raw bytes."""
    paths = ["/bokeh/userinfo/", f"/bokeh/bokehinfo/{docid}/", f"/bokeh/bb/{docid}/",
             f"/bokeh/getdocapikey/{docid}", f"/bokeh/bb/{docid}/ColumnDataSource/cds1/"]
    replies = [requests.get(server.url + path, timeout=10) for path in paths]
    assert [r.status_code for r in replies] == [200] * len(paths)
    return [r.content for r in replies]


def test_a_restart_keeps_every_document_object_and_user(start_server, tmp_path):
    database = str(tmp_path / "plots.sqlite3")
    server = start_server("--backend", "sqlite", "--sqlite-path", database)
    docs = [create_doc(server.url, title) for title in ("first", "second")]
    for doc in docs:
        assert upsert(server.url, doc.docid, line_plot(doc, n_points=1000)).ok
    before = [snapshot(server, doc.docid) for doc in docs]
    assert server.stop() == 0  # SIGTERM
    again = start_server("--backend", "sqlite", "--sqlite-path", database)
    assert [snapshot(again, doc.docid) for doc in docs] == before


def test_shelve_means_the_sqlite_backend(start_server, tmp_path):
    database = str(tmp_path / "shelved.sqlite3")
    server = start_server("--backend", "shelve", "--sqlite-path", database)
    doc = create_doc(server.url, "kept")
    server.stop()
    again = start_server("--backend", "sqlite", "--sqlite-path", database)
    titles = [d["title"] for d in requests.get(again.url + "/bokeh/userinfo/", timeout=5).json()["docs"]]
    assert titles == ["kept"] and doc.docid


def test_sigkill_during_a_stream_of_writes_loses_no_acknowledged_write(start_server, tmp_path):
    database = str(tmp_path / "stream.sqlite3")
    server = start_server("--backend", "sqlite", "--sqlite-path", database)
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
    again = start_server("--backend", "sqlite", "--sqlite-path", database)
    data = requests.get(f"{again.url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/",
                        timeout=10).json()["data"]
    ys = set(data["y"])
    assert len(ys) == 1, "a write was half applied"
    # The last acknowledged write, or the one whose reply the kill cut off.
    assert ys.pop() in (acknowledged[-1], acknowledged[-1] + 1)
    assert data["x"] == list(range(2000))

"""The first thing users try - bokeh 0.10's animated line demo, unchanged but for the
import - runs against plotserver: the requests are the captured ones
(tests/fixtures/streaming_demo.json), every store_objects() is stored (GET /bokeh/bb/<docid>/)
and pushed to a WebSocket subscriber.

The demo names no server, so it talks to the default http://localhost:5006/; the tests point
that name at their own server through the config file, which is how 0.10 users redirected
sessions too (the saved root_url of the session's name wins)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from random import shuffle

import pytest
import requests

from helpers import split_frame, subscribe
from plotclient.io import reset_output
from plotclient.session import DEFAULT_SERVER_URL
from replay import IdMap
from wire_recorder import RecordingProxy, assert_requests_match, client_requests


FIXTURE = json.loads((Path(__file__).resolve().parents[1] / "fixtures" /
                      "streaming_demo.json").read_text())
SETUP_SEQS = [1, 2, 3, 4, 5, 6]  # output_server() and show()
STORE_SEQ = 23  # one store_objects(ds)

DEMO = """\
from random import shuffle
from plotclient.plotting import figure, output_server, cursession, show
output_server('animated_line')
p = figure(plot_width=400, plot_height=400)
p.line([1, 2, 3, 4, 5], [6, 7, 2, 4, 5], name='ex_line')
show(p)
ds = p.select(dict(name='ex_line'))[0].data_source
while True:
    shuffle(ds.data['y'])
    cursession().store_objects(ds)
"""


def point_default_url_at(configdir: Path, url: str) -> None:
    configdir.mkdir(parents=True, exist_ok=True)
    entry = {"root_url": url, "userapikey": "nokey", "username": "defaultuser"}
    (configdir / "config.json").write_text(json.dumps({DEFAULT_SERVER_URL: entry}))


def expected_requests(pushed_ys: list[list]) -> list[dict]:
    """The captured setup requests, then one captured store_objects per push, each with the
    y values this run pushed (the capture's were shuffled differently)."""
    setup = [e for e in client_requests(FIXTURE) if e["seq"] in SETUP_SEQS]
    store = next(e for e in FIXTURE["events"] if e["seq"] == STORE_SEQ)
    pushes = []
    for y in pushed_ys:
        event = copy.deepcopy(store)
        event["request"]["body_json"][0]["attributes"]["data"]["y"] = list(y)
        pushes.append(event)
    return setup + pushes


def served_y(url: str, docid: str, source_id: str) -> list:
    envelopes = requests.get(f"{url}/bokeh/bb/{docid}/", timeout=5).json()
    (source,) = [e for e in envelopes if e["id"] == source_id]
    return source["attributes"]["data"]["y"]


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("PLOTCLIENT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PLOTCLIENT_BROWSER", "none")
    reset_output()
    yield tmp_path / "config"
    reset_output()


def test_demo_in_process_every_store_is_stored_and_pushed(fresh_server, isolated, capsys):
    from plotclient.plotting import cursession, figure, output_server, show
    with RecordingProxy(fresh_server.host) as proxy:
        point_default_url_at(isolated, proxy.url)
        # -- the demo, with a bounded loop and checks after every store
        output_server('animated_line')
        p = figure(plot_width=400, plot_height=400)
        p.line([1, 2, 3, 4, 5], [6, 7, 2, 4, 5], name='ex_line')
        show(p)
        ds = p.select(dict(name='ex_line'))[0].data_source
        session = cursession()
        ws = subscribe(fresh_server.host, f"bokehplot:{session.docid}", session.apikey)
        pushed = []
        for _ in range(5):
            shuffle(ds.data['y'])
            cursession().store_objects(ds)
            y = list(ds.data['y'])
            pushed.append(y)
            assert served_y(fresh_server.url, session.docid, ds.id) == y
            topic, message = split_frame(ws.recv())
            assert topic == f"bokehplot:{session.docid}"
            assert message["msgtype"] == "modelpush"
            (spec,) = message["modelspecs"]
            assert spec["id"] == ds.id and spec["attributes"]["data"]["y"] == y
        ws.close()
    assert "Using saved session configuration for http://localhost:5006/" in \
        capsys.readouterr().out
    sent = [r for r in proxy.requests if r.header("bokehuser")]  # not the test's own GETs
    assert_requests_match(expected_requests(pushed), sent, IdMap())
    assert {r.connection for r in sent} == {0}


def test_second_run_reuses_the_document_and_its_plot_context(fresh_server, isolated):
    from plotclient.plotting import curdoc, figure, output_server, show
    with RecordingProxy(fresh_server.host) as proxy:
        point_default_url_at(isolated, proxy.url)
        contexts = []
        for _ in range(2):
            reset_output()
            output_server('animated_line')
            p = figure(plot_width=400, plot_height=400)
            p.line([1, 2, 3, 4, 5], [6, 7, 2, 4, 5], name='ex_line')
            show(p)
            contexts.append(curdoc().context.id)
    assert contexts[0] == contexts[1]
    second = [f"{r.method} {r.path.split('/')[2]}" for r in proxy.requests[6:]]
    assert second == ["GET userinfo", "GET getdocapikey", "POST bb", "GET bb", "POST bb"]
    body = proxy.requests[-1].json()  # the PlotContext (same id) and the 23 new objects
    assert len(body) == 24
    (context,) = [e for e in body if e["type"] == "PlotContext"]
    assert context["id"] == contexts[0]
    assert [c["id"] for c in context["attributes"]["children"]] == [p.id]


def test_demo_script_unchanged_in_a_subprocess(fresh_server, tmp_path):
    """The script as users write it (an endless loop, no sleep), killed after a subscriber
    has seen its pushes."""
    script = tmp_path / "animated_line.py"
    script.write_text(DEMO)
    env = dict(os.environ, PLOTCLIENT_CONFIG_DIR=str(tmp_path / "config"),
               PLOTCLIENT_BROWSER="none", BROWSER="true")
    with RecordingProxy(fresh_server.host) as proxy:
        point_default_url_at(tmp_path / "config", proxy.url)
        demo = subprocess.Popen([sys.executable, str(script)], env=env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            docid = wait_for_document(fresh_server.url, "animated_line", demo)
            apikey = requests.get(f"{fresh_server.url}/bokeh/getdocapikey/{docid}",
                                  timeout=5).json()["apikey"]
            ws = subscribe(fresh_server.host, f"bokehplot:{docid}", apikey)
            frames = [split_frame(ws.recv())[1] for _ in range(5)]
            ws.close()
        finally:
            demo.kill()
            out, err = demo.communicate(timeout=10)
        time.sleep(0.2)  # let the proxy finish the request it was forwarding
    assert b"Traceback" not in err, err.decode()[-2000:]
    answered = [r for r in proxy.requests if r.status is not None]
    pushes = answered[len(SETUP_SEQS):]
    pushed_ys = [r.json()[0]["attributes"]["data"]["y"] for r in pushes]
    assert len(pushed_ys) >= 5
    assert_requests_match(expected_requests(pushed_ys), answered, IdMap())
    source_id = pushes[0].json()[0]["id"]
    for frame in frames:
        (spec,) = frame["modelspecs"]
        assert spec["id"] == source_id
        assert sorted(spec["attributes"]["data"]["y"]) == [2, 4, 5, 6, 7]
        assert spec["attributes"]["data"]["y"] in pushed_ys
    assert served_y(fresh_server.url, docid, source_id) == pushed_ys[-1]


def wait_for_document(url: str, title: str, process: subprocess.Popen) -> str:
    """The docid once the demo's show() has pushed its plot (a CDS is stored)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        docs = requests.get(url + "/bokeh/userinfo/", timeout=5).json()["docs"]
        docid = next((d["docid"] for d in docs if d["title"] == title), None)
        if docid:
            envelopes = requests.get(f"{url}/bokeh/bb/{docid}/", timeout=5).json()
            if any(e["type"] == "ColumnDataSource" for e in envelopes):
                return docid
        time.sleep(0.05)
    raise AssertionError("the demo did not create its document within 20 s")

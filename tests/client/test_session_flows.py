"""plotclient's Session sends what bokeh 0.10's client sent (PROTOCOL.md 10), request for
request: the captured flows (tests/fixtures/python_client_flows.json, streaming_demo.json,
multiuser_register_publish.json) are reproduced by plotclient and recorded on the way,
against a live plotserver through a recording proxy, or - for the multi-user account routes
plotserver does not have yet - against a server that answers with the captured responses.
Plus the config file and the printed lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import plotclient.session as session_module
from plotclient.errors import PlotclientError
from plotclient.io import output_server, reset_output, show
from plotclient.session import DEFAULT_SERVER_URL, Session
from replay import IdMap
from wire_recorder import FixtureServer, RecordingProxy, assert_requests_match, client_requests

# Isolated from the real home, browser and environment (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("isolated_client")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONFIG_LINES = ("Using saved session configuration for {}\n"
                "To override, pass 'load_from_config=False' to Session\n")


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def events(fixture: dict, *seqs: int) -> list[dict]:
    return [e for e in fixture["events"] if e["seq"] in seqs]


def plotting():
    import plotclient.plotting

    return plotclient.plotting


# ---------------------------------------------------------------- the HTTP layer alone

def test_streaming_demo_requests_with_hand_built_envelopes(fresh_server):
    """The demo's sequence (use_doc, gc, pull, the 24-object push, three one-object pushes),
    driven through the low-level Session calls with the captured envelopes."""
    fixture = load_fixture("streaming_demo.json")
    expected = client_requests(fixture)
    assert [e["seq"] for e in expected] == [1, 2, 3, 4, 5, 6, 23, 26, 29]
    with RecordingProxy(fresh_server.host) as proxy:
        s = Session(root_url=proxy.url, load_from_config=False)
        s.use_doc("animated_line")
        s.gc()
        served = s.pull()
        (context,) = [e for e in served if e["type"] == "PlotContext"]
        theirs = events(fixture, 5)[0]["response"]["body_json"][0]["id"]
        ids = IdMap()
        ids.bind(events(fixture, 3)[0]["request"]["path"].split("/")[-1], s.docid)
        ids.bind(theirs, context["id"])
        for event in events(fixture, 6, 23, 26, 29):
            s.push(*ids.value(event["request"]["body_json"]))
    assert s.apikey and s.apikey != "nokey"
    assert_requests_match(expected, proxy.requests, IdMap())
    assert {r.connection for r in proxy.requests} == {0}  # one keep-alive connection


def test_pull_one_object_wraps_its_attributes_as_an_envelope(server):
    s = Session(root_url=server.url + "/", load_from_config=False)
    s.use_doc("flows_pull_one")
    context = s.pull()[0]
    cds = {"type": "ColumnDataSource", "id": "cds-1", "attributes": {
        "id": "cds-1", "column_names": ["x"], "data": {"x": [1, 2]}, "doc": s.docid}}
    root = {"type": "PlotContext", "id": context["id"], "attributes": {
        "id": context["id"], "children": [{"type": "ColumnDataSource", "id": "cds-1"}]}}
    s.push(root, cds)
    (envelope,) = s.pull("ColumnDataSource", "cds-1")
    assert envelope["type"] == "ColumnDataSource" and envelope["id"] == "cds-1"
    assert envelope["attributes"]["data"] == {"x": [1, 2]}


def test_url_prefix_applies_to_every_call_including_publish_unlike_0_10(start_server):
    """0.10's publish() dropped a path in root_url (quirk 16); plotclient keeps it, so a
    server behind a prefix can be published to."""
    prefixed = start_server("--url-prefix", "/plots")
    with RecordingProxy(prefixed.host) as proxy:
        s = Session(root_url=proxy.url + "plots", load_from_config=False)
        assert s.root_url == proxy.url + "plots/"  # the slash 0.10 appended, with a warning
        s.use_doc("prefixed")
        s.gc()
        s.pull()
        s.publish()
    assert all(r.path.startswith("/plots/bokeh/") for r in proxy.requests)
    assert proxy.requests[-1].path == f"/plots/bokeh/{s.docid}/publish"
    assert s.object_link(type("Obj", (), {"id": "abc"})()) == \
        f"{proxy.url}plots/bokeh/doc/{s.docid}/abc"


def test_data_source_calls_raise_not_implemented_as_in_0_10():
    s = Session(load_from_config=False)
    with pytest.raises(NotImplementedError):
        s.list_data()
    with pytest.raises(NotImplementedError):
        s.data_source("name", {"x": [1]})


# ---------------------------------------------------------------- config file

def test_constructor_prints_the_two_lines_even_without_a_config(capsys, tmp_path):
    s = Session(name="flows", configdir=tmp_path / "nothing")
    assert capsys.readouterr().out == CONFIG_LINES.format("flows")
    assert s.root_url == DEFAULT_SERVER_URL and s.username == "defaultuser"
    assert not (tmp_path / "nothing").exists()  # reading never creates the directory
    Session(name="quiet", load_from_config=False)
    assert capsys.readouterr().out == ""


def test_saved_entry_wins_over_the_arguments(capsys, tmp_path):
    configdir = tmp_path / "cfg"
    configdir.mkdir()
    entry = {"root_url": "http://example.invalid:5006/", "userapikey": "k1", "username": "bob"}
    (configdir / "config.json").write_text(json.dumps({"other": {}, "mine": entry}))
    s = Session(name="mine", root_url="http://localhost:1/", configdir=configdir)
    assert (s.root_url, s.userapikey, s.username) == ("http://example.invalid:5006/", "k1", "bob")
    assert capsys.readouterr().out == CONFIG_LINES.format("mine")


def test_config_location_argument_environment_and_default(tmp_path, monkeypatch):
    assert Session(load_from_config=False).configfile == tmp_path / "config" / "config.json"
    assert Session(load_from_config=False, configdir=tmp_path / "x").configfile == \
        tmp_path / "x" / "config.json"
    monkeypatch.delenv("PLOTCLIENT_CONFIG_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Session(load_from_config=False).configfile == \
        tmp_path / "home" / ".plotclient" / "config.json"


def test_save_writes_the_0_10_format_read_modify_write(tmp_path):
    s = Session(name="a", root_url="http://h:1/", username="alice", userapikey="k",
                load_from_config=False)
    s.save()
    Session(name="b", root_url="http://h:2/", load_from_config=False).save()
    text = (tmp_path / "config" / "config.json").read_text()
    assert json.loads(text) == {
        "a": {"root_url": "http://h:1/", "userapikey": "k", "username": "alice"},
        "b": {"root_url": "http://h:2/", "userapikey": "nokey", "username": "defaultuser"}}
    assert "\n" not in text  # json.dump without indentation, as 0.10


def test_unreadable_config_is_a_clear_error(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.json").write_text("{not json")
    with pytest.raises(PlotclientError, match="config.json is not JSON"):
        Session(name="x")


def test_register_and_login_requests_and_config_as_captured(tmp_path):
    """Form-encoded register/login with api=true, then the saved config entries; answered
    with the captured multi-user responses (plotserver has no accounts yet)."""
    fixture = load_fixture("multiuser_register_publish.json")
    captured = events(fixture, 1, 9)
    with FixtureServer(captured) as fake:
        s = Session(name="mu", root_url=fake.url, load_from_config=False)
        s.register("alice", "alicepw")
        assert (s.username, s.userapikey) == ("alice", "fc8b5b11-15b4-42d9-a141-fedbbd10d754")
        s2 = Session(name="mu2", root_url=fake.url)  # no saved entry for mu2: defaultuser
        s2.login("alice", "alicepw")
    assert_requests_match(captured, fake.requests, IdMap())
    saved = json.loads((tmp_path / "config" / "config.json").read_text())
    want = json.loads(json.dumps(fixture["resulting_config_json"]).replace(
        "http://127.0.0.1:5206/", fake.url))
    assert saved == want


def test_browser_login_opens_the_login_url(tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text("import sys\nopen(sys.argv[2], 'a').write(sys.argv[1] + '\\n')\n")
    s = Session(root_url="http://h:5006/", username="alice", userapikey="k 1",
                load_from_config=False)
    import webbrowser
    monkeypatch.setattr(webbrowser, "open",
                        lambda url, *a, **k: webbrowser.get(
                            f"{sys.executable} {script} %s {opened}").open(url))
    s.browser_login()
    assert opened.read_text() == \
        "http://h:5006/bokeh/loginfromapikey?username=alice&userapikey=k+1\n"


# ---------------------------------------------------------------- full flows (need the models)

def test_python_client_flows_replayed(fresh_server, tmp_path, capsys, monkeypatch):
    """Every Session method in the captured order; pings of the capture are probe markers."""
    plt = plotting()
    from plotclient.document import Document
    fixture = load_fixture("python_client_flows.json")
    with RecordingProxy(fresh_server.host) as proxy:
        configdir = tmp_path / "config"
        configdir.mkdir()
        (configdir / "config.json").write_text(json.dumps({"flows": {
            "root_url": proxy.url, "userapikey": "nokey", "username": "defaultuser"}}))
        s = Session(name="flows")
        assert capsys.readouterr().out == CONFIG_LINES.format("flows")
        assert s.root_url == proxy.url
        s.use_doc("flows_doc")
        doc = Document()
        s.load_document(doc)
        assert doc.docid == s.docid
        p = plt.figure()
        renderer = p.line([1, 2], [5, 6])
        doc.add(p)
        first = s.store_document(doc)
        assert len(first) == 24
        assert s.store_document(doc) == []  # nothing dirty: returns nothing, re-sends all
        ds = renderer.data_source
        s.store_objects(ds, dirty_only=False)
        assert len(s.pull()) == 24
        assert s.pull("ColumnDataSource", ds.id)[0]["attributes"]["data"] == \
            {"x": [1, 2], "y": [5, 6]}
        s.load_object(ds, doc)
        s.use_doc(docid=s.docid)
        s.publish()
        s.gc()
        sleeps = []

        def sleep(seconds):  # stop poll_document after two rounds, like Ctrl-C
            sleeps.append(seconds)
            if len(sleeps) == 2:
                raise KeyboardInterrupt

        monkeypatch.setattr(session_module.time, "sleep", sleep)
        s.poll_document(doc)
        assert sleeps == [0.5, 0.5] and capsys.readouterr().out == "\n"
        assert [d["title"] for d in s.userinfo["docs"]] == ["flows_doc"]  # cached
    assert_requests_match(client_requests(fixture), proxy.requests, IdMap())


def test_multi_user_flow_as_captured(tmp_path):
    """register, output_server(session=s), figure + circle, show, publish; then a second
    session logs in and loads the document - against the captured answers."""
    plt = plotting()
    from plotclient.document import Document
    fixture = load_fixture("multiuser_register_publish.json")
    captured = client_requests(fixture)
    assert [e["seq"] for e in captured] == list(range(1, 14))
    with FixtureServer(captured) as fake:
        s = Session(name="mu", root_url=fake.url, load_from_config=False)
        s.register("alice", "alicepw")
        output_server("alice_doc", session=s)
        p = plt.figure(plot_width=300, plot_height=300)
        p.circle([1, 2, 3], [3, 1, 2], name="pts")
        show(p)
        s.publish()
        s2 = Session(name="mu2", root_url=fake.url)
        s2.login("alice", "alicepw")
        s2.use_doc("alice_doc")
        doc = Document()
        s2.load_document(doc)
    assert_requests_match(captured, fake.requests, IdMap())
    assert len(doc.context.references()) == 24


def test_show_opens_the_document_page(server, tmp_path, monkeypatch):
    plt = plotting()
    opened = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text("import sys\nopen(sys.argv[2], 'a').write(sys.argv[1] + '\\n')\n")
    monkeypatch.setenv("PLOTCLIENT_BROWSER", f"{sys.executable} {script} %s {opened}")
    s = output_server("show_page", url=server.url + "/")
    p = plt.figure()
    p.line([1, 2], [3, 4])
    show(p)
    context_id = plt.curdoc().context.id
    assert opened.read_text() == f"{server.url}/bokeh/doc/{s.docid}/{context_id}\n"
    monkeypatch.setenv("PLOTCLIENT_BROWSER", "none")
    show(p)  # nothing opened
    monkeypatch.delenv("PLOTCLIENT_BROWSER")
    monkeypatch.setenv("BOKEH_BROWSER", "none")
    show(p)
    assert len(opened.read_text().splitlines()) == 1


def test_output_file_writes_a_standalone_page(tmp_path):
    plt = plotting()
    target = tmp_path / "plot.html"
    plt.output_file(str(target), title="My <plot>")
    p = plt.figure()
    renderer = p.line([1, 2], [3, 4])
    plt.save(p)
    text = target.read_text()
    assert "<title>My &lt;plot&gt;</title>" in text
    assert f'{DEFAULT_SERVER_URL.rstrip("/")}/bokehjs/static/js/bokeh.js' in text
    start = text.index(f'id="plotserver-models-{p.id}">') + len(f'id="plotserver-models-{p.id}">')
    models = json.loads(text[start:text.index("</script>", start)])
    assert {m["id"] for m in models} == {m.id for m in p.references()}
    assert renderer.data_source.id in {m["id"] for m in models}
    assert os.path.getsize(target) > 1000


# ---------------------------------------------------------------- the implicit state

def test_io_state_without_targets():
    import plotclient.io as io
    assert io.cursession() is None
    doc = io.curdoc()
    assert io.curdoc() is doc
    with pytest.warns(UserWarning, match="no session"):
        assert io.push() is None
    with pytest.raises(NotImplementedError, match="Jupyter"):
        io.output_notebook()
    with pytest.raises(ValueError, match="filename"):
        io.save(object())
    io.reset_output()
    assert io.curdoc() is not doc and io.cursession() is None


def test_show_adds_an_object_the_document_lacks_a_deliberate_difference_from_0_10(server):
    """DIFFERS FROM 0.10 ON PURPOSE: 0.10's show(obj) pushed only the document, so showing
    an object nothing in the document reaches (e.g. a vform(), which is not added to the
    document) opened an empty page. plotclient adds such an object to the PlotContext
    first, so the page shows what was asked for. Scripts whose objects are already in the
    document - every figure() script - send exactly the 0.10 requests (the captured replays
    above and test_streaming_demo.py check that)."""
    plt = plotting()
    from plotclient.layouts import vform
    with RecordingProxy(server.host) as proxy:
        output_server("show_missing", url=proxy.url)
        p = plt.figure()
        p.line([1, 2], [3, 4])
        form = vform(p)
        assert form not in plt.curdoc().context.references()
        show(form)
    (context,) = [e for e in proxy.requests[-1].json() if e["type"] == "PlotContext"]
    children = [ref["id"] for ref in context["attributes"]["children"]]
    assert form.id in children and p.id in children
    assert plt.curdoc().context.children[-1] is form


def test_show_of_a_figure_in_the_document_adds_nothing(server):
    plt = plotting()
    with RecordingProxy(server.host) as proxy:
        output_server("show_figure", url=proxy.url)
        p = plt.figure()
        p.line([1, 2], [3, 4])
        show(p)
    (context,) = [e for e in proxy.requests[-1].json() if e["type"] == "PlotContext"]
    assert [ref["id"] for ref in context["attributes"]["children"]] == [p.id]


LEAK_SCRIPT = """
import gc, sys
from plotclient.io import output_server, reset_output
from plotclient.session import Session
url = sys.argv[1]
output_server("leak_a", url=url)
output_server("leak_b", url=url)  # replaces the session output_server made
reset_output()  # forgets the second one
s = Session(root_url=url, load_from_config=False)
s.use_doc("leak_c")
del s  # never closed: its finalizer must close the socket
gc.collect()
print("done")
"""


def test_replaced_and_reset_sessions_leave_no_unclosed_socket(server, tmp_path):
    """`python -X dev -W error::ResourceWarning`: two output_server() calls, reset_output()
    and a Session dropped without close() leave no unclosed socket behind."""
    env = dict(os.environ, PLOTCLIENT_CONFIG_DIR=str(tmp_path / "config"))
    run = subprocess.run([sys.executable, "-X", "dev", "-W", "error::ResourceWarning",
                          "-c", LEAK_SCRIPT, server.url + "/"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.endswith("done\n")
    assert "ResourceWarning" not in run.stderr and "unclosed" not in run.stderr, run.stderr


def test_io_closes_only_the_sessions_it_made(server):
    url = server.url + "/"
    made = output_server("owned_a", url=url)
    assert made._connection.connected
    output_server("owned_b", url=url)
    assert not made._connection.connected  # replaced: io made it, io closes it
    reset_output()
    mine = Session(root_url=url, load_from_config=False)
    assert output_server("owned_c", session=mine) is mine
    output_server("owned_d", url=url)
    assert mine._connection.connected  # the caller's session: left open for the caller
    output_server("owned_e", session=mine)
    reset_output()
    assert mine._connection.connected
    mine.close()
    assert not mine._connection.connected
    mine.gc()  # a closed session still works: the next request opens a new connection
    mine.close()


def test_show_without_any_target_warns():
    plt = plotting()
    p = plt.figure()
    with pytest.warns(UserWarning, match="nowhere"):
        plt.show(p)


def test_push_sends_only_what_changed_since_the_last_push(server):
    plt = plotting()
    with RecordingProxy(server.host) as proxy:
        s = output_server("pushes", url=proxy.url)
        p = plt.figure()
        renderer = p.line([1, 2], [3, 4])
        assert len(plt.push()) == 24
        renderer.data_source.data = {"x": [1, 2], "y": [5, 6]}
        (changed,) = plt.push()
        assert changed is renderer.data_source
    body = proxy.requests[-1].json()
    assert [e["id"] for e in body] == [renderer.data_source.id]
    assert body[0]["attributes"]["doc"] == s.docid


def test_plotclient_imports_no_server_side_or_http_library():
    """plotclient runs where no server is installed: it must not pull in flask, gevent or
    plotserver, and its transport is the standard library (not requests)."""
    code = ("import sys, plotclient.plotting, plotclient.session, plotclient.io\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'flask', 'gevent', 'plotserver', 'requests', 'urllib3'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.strip() == "[]"

"""Document semantics (PROTOCOL 3) seen through the HTTP API, with the choices plotserver made
where the original had a bug named in the test names."""

from __future__ import annotations

import json
import re
import time

import requests

from conftest import FIXTURES
from helpers import create_doc, line_plot, source, split_frame, subscribe, upsert


def seed_demo(doc, suffix: str) -> list[dict]:
    """The seed demo's 24-object show() push (a real capture), re-id'd for this document."""
    envelopes = json.loads((FIXTURES / "models" / "seed_line_show.json").read_text())
    text = json.dumps(envelopes)
    old_root = next(e["id"] for e in envelopes if e["type"] == "PlotContext")
    for envelope in envelopes:
        if envelope["id"] != old_root:
            text = text.replace(envelope["id"], envelope["id"][:-len(suffix)] + suffix)
    return json.loads(text.replace(old_root, doc.plot_context_id))


def objects(server, doc) -> list[dict]:
    return requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=5).json()


def test_second_run_leaves_garbage_that_gc_removes(server):
    doc = create_doc(server.url, f"gc-{time.monotonic_ns()}")
    first, second = seed_demo(doc, "aaaa"), seed_demo(doc, "bbbb")
    assert upsert(server.url, doc.docid, first).ok
    assert upsert(server.url, doc.docid, second).ok
    # Reads see only what the PlotContext reaches: the second run's 24 objects.
    assert {e["id"] for e in objects(server, doc)} == {e["id"] for e in second}
    old_source = next(e["id"] for e in first if e["type"] == "ColumnDataSource")
    referrer = [{"type": "GlyphRenderer", "attributes": {
        "id": "probe", "data_source": {"type": "ColumnDataSource", "id": old_source}}}]
    # Before gc the first run's objects are stored (a reference to one resolves) ...
    assert upsert(server.url, doc.docid, referrer).ok
    assert requests.post(f"{server.url}/bokeh/bb/{doc.docid}/gc", timeout=5).json() == \
        {"status": "success"}
    # ... after gc they are gone: the same reference now dangles.
    assert upsert(server.url, doc.docid, referrer).status_code == 400
    assert {e["id"] for e in objects(server, doc)} == {e["id"] for e in second}


def test_subtype_is_stored_and_echoed_on_later_reads(server):
    """Quirk 8: the original dropped `subtype` once an object was reloaded; plotserver keeps
    it, which both original clients accept and which lets a client rebuild a Figure."""
    doc = create_doc(server.url, f"sub-{time.monotonic_ns()}")
    assert upsert(server.url, doc.docid, seed_demo(doc, "cccc")).ok
    plot = next(e for e in objects(server, doc) if e["type"] == "Plot")
    assert plot["subtype"] == "Figure"


def test_merge_is_top_level_replace(server):
    doc = create_doc(server.url, f"merge-{time.monotonic_ns()}")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    url = f"{server.url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/"
    upsert(server.url, doc.docid, [{"type": "ColumnDataSource",
                                    "attributes": {"id": "cds1", "tags": ["b"]}}])
    attributes = requests.get(url, timeout=5).json()
    assert attributes["tags"] == ["b"] and attributes["data"]["x"] == [0, 1, 2, 3, 4]
    upsert(server.url, doc.docid, [{"type": "ColumnDataSource",
                                    "attributes": {"id": "cds1", "data": {"z": [9]}}}])
    assert requests.get(url, timeout=5).json()["data"] == {"z": [9]}
    upsert(server.url, doc.docid, [{"type": "ColumnDataSource",
                                    "attributes": {"id": "cds1", "tags": None}}])
    attributes = requests.get(url, timeout=5).json()
    assert attributes["tags"] is None and attributes["doc"] == doc.docid


def test_new_objects_get_the_always_sent_defaults(server):
    doc = create_doc(server.url, f"defaults-{time.monotonic_ns()}")
    reply = upsert(server.url, doc.docid, [{"type": "PanTool", "attributes": {"id": "pan"}}])
    [envelope] = reply.json()["modelspecs"]
    assert envelope["attributes"] == {"id": "pan", "doc": doc.docid, "tags": [], "plot": None,
                                      "dimensions": ["width", "height"]}


def test_delete_object_detaches_references_and_broadcasts_modeldel(server):
    """The original's DELETE always failed (quirk 9); plotserver removes the object, drops
    every reference to it, and tells subscribers."""
    doc = create_doc(server.url, f"del-{time.monotonic_ns()}")
    plot = line_plot(doc)
    plot[1]["attributes"]["renderers"].append({"type": "GlyphRenderer", "id": "gr2"})
    plot.append({"type": "GlyphRenderer", "attributes": {
        "id": "gr2", "data_source": {"type": "ColumnDataSource", "id": "cds1"}}})
    assert upsert(server.url, doc.docid, plot).ok
    base = f"{server.url}/bokeh/bb/{doc.docid}"
    ws = subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey)

    reply = requests.delete(f"{base}/ColumnDataSource/cds1/", timeout=5)
    assert reply.json() == {"status": "success"}
    _, push = split_frame(ws.recv())
    assert push["msgtype"] == "modelpush"
    assert {e["id"]: e["attributes"]["data_source"] for e in push["modelspecs"]} == \
        {"gr1": None, "gr2": None}
    _, deleted = split_frame(ws.recv())
    assert deleted["msgtype"] == "modeldel"
    assert [e["id"] for e in deleted["modelspecs"]] == ["cds1"]
    assert requests.get(f"{base}/ColumnDataSource/cds1/", timeout=5).status_code == 404

    assert requests.delete(f"{base}/GlyphRenderer/gr2/", timeout=5).ok
    _, push = split_frame(ws.recv())
    assert push["modelspecs"][0]["attributes"]["renderers"] == [
        {"type": "GlyphRenderer", "id": "gr1"}]
    assert split_frame(ws.recv())[1]["msgtype"] == "modeldel"
    # The root cannot go; an unknown object is a 404.
    assert requests.delete(f"{base}/PlotContext/{doc.plot_context_id}/", timeout=5).status_code == 409
    assert requests.delete(f"{base}/Line/nosuch/", timeout=5).status_code == 404
    ws.close()


def test_deleted_document_stays_readable_by_id(server):
    doc = create_doc(server.url, f"gone-{time.monotonic_ns()}")
    user = requests.delete(f"{server.url}/bokeh/doc/{doc.docid}/", timeout=5).json()
    assert doc.docid not in {d["docid"] for d in user["docs"]}
    assert requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=5).ok


def test_copy_on_write_reads_merge_and_writes_stay_in_the_copy(server):
    doc = create_doc(server.url, f"cow-{time.monotonic_ns()}")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    header = {f"temporary-{doc.docid}": "temporary-ABC"}
    url = f"{server.url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/"
    assert requests.patch(url, json={"tags": ["copy"]}, headers=header, timeout=5).ok
    assert requests.get(url, headers=header, timeout=5).json()["tags"] == ["copy"]
    assert requests.get(url, timeout=5).json()["tags"] == []
    # gc with the header collects the copy's garbage only; the shared document is untouched.
    assert requests.post(f"{server.url}/bokeh/bb/{doc.docid}/gc", headers=header, timeout=5).ok
    assert requests.get(url, headers=header, timeout=5).json()["tags"] == ["copy"]


def test_pages_honour_the_url_prefix(start_server):
    server = start_server("--url-prefix", "/p")
    doc = create_doc(server.url, "page")
    page = requests.get(f"{server.url}/bokeh/doc/{doc.docid}/{doc.plot_context_id}?public=true",
                        timeout=5)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    pane = re.search(r'<div id="PlotPane"[^>]*>', page.text).group(0)
    assert f'data-docid="{doc.docid}"' in pane and 'data-public="true"' in pane
    assert 'data-prefix="/p"' in pane
    assert '/p/bokehjs/static/js/bokeh.js' in page.text
    loader = requests.get(server.url + "/bokehjs/static/js/bokeh.min.js", timeout=5)
    assert loader.ok and loader.headers["Content-Type"].startswith("text/javascript")
    script = requests.get(server.url + "/bokeh/autoload.js/elem1", timeout=5)
    assert '"elem1"' in script.text and f'"http://{server.host}/p"' in script.text
    assert requests.get(f"http://{server.host}/bokeh/ping", timeout=5).status_code == 404
    show = requests.get(server.url + "/bokeh/doc/page/show", timeout=5)
    assert show.ok and 'data-title="page"' in show.text


def test_reads_follow_every_change_of_references(server):
    """Reachability is cached between requests (a data-only write keeps it); every write that
    changes what is reachable must show in the very next read."""
    doc = create_doc(server.url, f"reach-{time.monotonic_ns()}")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    ids = lambda: {e["id"] for e in objects(server, doc)}  # noqa: E731
    assert ids() == {doc.plot_context_id, "plot1", "gr1", "line1", "cds1"}
    # Data only: same set.
    assert upsert(server.url, doc.docid, [source("cds1", 7)]).ok
    assert ids() == {doc.plot_context_id, "plot1", "gr1", "line1", "cds1"}
    # An object nobody references yet is stored but not reachable ...
    lone = {"type": "ColumnDataSource", "id": "cds2", "attributes": {"id": "cds2", "data": {}}}
    assert upsert(server.url, doc.docid, [lone]).ok
    assert "cds2" not in ids()
    # ... until a reachable object starts referring to it.
    repoint = {"type": "GlyphRenderer", "id": "gr1", "attributes": {
        "id": "gr1", "data_source": {"type": "ColumnDataSource", "id": "cds2"}}}
    assert upsert(server.url, doc.docid, [repoint]).ok
    assert ids() == {doc.plot_context_id, "plot1", "gr1", "line1", "cds2"}
    # Dropping the renderer from the plot drops everything only it reached.
    plot = {"type": "Plot", "id": "plot1", "attributes": {"id": "plot1", "renderers": []}}
    assert upsert(server.url, doc.docid, [plot]).ok
    assert ids() == {doc.plot_context_id, "plot1"}
    # Deleting the plot (a write through another route) shows as well.
    assert requests.delete(f"{server.url}/bokeh/bb/{doc.docid}/Plot/plot1/", timeout=5).ok
    assert ids() == {doc.plot_context_id}


def test_a_write_merges_into_objects_reachable_after_a_cached_read(server):
    """The merge-or-replace decision uses the same reachable set as reads: an object that
    became reachable is merged (keeps its other attributes), not replaced by defaults."""
    doc = create_doc(server.url, f"reach2-{time.monotonic_ns()}")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    objects(server, doc)
    assert upsert(server.url, doc.docid, [{"type": "Line", "id": "line1", "attributes": {
        "id": "line1", "line_width": 3}}]).ok
    line = next(e for e in objects(server, doc) if e["id"] == "line1")
    assert line["attributes"]["x"] == {"field": "x"} and line["attributes"]["line_width"] == 3

"""Captured bokeh-server 0.10 traffic, replayed against plotserver (see replay.py).

Every divergence from the original is declared here with its reason; everything else must
match: status, content type, CORS headers, Location/Allow, and the JSON body modulo ids."""

from __future__ import annotations

import json

import requests

from conftest import FIXTURES, load_fixture
from helpers import create_doc, upsert
from replay import Divergence, IdMap, Replayer

E404 = "unknown id: 404 JSON (the original answered 500, quirk 4)"


def D(status, reason, **kw):
    return Divergence(reason, status, **kw)


ROUTE_DIVERGENCES = {
    10: D(409, "duplicate title is a conflict (409 as in the 2015 original; 500 on Python 3)"),
    11: D(400, "JSON body without 'title' is bad input, not a 500"),
    23: D(404, E404), 25: D(404, E404), 28: D(404, E404), 36: D(404, E404),
    30: D(200, "by-type listing with no such objects is empty (quirk 6)", body=[]),
    31: D(200, "by-type listing of an unknown type is empty (quirk 6)", body=[]),
    40: D(404, E404), 41: D(404, E404), 44: D(404, "unreachable objects are invisible: 404"),
    46: D(400, "POST .../bulkupsert/ is the create route; a list body is bad input"),
    47: D(400, "malformed JSON: 400"),
    48: D(200, "validation is structural: unknown types are stored (and stay unreachable here)",
          check_body=False),
    49: D(200, "validation is structural: unknown attributes are stored", check_body=False),
    50: D(400, "envelope without attributes.id: 400"),
    51: D(400, "dangling reference: 400, nothing saved"),
    52: D(404, E404),
    53: D(200, "an empty bulkupsert changes and broadcasts nothing (quirk 5)",
          body={"msgtype": "modelpush", "modelspecs": []}),
    55: D(400, "POST .../gc/ is the create route; an empty body is bad input"),
    57: D(404, "gc removed the unreachable object: 404"),
    58: D(404, E404),
    59: D(200, "POST to a type collection creates the object (the original's intent, quirk 9)",
          body={"id": "cds9", "column_names": ["a"], "tags": [], "data": {}, "callback": None,
                "doc": "b9e622ea-f7d9-455b-86bc-35ba3fa29314",
                "selected": {"0d": {"flag": False, "indices": []}, "1d": {"indices": []},
                             "2d": {"indices": []}}}),
    60: D(404, "the created object is unreachable, hence invisible: 404"),
    65: D(404, "the PATCH-created object is unreachable, hence invisible: 404"),
    66: D(409, "deleting the PlotContext root is refused (the original always failed, quirk 9)"),
    71: D(404, E404),
    80: D(404, "accounts exist only in multi-user mode: 404 (the original answered 500)"),
    81: D(404, "accounts exist only in multi-user mode"),
    82: D(404, "accounts exist only in multi-user mode"),
    83: D(404, "accounts exist only in multi-user mode"),
    84: D(404, "accounts exist only in multi-user mode"),
    90: D(500, "the original's deliberate test failure, answered as a JSON error"),
    95: D(404, "no development sources are served"),
    98: D(404, "plotserver serves no third-party files (jQuery, Bootstrap)"),
    99: D(400, "a plain GET of the WebSocket endpoint is bad input (JSON error body)"),
    121: D(404, "a temporary copy is not a document: 404"),
    127: D(409, "deleting a document not in the user's list is a conflict (409 as in 2015)"),
    131: D(409, "title m1 is still in the user's list (another doc was deleted): 409 conflict"),
}

DEMO_DIVERGENCES = {
    12: D(404, "plotserver serves no third-party files; its pages do not load Bootstrap"),
}


def test_streaming_demo_then_route_probes(fresh_server):
    """The two captures ran in this order against one server; the probes use the demo's doc."""
    ids = IdMap()
    checked = Replayer(fresh_server, load_fixture("streaming_demo.json"), ids).run(DEMO_DIVERGENCES)
    checked += Replayer(fresh_server, load_fixture("http_routes_single_user.json"), ids).run(
        ROUTE_DIVERGENCES)
    assert checked > 150


# --- the captures made against a second single-user server (port 5202), in their order -----
# Before the first of them, that server already held five documents (made by earlier probes);
# the animated_line one holds the demo plot. They are recreated here from the captures.

STATIC_404 = D(404, "plotserver serves no third-party files; its pages do not load Bootstrap")


def _response_of(fixture: dict, seq: int):
    event = next(e for e in fixture["events"] if e["seq"] == seq)
    return event["response"].get("body_json")


def _seed_documents(server, ids: IdMap) -> None:
    index = load_fixture("browser_index_page.json")
    titles = [d["title"] for d in _response_of(index, 8)["docs"]]
    handles = {title: create_doc(server.url, title) for title in titles}
    info = _response_of(load_fixture("browser_show_by_title.json"), 13)
    demo = handles["animated_line"]
    ids.bind(info["docid"], demo.docid)
    ids.bind(info["plot_context_ref"]["id"], demo.plot_context_id)
    ids.bind(info["apikey"], demo.readonlyapikey)
    assert upsert(server.url, demo.docid, ids.value(info["all_models"])).ok


def _seed_embed_document(server, ids: IdMap) -> None:
    embed = load_fixture("browser_autoload_embed.json")
    info = _response_of(embed, 5)
    handle = create_doc(server.url, "embed")
    ids.bind(info["docid"], handle.docid)
    ids.bind(info["plot_context_ref"]["id"], handle.plot_context_id)
    ids.bind(info["apikey"], handle.readonlyapikey)
    plot = next(e for e in info["all_models"] if e["type"] == "Plot")
    root = {"type": "PlotContext", "attributes": {
        "id": handle.plot_context_id, "children": [{"type": "Plot", "id": plot["id"]}]}}
    assert upsert(server.url, handle.docid, [root] + ids.value(info["all_models"])).ok


def _flows_show_body() -> list[dict]:
    """The client-flows capture kept only a summary of its 24-object show() push: stand in the
    seed demo's show() push (same script, same 24 types) with the three ids the rest of that
    capture names (PlotContext, Plot, ColumnDataSource)."""
    envelopes = json.loads((FIXTURES / "models" / "seed_line_show.json").read_text())
    text = json.dumps(envelopes)
    renames = {"PlotContext": "2036ffac-e4f6-40dd-94d9-67b32b7d45f1",
               "Plot": "0075c03e-ac9e-484f-a00f-089a8945a5fe",
               "ColumnDataSource": "2004ca78-629e-442c-86a6-69e26ed674b8"}
    for envelope in envelopes:
        if envelope["type"] in renames:
            text = text.replace(envelope["id"], renames[envelope["type"]])
    return json.loads(text)


def test_browser_pages_client_flows_and_embeds(fresh_server):
    server, ids = fresh_server, IdMap()
    _seed_documents(server, ids)
    checked = Replayer(server, load_fixture("browser_index_page.json"), ids).run(
        {2: STATIC_404, 4: STATIC_404, 5: STATIC_404, 14: STATIC_404})
    checked += Replayer(server, load_fixture("browser_show_by_title.json"), ids).run(
        {3: STATIC_404})
    show_body = _flows_show_body()
    checked += Replayer(server, load_fixture("python_client_flows.json"), ids).run(
        body_override={10: show_body, 12: show_body})
    _seed_embed_document(server, ids)
    checked += Replayer(server, load_fixture("browser_autoload_embed.json"), ids).run()
    checked += Replayer(server, load_fixture("browser_patch_put.json"), ids).run({2: STATIC_404})
    print("checked", checked)
    assert checked > 80
    assert requests.get(server.url + "/bokeh/ping", timeout=5).ok

"""Bad input gets a 4xx with a JSON body naming the problem, never a 500, and a rejected
write leaves the stored document exactly as it was (a bulkupsert is all or nothing)."""

from __future__ import annotations

import json
import time

import pytest
import requests

from helpers import create_doc, line_plot, source, upsert


@pytest.fixture
def doc(server):
    handle = create_doc(server.url, f"bad-{time.monotonic_ns()}")
    assert upsert(server.url, handle.docid, line_plot(handle)).ok
    return handle


def snapshot(server, doc):
    reply = requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=5)
    assert reply.ok
    return sorted(reply.json(), key=lambda e: e["id"])


def assert_error(reply: requests.Response, status: int, *words: str) -> dict:
    assert reply.status_code == status, reply.text
    assert reply.headers["Content-Type"] == "application/json"
    body = reply.json()
    assert set(body) == {"error", "message"}
    assert isinstance(body["error"], str) and body["message"]
    for word in words:
        assert word in body["message"], body
    return body


GOOD = {"type": "ColumnDataSource", "attributes": {"id": "cds1", "data": {"x": [9]}}}

BAD_BULKUPSERT_BODIES = {
    "not json": (b"{bad json", "JSON"),
    "nan literal": (b'[{"type": "X", "attributes": {"id": "a", "v": NaN}}]', "JSON"),
    "object instead of list": (json.dumps(GOOD).encode(), "list"),
    "string": (b'"hello"', "list"),
    "envelope not an object": (json.dumps([GOOD, 5]).encode(), "envelope 1"),
    "no type": (json.dumps([{"attributes": {"id": "a"}}]).encode(), "type"),
    "type not a string": (json.dumps([{"type": ["X"], "attributes": {"id": "a"}}]).encode(), "type"),
    "empty type": (json.dumps([{"type": "", "attributes": {"id": "a"}}]).encode(), "type"),
    "no attributes": (json.dumps([{"type": "X", "id": "a"}]).encode(), "attributes"),
    "attributes a list": (json.dumps([{"type": "X", "attributes": []}]).encode(), "attributes"),
    "no id": (json.dumps([{"type": "X", "attributes": {"data": {}}}]).encode(), "id"),
    "id a number": (json.dumps([{"type": "X", "attributes": {"id": 5}}]).encode(), "id"),
    "id with colon": (json.dumps([{"type": "X", "attributes": {"id": "a:b"}}]).encode(), "':'"),
    "subtype a number": (json.dumps([{"type": "X", "subtype": 1, "attributes": {"id": "a"}}])
                         .encode(), "subtype"),
    "top-level id a number": (json.dumps([{"type": "X", "id": 3, "attributes": {"id": "a"}}])
                              .encode(), "id"),
}


@pytest.mark.parametrize("name", sorted(BAD_BULKUPSERT_BODIES))
def test_bad_bulkupsert_is_400_and_changes_nothing(server, doc, name):
    body, word = BAD_BULKUPSERT_BODIES[name]
    before = snapshot(server, doc)
    reply = requests.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert", data=body,
                          headers={"Content-Type": "application/json"}, timeout=5)
    assert_error(reply, 400, word)
    assert snapshot(server, doc) == before


def test_dangling_reference_rejects_the_whole_batch(server, doc):
    before = snapshot(server, doc)
    batch = [source(offset=50),  # valid on its own
             {"type": "GlyphRenderer", "attributes": {
                 "id": "gr2", "data_source": {"type": "ColumnDataSource", "id": "nosuch"}}}]
    assert_error(upsert(server.url, doc.docid, batch), 400, "nosuch", "data_source")
    assert snapshot(server, doc) == before


def test_second_plot_context_is_refused(server, doc):
    before = snapshot(server, doc)
    batch = [source(offset=60), {"type": "PlotContext", "attributes": {"id": "pc2", "children": []}}]
    assert_error(upsert(server.url, doc.docid, batch), 409, "PlotContext")
    assert snapshot(server, doc) == before


def test_references_to_stored_but_unreachable_objects_are_accepted(server, doc):
    """Quirk 1: the original refused these; an object in storage is a valid target."""
    assert upsert(server.url, doc.docid, [source("loose")]).ok
    batch = [{"type": "GlyphRenderer", "attributes": {
        "id": "gr9", "data_source": {"type": "ColumnDataSource", "id": "loose"}}}]
    assert upsert(server.url, doc.docid, batch).ok


@pytest.mark.parametrize("method, path", [
    ("GET", "/bokeh/bb/{d}/"), ("GET", "/bokeh/bb/{d}/Plot/"),
    ("POST", "/bokeh/bb/{d}/bulkupsert"), ("POST", "/bokeh/bb/{d}/gc"),
    ("GET", "/bokeh/bokehinfo/{d}/"), ("GET", "/bokeh/doc/{d}/"), ("GET", "/bokeh/objinfo/{d}/x"),
    ("GET", "/bokeh/getdocapikey/{d}"), ("POST", "/bokeh/{d}/publish"),
    ("GET", "/bokeh/bb/{d}/Plot/x/"), ("PATCH", "/bokeh/bb/{d}/Plot/x/"),
    ("PUT", "/bokeh/bb/{d}/Plot/x/"), ("DELETE", "/bokeh/bb/{d}/Plot/x/"),
    ("GET", "/bokeh/doc/{d}/x"),
])
def test_unknown_document_is_404(server, method, path):
    reply = requests.request(method, server.url + path.format(d="nosuchdoc"), data=b"[]",
                             timeout=5)
    assert_error(reply, 404, "nosuchdoc")


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_unknown_object_is_404(server, doc, method):
    reply = requests.request(method, f"{server.url}/bokeh/bb/{doc.docid}/Plot/nosuchobj/",
                             timeout=5)
    assert_error(reply, 404, "nosuchobj")
    assert_error(requests.get(f"{server.url}/bokeh/objinfo/{doc.docid}/nosuchobj", timeout=5),
                 404, "nosuchobj")


@pytest.mark.parametrize("body", [b"[1]", b'"x"', b"{bad", b"null"])
def test_bad_put_patch_bodies(server, doc, body):
    before = snapshot(server, doc)
    for method in ("PUT", "PATCH"):
        reply = requests.request(method, f"{server.url}/bokeh/bb/{doc.docid}/Plot/plot1/",
                                 data=body, timeout=5)
        assert_error(reply, 400)
    assert snapshot(server, doc) == before


@pytest.mark.parametrize("body, content_type, word", [
    (b"[1, 2]", "application/json", "title"), (b'{"title": 5}', "application/json", "title"),
    (b'{"title": ""}', "application/json", "title"), (b"{bad", "application/json", "JSON"),
    (b"", None, "title"), (b"title=", "application/x-www-form-urlencoded", "title"),
])
def test_bad_document_creation(server, body, content_type, word):
    headers = {"Content-Type": content_type} if content_type else {}
    before = requests.get(server.url + "/bokeh/userinfo/", timeout=5).json()
    reply = requests.post(server.url + "/bokeh/doc/", data=body, headers=headers, timeout=5)
    assert_error(reply, 400, word)
    assert requests.get(server.url + "/bokeh/userinfo/", timeout=5).json() == before


def test_duplicate_title_is_409_and_writes_nothing(server, doc):
    title = next(d["title"] for d in requests.get(server.url + "/bokeh/userinfo/").json()["docs"]
                 if d["docid"] == doc.docid)
    before = requests.get(server.url + "/bokeh/userinfo/", timeout=5).json()
    assert_error(requests.post(server.url + "/bokeh/doc/", json={"title": title}, timeout=5),
                 409, title)
    assert requests.get(server.url + "/bokeh/userinfo/", timeout=5).json() == before


@pytest.mark.parametrize("value", ["abc", "temporary-a:b", "x" * 300])
def test_bad_temporary_header_is_400(server, doc, value):
    before = snapshot(server, doc)
    reply = upsert(server.url, doc.docid, [source(offset=3)],
                   headers={f"temporary-{doc.docid}": value})
    assert_error(reply, 400, "temporary")
    assert snapshot(server, doc) == before


def test_oversized_body_is_413_and_changes_nothing(start_server):
    server = start_server(env={"PLOTSERVER_MAX_BODY_BYTES": "20000"})
    doc = create_doc(server.url, "big")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    before = snapshot(server, doc)
    reply = upsert(server.url, doc.docid, [source(n_points=5000)])
    assert_error(reply, 413)
    assert snapshot(server, doc) == before
    # A body just under the limit is fine.
    assert upsert(server.url, doc.docid, [source(n_points=500)]).ok


def test_method_not_allowed_is_json_with_allow(server, doc):
    reply = requests.get(f"{server.url}/bokeh/{doc.docid}/publish", timeout=5)
    assert_error(reply, 405)
    assert "POST" in reply.headers["Allow"]


def test_unknown_route_is_json_404(server):
    assert_error(requests.get(server.url + "/nosuchroute", timeout=5), 404)


def test_no_input_here_produces_a_500(server, doc):
    """A sweep of odd inputs over every write route: none may crash the server."""
    odd_bodies = [b"", b"{}", b"[]", b"[{}]", b"[[]]", b"0", b"true", b"\xff\xfe",
                  json.dumps([{"type": "X", "attributes": {"id": "q", "a": {"id": "z", "type": 1}}}]).encode(),
                  json.dumps({"id": None}).encode(), b'{"title": null}', b"[" * 5000 + b"]" * 5000]
    routes = [("POST", f"/bokeh/bb/{doc.docid}/bulkupsert"), ("POST", f"/bokeh/bb/{doc.docid}/gc"),
              ("POST", f"/bokeh/bb/{doc.docid}/ColumnDataSource/"),
              ("PUT", f"/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/"),
              ("PATCH", f"/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/"),
              ("POST", "/bokeh/doc/"), ("GET", "/bokeh/doc/")]
    for method, path in routes:
        for body in odd_bodies:
            for content_type in ("application/json", "text/plain"):
                reply = requests.request(method, server.url + path, data=body,
                                         headers={"Content-Type": content_type}, timeout=5)
                assert reply.status_code < 500, (method, path, body[:40], reply.text)
                if reply.status_code >= 400:
                    assert set(reply.json()) == {"error", "message"}


def test_too_deeply_nested_values_are_refused_not_crashing(server, doc):
    deep = "[" * 1000 + "]" * 1000  # as deep as the JSON parser accepts
    body = '[{"type": "X", "attributes": {"id": "deep", "v": %s}}]' % deep
    reply = requests.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert", data=body, timeout=5)
    assert reply.status_code == 400, reply.text
    assert "cannot be stored" in reply.json()["message"]


def test_chunked_body_under_the_limit_is_accepted_whole(server, doc):
    body = json.dumps([source(n_points=300, offset=11)]).encode()
    # An iterator makes requests send Transfer-Encoding: chunked (no Content-Length).
    reply = requests.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert",
                          data=iter([body[:100], body[100:]]),
                          headers={"Content-Type": "application/json"}, timeout=5)
    assert reply.ok, reply.text
    stored = requests.get(f"{server.url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/").json()
    assert len(stored["data"]["y"]) == 300 and stored["data"]["y"][0] == 11

"""A data source stored whole goes out (reply, push, later reads) as the very text the client
sent, instead of being encoded again; anything else is encoded by the server, and the
encoder's limits still hold on both paths."""

from __future__ import annotations

import json

import requests

from helpers import create_doc, line_plot, subscribe, upsert


def stored_attributes(server, doc) -> dict:
    reply = requests.get(f"{server.url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/", timeout=5)
    reply.raise_for_status()
    return reply.json()


def post(server, doc, text: str) -> requests.Response:
    return requests.post(f"{server.url}/bokeh/bb/{doc.docid}/bulkupsert", data=text.encode(),
                         headers={"Content-Type": "application/json"}, timeout=10)


def nested(depth: int):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


def test_a_whole_source_goes_out_as_the_client_wrote_it(server):
    doc = create_doc(server.url, "as-sent")
    upsert(server.url, doc.docid, line_plot(doc)).raise_for_status()
    attributes = stored_attributes(server, doc)
    attributes["data"] = {"x": "X", "y": [1, 2, 3]}
    # As the 0.10 client wrote it (json.dumps: spaces after separators), with numbers in forms
    # no encoder would choose; the server's own encoding would read 100.0, 2.5, 0.001.
    envelope = json.dumps({"type": "ColumnDataSource", "id": "cds1", "attributes": attributes})
    envelope = envelope.replace('"X"', "[0, 1e2, 2.50]")
    ws = subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey)
    try:
        reply = post(server, doc, f" [ {envelope}\n]\r\n")
        assert reply.status_code == 200, reply.text
        expected = '{"msgtype":"modelpush","modelspecs":[%s]}' % envelope
        assert reply.text == expected
        assert ws.recv() == f"bokehplot:{doc.docid}:{expected}"
    finally:
        ws.close()
    assert stored_attributes(server, doc)["data"] == {"x": [0, 100, 2.5], "y": [1, 2, 3]}
    everything = requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=5)
    assert "[0, 1e2, 2.50]" in everything.text
    assert any(e["id"] == "cds1" and e["attributes"]["data"]["x"] == [0, 100, 2.5]
               for e in everything.json())


def test_partial_or_foreign_envelopes_are_encoded_by_the_server(server):
    doc = create_doc(server.url, "re-encoded")
    upsert(server.url, doc.docid, line_plot(doc)).raise_for_status()
    # Only some attributes: the object also holds the ones stored before.
    partial = '[{"type": "ColumnDataSource", "id": "cds1", "attributes": {"id": "cds1", ' \
              '"data": {"x": [1e2], "y": [2]}}}]'
    reply = post(server, doc, partial)
    assert reply.status_code == 200, reply.text
    assert "1e2" not in reply.text and "100.0" in reply.text
    sent = reply.json()["modelspecs"][0]["attributes"]
    assert sent["column_names"] == ["x", "y"] and sent["doc"] == doc.docid
    # Every attribute, but another document's id as `doc`: the push carries the real one.
    attributes = stored_attributes(server, doc)
    attributes["doc"] = "some-other-document"
    whole = json.dumps([{"type": "ColumnDataSource", "id": "cds1", "attributes": attributes}])
    reply = post(server, doc, whole)
    assert reply.status_code == 200, reply.text
    assert reply.json()["modelspecs"][0]["attributes"]["doc"] == doc.docid
    assert "some-other-document" not in reply.text


def test_the_encoders_depth_limit_holds_for_text_taken_as_sent(server):
    doc = create_doc(server.url, "deep-as-sent")
    upsert(server.url, doc.docid, line_plot(doc)).raise_for_status()
    attributes = stored_attributes(server, doc)
    before = requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=5).json()
    # 253 levels inside an attribute, 255 in the envelope: more than the encoder takes.
    attributes["tags"] = nested(253)
    too_deep = json.dumps([{"type": "ColumnDataSource", "id": "cds1", "attributes": attributes}])
    reply = post(server, doc, too_deep)
    assert reply.status_code == 400 and "cannot be stored" in reply.json()["message"]
    assert requests.get(f"{server.url}/bokeh/bb/{doc.docid}/", timeout=5).json() == before
    # One level less is stored, by either path alike, and reads back.
    attributes["tags"] = nested(252)
    deepest = json.dumps([{"type": "ColumnDataSource", "id": "cds1", "attributes": attributes}])
    assert post(server, doc, deepest).status_code == 200
    assert stored_attributes(server, doc)["tags"] == nested(252)


def test_an_object_holding_sent_text_pickles_without_it():
    """The adopted text is a view into the request's body: a cache, left out when pickled."""
    import pickle

    from plotserver.models import StoredObject

    text = b'[{"type": "T", "id": "a", "attributes": {"id": "a", "doc": "d", "v": [1, 2]}}]'
    sent = json.loads(text)[0]
    obj = StoredObject("T", "a", {"id": "a", "v": sent["attributes"]["v"]})
    obj.adopt_sent_text("d", sent, memoryview(text)[1:-1])
    assert bytes(obj.envelope_json("d")) == text[1:-1]
    copy = pickle.loads(pickle.dumps(obj))
    assert (copy.type, copy.id, copy.attributes, copy.refs) == (obj.type, obj.id, obj.attributes, obj.refs)
    assert json.loads(copy.envelope_json("d")) == sent

"""Model and Document behaviour the session relies on: ids, refs, the changed-only rule,
references(), _dirty, on_change, dump/load/merge/prune/clear (PLOTTING.md 4.1, MODELS.md 1)."""

from __future__ import annotations

import json
import uuid

import pytest

from plotclient.document import DeserializationError, Document
from plotclient.figure import Figure
from plotclient.models import (BasicTicker, Circle, ColumnDataSource, DataRange1d, GlyphRenderer,
                               LinearAxis, Plot, PlotContext, Range1d)
from plotclient.models.widgets import Button, Slider
from plotclient.serialization import dumps


def test_ids_and_refs():
    r = DataRange1d()
    assert str(uuid.UUID(r.id, version=4)) == r.id and r._id == r.id
    assert r.ref == {"type": "DataRange1d", "id": r.id}
    f = Figure()
    assert f.ref == {"type": "Plot", "subtype": "Figure", "id": f.id}
    p = Plot()
    assert p.ref == {"type": "Plot", "id": p.id}


def test_simple_ids(monkeypatch):
    monkeypatch.setenv("BOKEH_SIMPLE_IDS", "yes")
    a, b = DataRange1d(), DataRange1d()
    assert int(b.id) == int(a.id) + 1 and int(a.id) >= 1001


def test_changed_only_rule():
    """Assigned properties (even to their default) plus containers and references."""
    axis = LinearAxis(visible=True)
    attrs = axis.vm_serialize()
    assert attrs["visible"] is True  # assigned, equal to the default, still sent
    assert attrs["plot"] is None and attrs["ticker"]["type"] == "BasicTicker"
    assert attrs["tags"] == [] and "axis_label" not in attrs and "name" not in attrs
    assert set(BasicTicker().vm_serialize()) == {"mantissas", "tags", "id"}
    slider = Slider(title="t")
    assert slider.vm_serialize() == {"title": "t", "callback": None, "tags": [], "id": slider.id}


def test_envelope_shape():
    f = Figure()
    env = f.to_envelope("DOC")
    assert env["type"] == "Plot" and env["subtype"] == "Figure" and env["id"] == f.id
    assert env["attributes"]["id"] == f.id and env["attributes"]["doc"] == "DOC"


def test_references_include_self_and_everything_reachable():
    f = Figure(tools="pan")
    r = f.circle([1], [2])
    refs = f.references()
    assert isinstance(refs, set) and f in refs
    assert {r, r.glyph, r.nonselection_glyph, r.data_source, f.x_range, f.tool_events} <= refs
    assert r.data_source.references() == {r.data_source}


def test_dirty_flag():
    ds = ColumnDataSource(dict(x=[1]))
    assert ds._dirty
    ds._dirty = False
    ds.data = {"x": [2]}
    assert ds._dirty
    ds._dirty = False
    ds.add([3], "y")
    assert ds._dirty


def test_on_change_fires_on_assignment_with_old_and_new():
    calls = []
    s = Slider(value=1)
    s.on_change("value", lambda obj, attr, old, new: calls.append((obj, attr, old, new)))
    s.value = 2
    s.value = 2  # unchanged: no call
    assert calls == [(s, "value", 1, 2)]

    class App:
        def changed(self, obj, attr, old, new):
            calls.append(new)
    s.on_change("value", App(), "changed")  # the 0.10 form
    s.value = 3
    assert calls[-2:] == [(s, "value", 2, 3), 3]
    with pytest.raises(AttributeError):
        s.on_change("nope", print)


def test_document_add_dump_and_docid():
    doc = Document()
    assert str(uuid.UUID(doc.docid)) == doc.docid and doc.autoadd and doc.autostore
    f = Figure(tools="")
    doc.add(f)
    doc.add(f)  # not twice
    assert doc.context.children == [f]
    f.line([1, 2], [3, 4])  # added after add(): still dumped
    envs = doc.dump()
    types = sorted(e["type"] for e in envs)
    assert types.count("Line") == 2 and "PlotContext" in types
    assert {e["attributes"]["doc"] for e in envs} == {doc.docid}
    only = doc.dump(f.x_range)
    assert len(only) == 1 and only[0]["id"] == f.x_range.id
    json.loads(dumps(envs))


def test_load_round_trip_keeps_ids_and_creates_no_extra_models():
    doc = Document()
    f = Figure(tools="pan")
    f.circle([1, 2], [3, 4], name="c")
    doc.add(f)
    envs = json.loads(dumps(doc.dump()))
    other = Document()
    models = other.load(*envs)
    assert len(models) == len(envs) and all(not m._dirty for m in models)
    assert other.context.id == doc.context.id
    again = json.loads(dumps(other.dump()))
    again = [dict(e, attributes=dict(e["attributes"], doc=doc.docid)) for e in again]
    assert sorted(again, key=lambda e: e["id"]) == sorted(envs, key=lambda e: e["id"])
    loaded_plot = other.get(f.id)
    assert type(loaded_plot) is Figure and loaded_plot.select_one({"name": "c"}).id == \
        f.select_one({"name": "c"}).id


def test_load_rejects_dangling_references_and_unknown_types():
    doc = Document()
    with pytest.raises(DeserializationError):
        doc.load({"type": "GlyphRenderer", "id": "a", "attributes": {"glyph": {"type": "Circle", "id": "zz"}}})
    with pytest.raises(DeserializationError):
        doc.load({"type": "NoSuchModel", "id": "b", "attributes": {}})


def test_load_steps_create_resolve_apply():
    """load() creates every model first (so references may point forwards), resolves
    references, and only then applies attributes: a failing load changes nothing."""
    from plotclient.models import Circle, GlyphRenderer
    doc = Document()
    renderer = {"type": "GlyphRenderer", "id": "r", "attributes": {"glyph": {"type": "Circle", "id": "g"}}}
    glyph = {"type": "Circle", "id": "g", "attributes": {"size": {"value": 7}, "id": "g"}}
    r, g = doc.load(renderer, glyph)
    assert type(r) is GlyphRenderer and type(g) is Circle and r.glyph is g and doc.get("g") is g
    seen = []
    g.on_change("size", lambda model, attr, old, new: seen.append(new))
    before = len(doc.models())
    with pytest.raises(DeserializationError):
        doc.load({"type": "Circle", "id": "g", "attributes": {"size": {"value": 9}}},
                 {"type": "Line", "id": "new", "attributes": {}},
                 {"type": "GlyphRenderer", "id": "r2", "attributes": {"glyph": {"type": "Line", "id": "nope"}}})
    assert g.size == {"value": 7} and seen == []
    assert doc.get("new") is None and len(doc.models()) == before
    doc.load({"type": "Circle", "id": "g", "attributes": {"size": {"value": 9}}}, events="none")
    assert seen == [] and g.size == {"value": 9}
    doc.load({"type": "Circle", "id": "g", "attributes": {"size": {"value": 8}}})
    assert seen == [{"value": 8}]
    with pytest.raises(ValueError, match="events must be"):
        doc.load(glyph, events="some")


def test_merge_adopts_the_server_context_and_fires_on_change():
    doc = Document()
    f = Figure(tools="")
    doc.add(f)
    server = [{"type": "PlotContext", "id": "ctx", "attributes": {"children": [], "tags": [], "id": "ctx", "doc": "d"}}]
    doc.merge(server)
    assert doc.context.id == "ctx" and doc.context.children == [f]  # local child kept
    assert doc.context._dirty

    button = Button(clicks=0)
    doc.add(button)
    clicks = []
    button.on_click(lambda: clicks.append(1))
    envs = json.loads(dumps(doc.dump()))
    b = next(e for e in envs if e["type"] == "Button")
    b["attributes"]["clicks"] = 1
    doc.merge(envs)
    assert clicks == [1] and button.clicks == 1
    doc.merge(envs)  # no change, no call
    assert clicks == [1]


def test_merge_updates_data_and_creates_new_models():
    doc = Document()
    ds = ColumnDataSource(dict(x=[1]))
    r = GlyphRenderer(data_source=ds, glyph=Circle())
    doc.add(r)
    seen = []
    ds.on_change("data", lambda obj, attr, old, new: seen.append(new))
    envs = json.loads(dumps(doc.dump()))
    for e in envs:
        if e["id"] == ds.id:
            e["attributes"]["data"] = {"x": [5]}
    extra = Range1d(start=0, end=1)
    envs.append(json.loads(dumps(extra.to_envelope(doc.docid))))
    doc.merge(envs)
    assert seen == [{"x": [5]}] and ds.data == {"x": [5]}
    assert isinstance(doc.get(extra.id), Range1d) and doc.get(extra.id) is not extra


def test_prune_and_clear():
    doc = Document()
    a, b = Figure(tools=""), Figure(tools="")
    doc.add(a, b)
    doc.context.children = [a]
    assert doc.get(b.id) is b
    doc.prune()
    assert doc.get(b.id) is None and doc.get(a.id) is a
    ctx_id = doc.context.id
    doc.clear()
    assert doc.context.children == [] and doc.context.id == ctx_id
    assert [e["type"] for e in doc.dump()] == ["PlotContext"]


def test_two_plot_contexts_are_an_error():
    envs = [PlotContext().to_envelope("d"), PlotContext().to_envelope("d")]
    with pytest.raises(DeserializationError):
        Document().load(*json.loads(dumps(envs)))


def test_document_select():
    doc = Document()
    f = Figure(tools="")
    f.line([1], [2], name="l")
    doc.add(f)
    assert [r.name for r in doc.select({"name": "l"})] == ["l"]
    assert doc.select_one(name="l").glyph is not None

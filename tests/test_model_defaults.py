"""Check plotserver.model_defaults against JSON that real bokeh 0.10 produced.

The fixtures in tests/fixtures/models/ are documents dumped by bokeh 0.10.0
(see their README).  bokeh always sends the properties the table lists, so
every one of them must show up in every envelope of that type, and every
reference/container property that shows up in every envelope must be in the
table (or be explained below).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the package is not installed in the venv
    sys.path.insert(0, str(ROOT))

from plotserver.model_defaults import (  # noqa: E402
    ALWAYS_SENT,
    NEW_INSTANCE_DEFAULTS,
    with_defaults,
)

FIXTURES = Path(__file__).parent / "fixtures" / "models"
INJECTED = {"id", "doc"}  # §1.1: added to every attributes dict, not properties


def _load_envelopes():
    envelopes = []
    for path in sorted(FIXTURES.glob("*.json")):
        for envelope in json.loads(path.read_text()):
            envelopes.append((path.name, envelope))
    return envelopes


ENVELOPES = _load_envelopes()


def _by_type():
    grouped: dict[str, list[tuple[str, dict]]] = {}
    for name, envelope in ENVELOPES:
        grouped.setdefault(envelope["type"], []).append((name, envelope))
    return grouped


BY_TYPE = _by_type()


def _is_ref(value) -> bool:
    """A reference object (§1.2): keys exactly {id, type} or {id, subtype, type}."""
    return isinstance(value, dict) and set(value) in ({"id", "type"}, {"id", "subtype", "type"})


def _is_dataspec(value) -> bool:
    """A dataspec dict (§3.1) such as {"field": "x"} or {"value": 4, "units": "screen"}.

    Dataspecs are scalar properties that happen to travel as dicts; they are
    sent only if set, so they are not containers for the purpose of (c)."""
    return (
        isinstance(value, dict)
        and not _is_ref(value)
        and bool(set(value) & {"field", "value"})
        and set(value) <= {"field", "value", "units"}
    )


def _is_container_or_ref(value) -> bool:
    if value is None or _is_ref(value):
        return True
    if _is_dataspec(value):
        return False
    return isinstance(value, (list, dict))


# Properties that are present, as container/reference, in every fixture
# envelope of their type although MODELS.md marks them "if set":
#   HoverTool.tooltips  -- Either(String, List(...)) is not a container property;
#                          figure(tools="...hover...") constructs its HoverTool
#                          with explicit tooltips (and always_active), so both
#                          fixture HoverTools have it.
#   FactorRange.factors -- Either(List(String), List(Int)), not a container
#                          property; the only FactorRanges in the fixtures come
#                          from figure(x_range=[...], y_range=[...]), which sets it.
IF_SET_BUT_ALWAYS_IN_FIXTURES = {
    ("HoverTool", "tooltips"),
    ("FactorRange", "factors"),
}


def test_fixtures_were_found():
    assert len(ENVELOPES) > 100
    assert len(BY_TYPE) > 50


# (a) -----------------------------------------------------------------------

def test_every_fixture_type_has_an_entry():
    missing = sorted(set(BY_TYPE) - set(ALWAYS_SENT))
    assert missing == []


# (b) -----------------------------------------------------------------------

@pytest.mark.parametrize("type_name", sorted(BY_TYPE))
def test_always_sent_properties_are_present_in_fixtures(type_name):
    expected = set(ALWAYS_SENT[type_name])
    problems = []
    for filename, envelope in BY_TYPE[type_name]:
        absent = expected - set(envelope["attributes"])
        if absent:
            problems.append((filename, envelope["id"], sorted(absent)))
    assert problems == []


@pytest.mark.parametrize("type_name", sorted(set(BY_TYPE) & set(NEW_INSTANCE_DEFAULTS)))
def test_new_instance_properties_are_present_as_refs_in_fixtures(type_name):
    for filename, envelope in BY_TYPE[type_name]:
        for prop, class_name in NEW_INSTANCE_DEFAULTS[type_name].items():
            value = envelope["attributes"].get(prop)
            assert _is_ref(value), (filename, envelope["id"], prop, value)


@pytest.mark.parametrize("type_name", sorted(BY_TYPE))
def test_always_sent_values_have_the_default_shape(type_name):
    # A list default is always a list on the wire, a dict default a dict.
    for filename, envelope in BY_TYPE[type_name]:
        attributes = envelope["attributes"]
        for prop, default in ALWAYS_SENT[type_name].items():
            if isinstance(default, (list, dict)):
                assert type(attributes[prop]) is type(default), (filename, prop)


# (c) -----------------------------------------------------------------------

def _container_keys_in_every_envelope(type_name):
    envelopes = [envelope for _, envelope in BY_TYPE[type_name]]
    common = set.intersection(*(set(e["attributes"]) for e in envelopes)) - INJECTED
    return {
        key for key in common
        if all(_is_container_or_ref(e["attributes"][key]) for e in envelopes)
    }


@pytest.mark.parametrize("type_name", sorted(BY_TYPE))
def test_container_and_ref_properties_in_fixtures_are_in_the_table(type_name):
    allowed = set(ALWAYS_SENT[type_name])
    allowed |= set(NEW_INSTANCE_DEFAULTS.get(type_name, {}))
    allowed |= {key for (t, key) in IF_SET_BUT_ALWAYS_IN_FIXTURES if t == type_name}
    unexplained = _container_keys_in_every_envelope(type_name) - allowed
    assert unexplained == set()


def test_allow_list_entries_are_really_needed():
    # Keep the allow-list honest: each entry must be in the fixtures and
    # must not also be in the table.
    for type_name, key in IF_SET_BUT_ALWAYS_IN_FIXTURES:
        assert key in _container_keys_in_every_envelope(type_name)
        assert key not in ALWAYS_SENT[type_name]


def test_container_check_would_catch_a_missing_entry(monkeypatch):
    # Remove `dimensions` from PanTool in a copy of the table: check (c) must fail.
    import plotserver.model_defaults as md

    patched = dict(md.ALWAYS_SENT)
    patched["PanTool"] = {k: v for k, v in patched["PanTool"].items() if k != "dimensions"}
    monkeypatch.setattr(sys.modules[__name__], "ALWAYS_SENT", patched)
    with pytest.raises(AssertionError):
        test_container_and_ref_properties_in_fixtures_are_in_the_table("PanTool")


def test_table_and_new_instance_defaults_do_not_overlap():
    for type_name, props in NEW_INSTANCE_DEFAULTS.items():
        assert type_name in ALWAYS_SENT
        assert not set(props) & set(ALWAYS_SENT[type_name]), type_name


def test_every_entry_has_tags():
    for type_name, defaults in ALWAYS_SENT.items():
        assert defaults.get("tags") == [], type_name


# (d) -----------------------------------------------------------------------

def test_with_defaults_returns_fresh_copies():
    first = with_defaults("Plot", {})
    second = with_defaults("Plot", {})
    first["renderers"].append({"type": "Line", "id": "x"})
    first["tags"].append("t")
    first["extra_x_ranges"]["r"] = {"type": "Range1d", "id": "y"}
    assert second["renderers"] == []
    assert second["tags"] == []
    assert second["extra_x_ranges"] == {}
    assert ALWAYS_SENT["Plot"]["renderers"] == []
    assert ALWAYS_SENT["Plot"]["tags"] == []

    a = with_defaults("ColumnDataSource", {})
    b = with_defaults("ColumnDataSource", {})
    a["selected"]["1d"]["indices"].append(3)
    assert b["selected"]["1d"]["indices"] == []
    assert ALWAYS_SENT["ColumnDataSource"]["selected"]["1d"]["indices"] == []


def test_with_defaults_attributes_win():
    given = {"id": "abc", "doc": "d", "dimensions": ["width"], "plot": {"type": "Plot", "id": "p"}}
    result = with_defaults("PanTool", given)
    assert result["dimensions"] == ["width"]
    assert result["plot"] == {"type": "Plot", "id": "p"}
    assert result["tags"] == []
    assert result["id"] == "abc" and result["doc"] == "d"
    # a new dict; the input is not modified
    assert result is not given
    assert "tags" not in given


def test_with_defaults_keeps_explicit_null_and_unknown_keys():
    result = with_defaults("Plot", {"renderers": None, "title": "t"})
    assert result["renderers"] is None
    assert result["title"] == "t"


def test_with_defaults_unknown_type_passes_through():
    given = {"a": [1], "b": None}
    result = with_defaults("NoSuchModel", given)
    assert result == given
    assert result is not given


def test_fixture_envelopes_are_unchanged_by_with_defaults():
    # Real bokeh output already has every always-sent property.
    for _, envelope in ENVELOPES:
        attributes = envelope["attributes"]
        assert with_defaults(envelope["type"], attributes) == attributes


# (e) -----------------------------------------------------------------------

def test_fresh_column_data_source():
    result = with_defaults("ColumnDataSource", {"id": "s", "doc": "d"})
    assert result["selected"] == {
        "0d": {"flag": False, "indices": []},
        "1d": {"indices": []},
        "2d": {"indices": []},
    }
    assert result["data"] == {}
    assert result["column_names"] == []
    assert result["callback"] is None
    assert result["tags"] == []


def test_fresh_pan_tool():
    result = with_defaults("PanTool", {})
    assert result["dimensions"] == ["width", "height"]
    assert result["plot"] is None
    assert result["tags"] == []


def test_fresh_plot():
    result = with_defaults("Plot", {})
    assert result["renderers"] == []
    assert result["x_range"] is None
    assert "tool_events" not in result
    assert NEW_INSTANCE_DEFAULTS["Plot"] == {"tool_events": "ToolEvents"}


def test_fresh_grid_plot_has_plot_defaults_and_children():
    result = with_defaults("GridPlot", {})
    for key in ("above", "below", "left", "right", "renderers", "tools"):
        assert result[key] == []
    assert result["extra_x_ranges"] == {} and result["extra_y_ranges"] == {}
    assert result["x_range"] is None and result["y_range"] is None
    assert result["children"] == []
    assert "tool_events" not in result


def test_some_spec_values():
    assert with_defaults("BasicTicker", {})["mantissas"] == [2, 5, 10]
    assert with_defaults("DatetimeTickFormatter", {})["formats"] == {}
    assert with_defaults("DataRange1d", {}) == {
        "tags": [], "callback": None, "names": [], "renderers": [],
    }
    assert with_defaults("GlyphRenderer", {}) == {
        "tags": [],
        "data_source": None,
        "glyph": None,
        "nonselection_glyph": None,
        "selection_glyph": None,
    }
    for marker in ("Asterisk", "Circle", "Square", "X", "Triangle"):
        assert with_defaults(marker, {}) == {"tags": []}
    for tool in ("ResetTool", "ResizeTool", "PreviewSaveTool", "HelpTool"):
        assert with_defaults(tool, {}) == {"tags": [], "plot": None}
    assert "ticker" not in with_defaults("LinearAxis", {})
    assert with_defaults("Grid", {})["ticker"] is None
    assert with_defaults("PlotContext", {}) == {"tags": [], "children": []}


def test_served_fresh_document_matches():
    # What a real bokeh-server 0.10 returned for a new document.
    served = json.loads((FIXTURES / "server_fresh_document.json").read_text())
    (context,) = served
    attributes = {k: v for k, v in context["attributes"].items() if k not in INJECTED}
    assert attributes == with_defaults("PlotContext", {})

"""plotclient has every model type and property of MODELS.md section 4, with bokeh 0.10's
Python defaults and "sent" behaviour.

The tables are parsed at test time from tests/fixtures/spec/MODELS.md (a copy of the
spec, kept with the other fixtures).  Each table belongs to the heading or bold model name above
it; the few tables that MODELS.md attaches to several types in prose are mapped below,
quoting the sentence that says so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from plotclient import document  # noqa: F401 - registers every model type and Figure
from plotclient.model import Model
from plotclient.properties import DataSpec

MODELS_MD = Path(__file__).resolve().parents[1] / "fixtures" / "spec" / "MODELS.md"

MARKERS = ["Asterisk", "Circle", "CircleCross", "CircleX", "Cross", "Diamond", "DiamondCross",
           "InvertedTriangle", "Square", "SquareCross", "SquareX", "Triangle", "X"]
AXES = ["LinearAxis", "LogAxis", "CategoricalAxis", "DatetimeAxis"]

# (subject, index of the table under it) -> the types the table describes
TABLE_TYPES = {
    ("4.7 Markers", 0): MARKERS,                       # "all with exactly the table above"
    ("4.7 Markers", 1): ["Circle"],                    # "except Circle, which adds:"
    ("4.8 Axes", 1): AXES,                             # "share one property set"
    ("4.8 Axes", 2): ["DatetimeAxis"],                 # "DatetimeAxis adds legacy properties"
    ("4.13 Colour mapper", 0): ["LinearColorMapper"],
    ("4.14 Tools and ToolEvents", 0): ["ToolEvents"],
    ("AjaxDataSource, BlazeDataSource, ServerDataSource", 0): ["AjaxDataSource"],
    ("AjaxDataSource, BlazeDataSource, ServerDataSource", 1): ["BlazeDataSource", "ServerDataSource"],
    ("HBox", 0): ["HBox", "VBox", "VBoxForm"],         # "VBox and VBoxForm have exactly the same properties"
    ("Paragraph", 0): ["Paragraph", "PreText"],        # "PreText has the same properties"
    ("BasicTicker", 0): ["BasicTicker", "LogTicker", "AdaptiveTicker"],  # "LogTicker has the same ... likewise"
}
ONLY_FOR = {("ServerDataSource", "transform")}          # BlazeDataSource has no transform
# "GridPlot - a Plot subclass ... Extra properties"; the map plots are "Plot subclasses"
INHERITS = {"GridPlot": "Plot", "GMapPlot": "Plot", "GeoJSPlot": "Plot"}

GROUP_MEMBERS = {
    "line": {"color": "line_color", "width": "line_width", "alpha": "line_alpha", "join": "line_join",
             "cap": "line_cap", "dash": "line_dash", "dash_offset": "line_dash_offset"},
    "fill": {"color": "fill_color", "alpha": "fill_alpha"},
    "text": {"font": "text_font", "size": "text_font_size", "style": "text_font_style",
             "color": "text_color", "alpha": "text_alpha", "align": "text_align",
             "baseline": "text_baseline"},
}


def _cells(line):
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def parse_catalogue():
    """-> (rows, axis_defaults, abstract_names, mentioned_types)

    rows: list of (type, property, python_default_text, sent_text, source)."""
    text = MODELS_MD.read_text()
    section = text[text.index("## 4. Model catalogue"):text.index("## 5. ")]
    rows, axis_defaults, inherits = [], {}, dict(INHERITS)
    exclude = {}
    subject, table_index, header = None, 0, None
    for line in section.splitlines():
        heading = re.match(r"#{3,4} (.+)", line)
        bold = re.match(r"\*\*([A-Za-z0-9 /]+)\*\*(?:, \*\*([A-Za-z]+)\*\*, \*\*([A-Za-z]+)\*\*)?", line)
        if heading or bold:
            if header is not None:
                header = None
            if heading:
                subject = re.sub(r" \(.*", "", heading.group(1)).strip()
            else:
                names = [n for n in bold.groups() if n]
                subject = ", ".join(names) if len(names) > 1 else names[0]
                like = re.match(r"\*\*(\w+)\*\* \((?:as|adds to) (\w+)(?: without (\w+))?", line)
                if like:
                    inherits[like.group(1)] = like.group(2)
                    if like.group(3):
                        exclude[like.group(1)] = {like.group(3)}
            table_index = 0
            continue
        if not line.startswith("|"):
            if header is not None:
                header, table_index = None, table_index + 1
            continue
        cells = _cells(line)
        if header is None:
            header = cells
            continue
        if set(line) <= set("|- "):
            continue
        if header[0] == "axis":  # the "ticker created / formatter created" table
            axis_defaults[cells[0]] = {"ticker": cells[1], "formatter": cells[2]}
            continue
        if header[0] == "tool":
            types, cells = [cells[0].strip("`")], cells[1:]
            hdr = header[1:]
        else:
            types = TABLE_TYPES.get((subject, table_index)) or \
                [re.sub(r"^4\.\d+ ", "", s).strip() for s in subject.split("/")]
            hdr = header
        if cells[0] in ("—", ""):
            continue
        prop = cells[0].strip("`")
        default = cells[hdr.index("Python default (sent form)" if "Python default (sent form)" in hdr else "Python default")]
        sent = cells[hdr.index("sent")]
        for t in types:
            if (t, prop) not in ONLY_FOR and any(p == prop for _, p in ONLY_FOR):
                continue
            rows.append((t, prop, default, sent, subject))
    # types that take another type's table (later, own rows override inherited ones)
    by_type = {}
    for row in rows:
        by_type.setdefault(row[0], []).append(row)
    expanded = {}
    for t in set(by_type) | set(inherits):
        base = inherits.get(t)
        for r in by_type.get(base, []) if base else []:
            if r[1] not in exclude.get(t, set()):
                expanded[(t, r[1])] = (t,) + r[1:]
        for r in by_type.get(t, []):  # own rows, later tables last, win
            expanded[(t, r[1])] = r
    expanded = list(expanded.values())
    abstract = re.search(r"Abstract bases \(never on the wire\):(.*?)\.\n", section, re.S).group(1)
    abstract_names = re.findall(r"`(\w+)`", abstract)
    mentioned = set(re.findall(r"`([A-Z][A-Za-z0-9]+)`", section)) | set(re.findall(r"\*\*([A-Z][A-Za-z0-9]+)\*\*", section))
    return expanded, axis_defaults, abstract_names, mentioned


ROWS, AXIS_DEFAULTS, ABSTRACT, MENTIONED = parse_catalogue()


def model_class(type_name):
    if type_name == "BoxSelection":
        return Model.class_for("BoxSelection")
    return Model.class_for(type_name)


def expand_rows():
    """Group rows (line_*, outline_line_*, title_text_*...) become one row per member."""
    out = []
    for type_name, prop, default, sent, subject in ROWS:
        if prop.endswith("_*"):
            stem = prop[:-1]                        # e.g. "outline_line_" or "label_text_"
            kind = next(k for k in ("line", "fill", "text") if stem.endswith(k + "_"))
            prefix = stem[: -len(kind) - 1]
            for key, value in re.findall(r'(\w+)=("[^"]*"|\[[^\]]*\]|[^,\s]+)', default):
                out.append((type_name, prefix + GROUP_MEMBERS[kind][key], value, sent, "group"))
        else:
            out.append((type_name, prop, default, sent, subject))
    return out


def parse_default(text):
    """-> ("json", value) | ("new", class name) | ("prefix", text) | ("today", None)"""
    text = text.strip()
    if text.startswith("new "):
        return "new", text[4:].strip()
    if text == "today (ms)":
        return "today", None
    spec = re.fullmatch(r"(field|value):(\S+?)(?: \((\w+)\))?", text)
    if spec:
        kind, raw, units = spec.groups()
        if kind == "value":
            raw = json.loads(raw)
        out = {kind: raw}
        if units:
            out["units"] = units
        return "spec", out
    if "…" in text:
        return "prefix", text.split("…")[0]
    return "json", json.loads(text)


def all_rows():
    return [pytest.param(*row, id=f"{row[0]}.{row[1]}") for row in expand_rows()]


def test_the_catalogue_was_parsed():
    types = {row[0] for row in ROWS}
    assert len(ROWS) > 300 and {"Plot", "Circle", "Slider", "HoverTool", "DataTable"} <= types
    assert AXIS_DEFAULTS["LogAxis"] == {"ticker": "LogTicker (num_minor_ticks 10)",
                                        "formatter": "LogTickFormatter (ticker = that LogTicker)"}


@pytest.mark.parametrize("type_name,prop,default,sent,subject", all_rows())
def test_property(type_name, prop, default, sent, subject):
    cls = model_class(type_name)
    assert prop in cls._properties, f"{type_name} lacks property {prop!r}"
    descriptor = cls._properties[prop]
    assert descriptor.always_sent == (sent == "always"), \
        f"{type_name}.{prop} is sent {sent!r} in bokeh 0.10"
    model = cls()
    value = getattr(model, prop)
    kind, expected = parse_default(default)
    if kind == "new":
        if expected.startswith("Basic") and type_name in AXIS_DEFAULTS:
            expected = AXIS_DEFAULTS[type_name][prop]
        expected = expected.split(" ")[0]
        assert isinstance(value, Model) and type(value).__name__ == expected, \
            f"{type_name}.{prop} should default to a new {expected}, got {value!r}"
        return
    if kind == "today":
        assert value == dt.date.today()
        return
    if kind == "spec" or (isinstance(descriptor, DataSpec) and subject != "group"):
        sent_form = descriptor.to_json(value, model) if value is not None else None
    elif subject == "group":
        sent_form = value  # group rows show the raw Python value (color="black")
    else:
        sent_form = json.loads(json.dumps(descriptor.to_json(value, model) if value is not None else None))
    if kind == "prefix":
        assert json.dumps(sent_form).startswith(expected), f"{type_name}.{prop}: {sent_form!r}"
    else:
        assert sent_form == expected and type(sent_form) is type(expected) or \
            (isinstance(expected, float) and sent_form == expected), \
            f"{type_name}.{prop}: Python default {expected!r}, plotclient has {sent_form!r}"


def test_common_properties_everywhere():
    for name, cls in list(Model._registry.items()) + [(f"{k[0]}/{k[1]}", c) for k, c in Model._subtypes.items()]:
        model = cls()
        assert model.name is None and model.tags == [], name
        attrs = model.vm_serialize()
        assert "tags" in attrs and "name" not in attrs and attrs["id"] == model.id, name


def test_every_glyph_has_visible_and_every_tool_a_plot():
    from plotclient.models import Glyph, Tool
    for cls in Model._registry.values():
        if issubclass(cls, Glyph):
            assert "visible" in cls._properties, cls.__name__
        if issubclass(cls, Tool):
            assert cls._properties["plot"].always_sent, cls.__name__


def test_tickers_and_table_cell_models():
    # "All tickers have num_minor_ticks and desired_num_ticks"; "DaysTicker adds days,
    # MonthsTicker adds months; YearsTicker, CategoricalTicker and DatetimeTicker have only
    # the common properties"; the cell formatter/editor list of 4.16.
    expected = {
        "DaysTicker": ["days", "num_minor_ticks", "desired_num_ticks"],
        "MonthsTicker": ["months", "num_minor_ticks", "desired_num_ticks"],
        "YearsTicker": ["num_minor_ticks"], "CategoricalTicker": ["num_minor_ticks"],
        "DatetimeTicker": ["num_minor_ticks", "desired_num_ticks"],
        "StringFormatter": ["font_style", "text_align", "text_color"],
        "NumberFormatter": ["font_style", "text_align", "text_color", "format", "language", "rounding"],
        "BooleanFormatter": ["icon"], "DateFormatter": ["format"], "StringEditor": ["completions"],
        "TextEditor": [], "SelectEditor": ["options"], "PercentEditor": [], "CheckboxEditor": [],
        "IntEditor": ["step"], "NumberEditor": ["step"], "TimeEditor": [], "DateEditor": [],
        "AppHBox": ["app", "children"], "AppVBox": ["app"], "AppVBoxForm": ["app"],
        "GMapPlot": ["map_options"], "GeoJSPlot": ["map_options"], "BoxSelection": ["tool"],
        "PlotList": ["children"], "ChartOptions": [], "CrossFilter": [], "AppLayout": [],
        "SimpleApp": ["objects", "widget_list", "layout"],
    }
    for type_name, props in expected.items():
        cls = model_class(type_name)
        for prop in props:
            assert prop in cls._properties, f"{type_name}.{prop}"
    assert model_class("BooleanFormatter")().icon == "check"
    assert model_class("DateFormatter")().format == "yy M d"
    assert model_class("IntEditor")().step == 1 and model_class("NumberEditor")().step == 0.01
    assert Model.class_for("Plot", "Chart")._wire_subtype == "Chart"
    assert Model.class_for("Plot", "Figure")._wire_subtype == "Figure"


def test_every_wire_type_is_registered_and_no_abstract_one():
    """Every type name section 4 mentions is either registered or an abstract base /
    BokehJS-only / not-a-model name."""
    assert {"PlotObject", "Widget", "Glyph", "Marker", "Tool"} <= set(ABSTRACT)
    for name in ABSTRACT:
        assert name not in Model._registry, f"{name} is abstract in bokeh 0.10"
    not_python_models = set(ABSTRACT) | {
        # BokehJS-only (4.17) and the names section 4 mentions as absent or non-models
        "Canvas", "CartesianFrame", "LayoutBox", "LinearMapper", "LogMapper",
        "CategoricalMapper", "GridMapper", "SelectionManager", "Selector", "ToolManager",
        "PolySelection", "Span", "Tooltip", "Ellipse", "VBar", "HBar", "Figure", "Chart",
        "BoxSelectionOverlay"}
    missing = sorted(n for n in MENTIONED - not_python_models if n not in Model._registry)
    assert not missing, f"types MODELS.md section 4 names that plotclient lacks: {missing}"

"""Defaults for the "always-sent" properties of bokeh 0.10 models.

Why this exists: the original bokeh-server 0.10 never stored the JSON it was
given.  It loaded every uploaded envelope into a Python model and re-dumped it
with ``vm_serialize(changed_only=True)`` (MODELS.md §1.4, §1.7).  That dump
always contains every property that can hold a reference (``Instance``,
``List(Instance)``, ...) and every container property (``List``, ``Dict``,
``Tuple``, ...), so a client that left one of them out of its upload got it
back from the server filled in with the Python default.

plotserver stores the JSON it receives and has no model layer.  To return the
same documents it fills in these always-sent properties, with their defaults
in wire (JSON) form, once: when an object is created.  Nothing else about the
attributes is checked or changed.

``ALWAYS_SENT`` maps each wire type of MODELS.md §4 to its always-sent
properties and their JSON defaults (``None`` for an unset reference, ``[]`` /
``{}`` for empty containers).  Treat it as read-only; ``with_defaults`` hands
out fresh copies.

Some always-sent properties default to a freshly constructed model
(``Plot.tool_events`` -> a new ToolEvents, an axis's ``ticker`` and
``formatter``, ...).  The server cannot invent such objects, so they are not in
``ALWAYS_SENT``; ``NEW_INSTANCE_DEFAULTS`` lists them for reference.
"""

from __future__ import annotations

import copy

__all__ = ["ALWAYS_SENT", "NEW_INSTANCE_DEFAULTS", "with_defaults"]


# ---------------------------------------------------------------------------
# Shared groups (abstract bases in bokeh 0.10; never on the wire themselves)
# ---------------------------------------------------------------------------

# Every model: `tags` (a list, so always sent).  `name` is only sent if set.
_MODEL = {"tags": []}

# §4.2 Plot and its subclasses.
_PLOT = {
    "above": [],
    "below": [],
    "left": [],
    "right": [],
    "renderers": [],
    "tools": [],
    "extra_x_ranges": {},
    "extra_y_ranges": {},
    "x_range": None,
    "y_range": None,
}

# §4.4 DataSource base: ColumnDataSource and the remote sources inherit it.
_DATA_SOURCE = {
    "callback": None,
    "column_names": [],
    "selected": {
        "0d": {"flag": False, "indices": []},
        "1d": {"indices": []},
        "2d": {"indices": []},
    },
}
# RemoteSource (abstract) adds `data`; BlazeDataSource adds `expr`, `namespace`.
_REMOTE_SOURCE = {**_DATA_SOURCE, "data": {}}
_BLAZE_SOURCE = {**_REMOTE_SOURCE, "expr": {}, "namespace": {}}

# §4.8 / §4.9 / §4.12: guide renderers and annotations point back at their plot.
_PLOT_REF = {"plot": None}

# §4.10 AdaptiveTicker: BasicTicker, LogTicker (Python default [2, 5, 10] for
# both; the fixtures confirm it for LogTicker too).
_ADAPTIVE_TICKER = {"mantissas": [2, 5, 10]}

# §4.14 tools.
_TOOL = {"plot": None}
_DIMENSIONS = {"dimensions": ["width", "height"]}
_TARGETS = {"names": [], "renderers": []}

# §4.16 widgets.
_CALLBACK = {"callback": None}
_BOX = {"children": []}
_APP_BOX = {"children": [], "app": None}
_BUTTON = {"callback": None, "icon": None}


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

ALWAYS_SENT: dict[str, dict[str, object]] = {
    # -- §4.1 PlotContext (and PlotList, §1.5: same shape) ------------------
    "PlotContext": {**_MODEL, "children": []},
    "PlotList": {**_MODEL, "children": []},

    # -- §4.2 Plot and subclasses --------------------------------------------
    # (tool_events: new ToolEvents -> NEW_INSTANCE_DEFAULTS)
    "Plot": {**_MODEL, **_PLOT},
    "GridPlot": {**_MODEL, **_PLOT, "children": []},
    # map_options is Instance(GMapOptions / GeoJSOptions), serialized inline;
    # an Instance property is always sent (§1.4 rule 2), default null.
    "GMapPlot": {**_MODEL, **_PLOT, "map_options": None},
    "GeoJSPlot": {**_MODEL, **_PLOT, "map_options": None},

    # -- §4.3 GlyphRenderer --------------------------------------------------
    "GlyphRenderer": {
        **_MODEL,
        "data_source": None,
        "glyph": None,
        "nonselection_glyph": None,
        "selection_glyph": None,
    },

    # -- §4.4 Data sources ---------------------------------------------------
    "ColumnDataSource": {**_MODEL, **_DATA_SOURCE, "data": {}},
    "AjaxDataSource": {**_MODEL, **_REMOTE_SOURCE},
    "BlazeDataSource": {**_MODEL, **_BLAZE_SOURCE},
    "ServerDataSource": {**_MODEL, **_BLAZE_SOURCE, "transform": {}},

    # -- §4.5 Ranges ---------------------------------------------------------
    "Range1d": {**_MODEL, "callback": None},
    "DataRange1d": {**_MODEL, "callback": None, "names": [], "renderers": []},
    # `factors` is Either(List, List): not a container property -> if set.
    "FactorRange": {**_MODEL, "callback": None},

    # -- §4.6 Glyphs (only tags; Image.color_mapper is a new instance) ------
    "Line": {**_MODEL},
    "MultiLine": {**_MODEL},
    "Patch": {**_MODEL},
    "Patches": {**_MODEL},
    "Quad": {**_MODEL},
    "Rect": {**_MODEL},
    "Segment": {**_MODEL},
    "Ray": {**_MODEL},
    "Oval": {**_MODEL},
    "Wedge": {**_MODEL},
    "AnnularWedge": {**_MODEL},
    "Annulus": {**_MODEL},
    "Arc": {**_MODEL},
    "Bezier": {**_MODEL},
    "Quadratic": {**_MODEL},
    "Text": {**_MODEL},
    "Image": {**_MODEL},
    "ImageRGBA": {**_MODEL},
    "ImageURL": {**_MODEL},
    "Gear": {**_MODEL},

    # -- §4.7 Markers (all share the Marker table: nothing always sent) -----
    "Asterisk": {**_MODEL},
    "Circle": {**_MODEL},
    "CircleCross": {**_MODEL},
    "CircleX": {**_MODEL},
    "Cross": {**_MODEL},
    "Diamond": {**_MODEL},
    "DiamondCross": {**_MODEL},
    "InvertedTriangle": {**_MODEL},
    "Square": {**_MODEL},
    "SquareCross": {**_MODEL},
    "SquareX": {**_MODEL},
    "Triangle": {**_MODEL},
    "X": {**_MODEL},

    # -- §4.8 Axes (ticker/formatter are new instances) ----------------------
    "LinearAxis": {**_MODEL, **_PLOT_REF},
    "LogAxis": {**_MODEL, **_PLOT_REF},
    "CategoricalAxis": {**_MODEL, **_PLOT_REF},
    "DatetimeAxis": {**_MODEL, **_PLOT_REF},

    # -- §4.9 Grid -----------------------------------------------------------
    "Grid": {**_MODEL, **_PLOT_REF, "ticker": None},

    # -- §4.10 Tickers -------------------------------------------------------
    "AdaptiveTicker": {**_MODEL, **_ADAPTIVE_TICKER},
    "BasicTicker": {**_MODEL, **_ADAPTIVE_TICKER},
    "LogTicker": {**_MODEL, **_ADAPTIVE_TICKER},
    # Seq properties without a default: sent, as null, when unset.
    "FixedTicker": {**_MODEL, "ticks": None},
    "CompositeTicker": {**_MODEL, "tickers": None},
    "SingleIntervalTicker": {**_MODEL},
    # days / months: MODELS.md gives no default.  They are sequences declared
    # next to FixedTicker.ticks and CompositeTicker.tickers (both null), so
    # they are taken to be null as well.
    "DaysTicker": {**_MODEL, "days": None},
    "MonthsTicker": {**_MODEL, "months": None},
    "YearsTicker": {**_MODEL},
    "CategoricalTicker": {**_MODEL},
    "DatetimeTicker": {**_MODEL},

    # -- §4.11 Tick formatters -----------------------------------------------
    "BasicTickFormatter": {**_MODEL},
    "NumeralTickFormatter": {**_MODEL},
    "PrintfTickFormatter": {**_MODEL},
    "LogTickFormatter": {**_MODEL, "ticker": None},
    "DatetimeTickFormatter": {**_MODEL, "formats": {}},
    "CategoricalTickFormatter": {**_MODEL},

    # -- §4.12 Annotations and overlays --------------------------------------
    "Legend": {**_MODEL, **_PLOT_REF, "legends": []},
    "BoxAnnotation": {**_MODEL, **_PLOT_REF},
    # Python class BoxSelectionOverlay; its only property is the `tool` ref.
    "BoxSelection": {**_MODEL, "tool": None},

    # -- §4.13 Colour mapper -------------------------------------------------
    "LinearColorMapper": {**_MODEL, "palette": None},

    # -- §4.14 Tools and ToolEvents ------------------------------------------
    "ToolEvents": {**_MODEL, "geometries": []},
    "PanTool": {**_MODEL, **_TOOL, **_DIMENSIONS},
    "WheelZoomTool": {**_MODEL, **_TOOL, **_DIMENSIONS},
    "BoxZoomTool": {**_MODEL, **_TOOL, **_DIMENSIONS},
    "ResizeTool": {**_MODEL, **_TOOL},
    "ResetTool": {**_MODEL, **_TOOL},
    "PreviewSaveTool": {**_MODEL, **_TOOL},
    "HelpTool": {**_MODEL, **_TOOL},
    # tooltips is Either(String, List(...)): not a container -> if set.
    "HoverTool": {**_MODEL, **_TOOL, **_TARGETS, "callback": None},
    "CrosshairTool": {**_MODEL, **_TOOL, **_DIMENSIONS},
    "TapTool": {**_MODEL, **_TOOL, **_TARGETS, "callback": None},
    "BoxSelectTool": {**_MODEL, **_TOOL, **_DIMENSIONS, **_TARGETS, "callback": None},
    "LassoSelectTool": {**_MODEL, **_TOOL, **_TARGETS},
    "PolySelectTool": {**_MODEL, **_TOOL, **_TARGETS},

    # -- §4.15 Callbacks -----------------------------------------------------
    "CustomJS": {**_MODEL, "args": {}},
    "OpenURL": {**_MODEL},

    # -- §4.16 Widgets: layouts ----------------------------------------------
    "HBox": {**_MODEL, **_BOX},
    "VBox": {**_MODEL, **_BOX},
    "VBoxForm": {**_MODEL, **_BOX},
    "AppHBox": {**_MODEL, **_APP_BOX},
    "AppVBox": {**_MODEL, **_APP_BOX},
    "AppVBoxForm": {**_MODEL, **_APP_BOX},

    # -- §4.16 Widgets: inputs -----------------------------------------------
    "Slider": {**_MODEL, **_CALLBACK},
    "TextInput": {**_MODEL, **_CALLBACK},
    "AutocompleteInput": {**_MODEL, **_CALLBACK, "completions": []},
    "Select": {**_MODEL, **_CALLBACK, "options": []},
    "MultiSelect": {**_MODEL, **_CALLBACK, "options": [], "value": []},
    "DatePicker": {**_MODEL},
    "DateRangeSlider": {
        **_MODEL,
        "bounds": None,
        "range": None,
        "step": {},
        "value": None,
    },

    # -- §4.16 Widgets: buttons ----------------------------------------------
    "Button": {**_MODEL, **_BUTTON},
    "Toggle": {**_MODEL, **_BUTTON},
    "Dropdown": {**_MODEL, **_BUTTON, "menu": []},

    # -- §4.16 Widgets: groups -----------------------------------------------
    "CheckboxGroup": {**_MODEL, "active": [], "labels": []},
    "RadioGroup": {**_MODEL, "labels": []},
    "CheckboxButtonGroup": {**_MODEL, "active": [], "labels": []},
    "RadioButtonGroup": {**_MODEL, "labels": []},

    # -- §4.16 Widgets: markup -----------------------------------------------
    "Paragraph": {**_MODEL},
    "PreText": {**_MODEL},

    # -- §4.16 Widgets: tabs, panel, dialog, icon ----------------------------
    "Tabs": {**_MODEL, **_CALLBACK, "tabs": []},
    "Panel": {**_MODEL, "child": None},
    "Dialog": {**_MODEL, "buttons": [], "buttons_box": None, "content": None},
    "Icon": {**_MODEL},

    # -- §4.16 Widgets: data table -------------------------------------------
    "DataTable": {**_MODEL, "columns": [], "source": None},
    # (editor/formatter are new instances)
    "TableColumn": {**_MODEL},
    # cell formatters
    "StringFormatter": {**_MODEL},
    "NumberFormatter": {**_MODEL},
    "BooleanFormatter": {**_MODEL},
    "DateFormatter": {**_MODEL},
    # cell editors
    "StringEditor": {**_MODEL, "completions": []},
    "TextEditor": {**_MODEL},
    "SelectEditor": {**_MODEL, "options": []},
    "PercentEditor": {**_MODEL},
    "CheckboxEditor": {**_MODEL},
    "IntEditor": {**_MODEL},
    "NumberEditor": {**_MODEL},
    "TimeEditor": {**_MODEL},
    "DateEditor": {**_MODEL},

    # -- §4.16 SimpleApp -----------------------------------------------------
    # MODELS.md names its properties only; in bokeh 0.10 `objects` is a Dict,
    # `widget_list` a List and `layout` an Instance.
    "SimpleApp": {**_MODEL, "objects": {}, "widget_list": [], "layout": None},
}


# Always-sent properties whose Python default is a freshly constructed model.
# The server cannot create those objects, so these stay absent when a client
# leaves them out.  type -> property -> class of the default instance.
_PLOT_NEW = {"tool_events": "ToolEvents"}

NEW_INSTANCE_DEFAULTS: dict[str, dict[str, str]] = {
    # §4.2
    "Plot": {**_PLOT_NEW},
    "GridPlot": {**_PLOT_NEW},
    "GMapPlot": {**_PLOT_NEW},
    "GeoJSPlot": {**_PLOT_NEW},
    # §4.6
    "Image": {"color_mapper": "LinearColorMapper"},
    # §4.8
    "LinearAxis": {"ticker": "BasicTicker", "formatter": "BasicTickFormatter"},
    "LogAxis": {"ticker": "LogTicker", "formatter": "LogTickFormatter"},
    "CategoricalAxis": {"ticker": "CategoricalTicker", "formatter": "CategoricalTickFormatter"},
    "DatetimeAxis": {"ticker": "DatetimeTicker", "formatter": "DatetimeTickFormatter"},
    # §4.16 data table
    "TableColumn": {"editor": "StringEditor", "formatter": "StringFormatter"},
}


def with_defaults(type_name: str, attributes: dict) -> dict:
    """Return a new attribute dict: the always-sent defaults of `type_name`
    (fresh copies) overridden by `attributes`.  Unknown types: a plain copy."""
    defaults = ALWAYS_SENT.get(type_name)
    if defaults is None:
        return dict(attributes)
    # Copy only the defaults that are used, and only the mutable ones (lists and dicts): a
    # large document creates tens of thousands of objects in one upsert.
    result = {name: copy.deepcopy(value) if type(value) in _MUTABLE else value
              for name, value in defaults.items() if name not in attributes}
    result.update(attributes)
    return result


_MUTABLE = (dict, list)

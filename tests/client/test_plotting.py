"""The bokeh 0.10 plotting API of plotclient.plotting (PLOTTING.md 1-3, 5, 6)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest



@pytest.fixture
def plt():
    from plotclient import plotting
    plotting.reset_output()
    yield plotting
    plotting.reset_output()


def test_module_exports(plt):
    """The names of PLOTTING.md 1 are the working objects, not placeholders."""
    from plotclient import figure as figure_module, models
    from plotclient.document import Document
    from plotclient.session import Session
    assert plt.DEFAULT_TOOLS == "pan,wheel_zoom,box_zoom,save,resize,reset,help"
    p = plt.figure()
    assert type(p) is plt.Figure and isinstance(p, plt.Plot)
    assert p.ref["type"] == "Plot" and p.ref["subtype"] == "Figure"
    assert plt.Figure is figure_module.Figure and plt.Document is Document and plt.Session is Session
    for name in ("ColumnDataSource", "Plot", "GridPlot", "Axis", "LogAxis", "Grid", "Legend"):
        assert getattr(plt, name) is getattr(models, name), name
    assert isinstance(plt.curdoc(), Document) and plt.cursession() is None
    assert isinstance(plt.gridplot([[p]]), plt.GridPlot)
    assert type(plt.hplot(plt.figure())).__name__ == "HBox"
    assert type(plt.vplot(plt.figure())).__name__ == "VBox"
    assert type(plt.vform()).__name__ == "VBoxForm"
    for name in ("output_server", "output_file", "output_notebook", "show", "save", "push",
                 "reset_output", "markers"):
        assert callable(getattr(plt, name)), name


def test_figure_is_added_to_the_current_document(plt):
    p = plt.figure()
    doc = plt.curdoc()
    assert doc.context.children == [p] and doc._current_plot is p
    doc.autoadd = False
    q = plt.figure()
    assert q not in doc.context.children


def test_default_figure_contents(plt):
    p = plt.figure(width=400, height=300)
    attrs = p.vm_serialize()
    assert attrs["plot_width"] == 400 and attrs["plot_height"] == 300
    assert "title" not in attrs and "toolbar_location" not in attrs
    assert [type(t).__name__ for t in p.tools] == ["PanTool", "WheelZoomTool", "BoxZoomTool",
                                                  "PreviewSaveTool", "ResizeTool", "ResetTool", "HelpTool"]
    assert all(t.plot is p for t in p.tools)
    assert [type(r).__name__ for r in p.renderers] == ["LinearAxis", "Grid", "LinearAxis", "Grid"]
    assert p.below == [p.renderers[0]] and p.left == [p.renderers[2]]
    assert p.xgrid[0].ticker is p.xaxis[0].ticker and p.ygrid[0].dimension == 1
    assert p.xaxis[0].ticker.vm_serialize()["num_minor_ticks"] == 5


def test_figure_keyword_errors(plt):
    with pytest.raises(ValueError):
        plt.figure(width=3, plot_width=3)
    with pytest.raises(AttributeError, match="unexpected attribute 'titel' to Figure, similar attributes are title"):
        plt.figure(titel="x")
    with pytest.raises(ValueError, match="unexpected tool name 'zoom'"):
        plt.figure(tools="pan,zoom")
    with pytest.raises(ValueError, match="Unrecognized range input"):
        plt.figure(x_range=5)
    with pytest.raises(ValueError):
        plt.figure(x_minor_ticks=1)
    with pytest.raises(ValueError):
        plt.figure(x_axis_location="left")


def test_tools_argument(plt):
    from plotclient.models import HoverTool, TapTool
    assert plt.figure(tools="").tools == [] and plt.figure(tools=[]).tools == []
    p = plt.figure(tools=" xpan , ywheel_zoom,hover,tap ")
    pan, zoom, hover, tap = p.tools
    assert pan.dimensions == ["width"] and zoom.dimensions == ["height"]
    assert isinstance(hover, HoverTool) and hover.vm_serialize()["always_active"] is True
    assert hover.tooltips == [("index", "$index"), ("data (x, y)", "($x, $y)"), ("canvas (x, y)", "($sx, $sy)")]
    assert isinstance(tap, TapTool) and tap.always_active
    mine = HoverTool()
    q = plt.figure(tools=["reset", mine])
    assert q.tools[0] is mine and type(q.tools[1]).__name__ == "ResetTool" and mine.plot is q
    with pytest.raises(ValueError):
        plt.figure(tools=[mine])  # already belongs to q


def test_ranges_and_axis_types(plt):
    from plotclient.models import (CategoricalAxis, DataRange1d, DatetimeAxis, FactorRange,
                                   LinearAxis, LogAxis, Range1d)
    p = plt.figure(x_range=["a", "b"], y_range=(0, 10))
    assert isinstance(p.x_range, FactorRange) and p.x_range.factors == ["a", "b"]
    assert isinstance(p.y_range, Range1d) and (p.y_range.start, p.y_range.end) == (0, 10)
    assert isinstance(p.xaxis[0], CategoricalAxis) and isinstance(p.yaxis[0], LinearAxis)
    q = plt.figure(x_range=[dt.datetime(2015, 1, 1), dt.datetime(2015, 2, 1)], y_axis_type="log")
    assert isinstance(q.xaxis[0], DatetimeAxis) and isinstance(q.yaxis[0], LogAxis)
    assert q.y_mapper_type == "log" and q.yaxis[0].ticker.num_minor_ticks == 10
    assert q.yaxis[0].formatter.ticker is q.yaxis[0].ticker
    shared = DataRange1d()
    r = plt.figure(x_range=shared, y_axis_type=None, x_axis_location="above", x_minor_ticks=None,
                   x_axis_label="time")
    assert r.x_range is shared and r.yaxis == [] and len(r.renderers) == 2
    assert r.above == [r.xaxis[0]] and r.xaxis[0].ticker.num_minor_ticks == 0
    assert r.xaxis[0].axis_label == "time" and "axis_label" not in plt.figure().xaxis[0].vm_serialize()


def test_glyph_argument_pipeline(plt):
    p = plt.figure(tools="box_select")
    r = p.circle([1, 2], [3, 4], size=[5, 6], color="red", alpha=0.5, name="pts",
                 nonselection_fill_color="green")
    ds = r.data_source
    assert ds.column_names == ["size", "x", "y"] and ds.data["size"] == [5, 6]
    g, ns = r.glyph.vm_serialize(), r.nonselection_glyph.vm_serialize()
    assert g["x"] == {"field": "x"} and g["size"] == {"field": "size", "units": "screen"}
    assert g["fill_color"] == g["line_color"] == {"value": "red"}
    assert g["fill_alpha"] == g["line_alpha"] == {"value": 0.5}
    assert ns["fill_color"] == {"value": "green"} and ns["line_color"] == {"value": "#1f77b4"}
    assert ns["fill_alpha"] == {"value": 0.1}
    assert r.name == "pts" and "name" not in g and r.selection_glyph is None
    assert p.tools[0].renderers == [r] and p.renderers[-1] is r


def test_glyph_scalars_strings_and_sources(plt):
    from plotclient.properties import value
    p = plt.figure()
    src = plt.ColumnDataSource(dict(a=[1, 2], b=[3, 4]))
    r = p.line("a", "b", source=src, line_width=3, color=(10, 20, 30))
    assert r.data_source is src and src.column_names == ["a", "b"]
    g = r.glyph.vm_serialize()
    assert g["x"] == {"field": "a"} and g["line_width"] == {"value": 3}
    assert g["line_color"] == {"value": "rgb(10, 20, 30)"}
    r2 = p.circle("a", "b", source=src, fill_color=[1, 2])  # a list goes into the user's source
    assert src.column_names == ["a", "b", "fill_color"] and r2.data_source is src
    t = p.text(1, 2, text=value("const"))
    assert t.glyph.vm_serialize()["text"] == {"value": "const"}
    assert p.text(1, 2, text=["a"]).glyph.vm_serialize()["text"] == {"field": "text"}  # step 6
    assert t.glyph.vm_serialize()["text_color"] == {"value": "black"}
    assert p.quad(top=[1], bottom=0, left=[0], right=[1]).glyph.vm_serialize()["bottom"] == {"value": 0}


def test_glyph_errors(plt):
    p = plt.figure()
    with pytest.raises(RuntimeError, match="Missing required glyph parameters: y"):
        p.line([1, 2])
    with pytest.raises(AttributeError):
        p.line([1], [2], fill_color="red")
    with pytest.raises(AttributeError):
        p.circle([1], [2], angle_units="deg")
    with pytest.raises(RuntimeError, match="Columns need to be 1D"):
        p.circle(np.zeros((2, 2)), [1, 2])
    with pytest.raises(ValueError):
        p.scatter([1], [2], marker="star")


def test_scatter_and_markers(plt, capsys):
    p = plt.figure()
    for marker, cls in (("o", "Circle"), ("*", "Asterisk"), ("+", "Cross"), ("ox", "CircleX"),
                        ("o+", "CircleCross"), ("square_x", "SquareX"), ("x", "X")):
        assert type(p.scatter([1], [2], marker=marker).glyph).__name__ == cls
    assert type(p.scatter([1], [2]).glyph).__name__ == "Circle"
    plt.markers()
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "scatter(marker=...) accepts: asterisk, circle, circle_cross, circle_x, cross, diamond, "
        "diamond_cross, inverted_triangle, square, square_x, square_cross, triangle, x",
        "short forms: * = asterisk, + = cross, o = circle, ox = circle_x, o+ = circle_cross"]
    with pytest.raises(ValueError, match="scatter\\(\\) does not know the marker 'star'; markers\\(\\)"):
        p.scatter([1], [2], marker="star")


def test_every_glyph_method_builds_its_glyph(plt):
    """Each method of the PLOTTING.md 3.1 table makes a renderer with that glyph model
    (and a nonselection glyph of the same model), its positional parameters as fields."""
    from plotclient._glyph_api import GLYPHS
    table = {
        "annular_wedge": "AnnularWedge", "annulus": "Annulus", "arc": "Arc", "asterisk": "Asterisk",
        "bezier": "Bezier", "circle": "Circle", "circle_cross": "CircleCross", "circle_x": "CircleX",
        "cross": "Cross", "diamond": "Diamond", "diamond_cross": "DiamondCross", "image": "Image",
        "image_rgba": "ImageRGBA", "image_url": "ImageURL", "inverted_triangle": "InvertedTriangle",
        "line": "Line", "multi_line": "MultiLine", "oval": "Oval", "patch": "Patch",
        "patches": "Patches", "quad": "Quad", "quadratic": "Quadratic", "ray": "Ray", "rect": "Rect",
        "segment": "Segment", "square": "Square", "square_cross": "SquareCross",
        "square_x": "SquareX", "text": "Text", "triangle": "Triangle", "wedge": "Wedge", "x": "X"}
    assert set(GLYPHS) == set(table)
    p = plt.figure()
    for method, glyph_name in table.items():
        params = GLYPHS[method][1]
        r = getattr(p, method)(*([[1, 2]] * len(params)))
        assert type(r.glyph).__name__ == glyph_name, method
        assert type(r.nonselection_glyph) is type(r.glyph) and p.renderers[-1] is r
        wire = r.glyph.vm_serialize()
        for name in params:
            assert wire[name]["field"] == name, (method, name)
        assert r.data_source.column_names[:len(params)] == list(params), method
    assert type(p.scatter([1], [2], marker="diamond").glyph).__name__ == "Diamond"


def test_numpy_scalars_are_values_not_columns(plt):
    from plotclient.serialization import dumps
    import json
    p = plt.figure()
    r = p.circle([1, 2], [3, 4], size=np.float64(10), alpha=np.float64(0.5),
                 line_width=np.array(2), angle=np.int64(1))
    assert r.data_source.column_names == ["x", "y"]
    g = json.loads(dumps(r.glyph.vm_serialize()))
    assert g["size"] == {"value": 10.0, "units": "screen"} and g["fill_alpha"] == {"value": 0.5}
    assert g["line_width"] == {"value": 2} and type(g["line_width"]["value"]) is int
    assert g["angle"] == {"value": 1} and type(g["angle"]["value"]) is int
    # arrays of one or more dimensions, Series and Index are columns
    r = p.circle(np.array([1.0, 2.0]), pd.Series([3, 4]), size=pd.Index([5, 6]))
    assert r.data_source.column_names == ["size", "x", "y"]


def test_ranges_and_generators_become_list_columns(plt):
    from plotclient.serialization import dumps
    import json
    p = plt.figure()
    r = p.line(range(3), (v * 2 for v in range(3)))
    assert r.data_source.data == {"x": [0, 1, 2], "y": [0, 2, 4]}
    r = p.circle(range(2), [1, 2], size=map(float, [5, 6]))
    assert r.data_source.data["size"] == [5.0, 6.0]
    sent = json.loads(dumps(plt.curdoc().dump()))  # what show()/push() write
    data = [e["attributes"]["data"] for e in sent if e["type"] == "ColumnDataSource"]
    assert {"x": [0, 1, 2], "y": [0, 2, 4]} in data


def test_nonselection_sequences_do_not_overwrite_the_glyph_columns(plt):
    p = plt.figure()
    r = p.circle([1, 2], [3, 4], fill_color=["red", "blue"], nonselection_fill_color=["gray", "gray"])
    ds = r.data_source
    # 0.10 would have put the gray list under "fill_color" (twice in column_names),
    # losing the main glyph's colours; the nonselection column gets a prefixed name
    assert ds.data["fill_color"] == ["red", "blue"]
    assert ds.data["nonselection_fill_color"] == ["gray", "gray"]
    assert ds.column_names == ["x", "y", "fill_color", "nonselection_fill_color"]
    assert r.glyph.vm_serialize()["fill_color"] == {"field": "fill_color"}
    assert r.nonselection_glyph.vm_serialize()["fill_color"] == {"field": "nonselection_fill_color"}
    # when the main glyph does not read that column, the 0.10 name (the property's) stays
    r = p.circle([1, 2], [3, 4], nonselection_fill_alpha=[0.1, 0.2])
    assert r.data_source.column_names == ["x", "y", "fill_alpha"]
    assert r.nonselection_glyph.vm_serialize()["fill_alpha"] == {"field": "fill_alpha"}
    assert r.glyph.vm_serialize()["fill_alpha"] == {"value": 1.0}
    # a column of the user's source that the main glyph reads is not overwritten either
    src = plt.ColumnDataSource(dict(a=[1, 2], b=[3, 4], line_color=["red", "blue"]))
    r = p.circle("a", "b", source=src, line_color="line_color", nonselection_line_color=["gray"] * 2)
    assert src.data["line_color"] == ["red", "blue"]
    assert r.nonselection_glyph.line_color == "nonselection_line_color"


def test_glyph_and_nonselection_glyph_do_not_share_spec_dicts(plt):
    p = plt.figure()
    spec = {"field": "r", "units": "screen"}
    r = p.circle("a", "b", radius=spec)
    assert r.glyph.radius == r.nonselection_glyph.radius == spec
    assert r.glyph.radius is not r.nonselection_glyph.radius and r.glyph.radius is not spec
    r.nonselection_glyph.radius["field"] = "other"
    spec["units"] = "data"
    assert r.glyph.vm_serialize()["radius"] == {"field": "r", "units": "screen"}


def test_figure_keywords_cannot_replace_methods(plt):
    with pytest.raises(AttributeError, match="unexpected attribute 'text' to Figure"):
        plt.figure(text="hello")
    with pytest.raises(AttributeError, match="unexpected attribute 'circle' to Figure"):
        plt.figure(circle=1)
    p = plt.figure()
    with pytest.raises(AttributeError, match="'select' to Figure"):
        p.select = None
    assert type(p.text([1], [2], text=["a"]).glyph).__name__ == "Text"


def test_legend_rows_merge_by_label(plt):
    p = plt.figure()
    a = p.line([1], [2], legend="one")
    b = p.circle([1], [2], legend="two")
    c = p.square([1], [2], legend="one")
    legend = p.legend[0]
    assert legend.plot is p and legend.legends == [("one", [a, c]), ("two", [b])]
    assert p.renderers.index(legend) < p.renderers.index(a)
    p.legend.orientation = "bottom_left"
    assert legend.orientation == "bottom_left"


def test_select(plt):
    from plotclient.errors import DataIntegrityException
    from plotclient.models import GlyphRenderer, Grid, LinearAxis
    from plotclient.query import GT, IN, OR
    p = plt.figure()
    r = p.line([1], [2], name="ex_line")
    p.circle([1], [2], size=9)
    assert p.select(dict(name="ex_line")) == [r]
    assert p.select("ex_line") == [r] and p.select(name="ex_line") == [r]
    assert len(p.select(GlyphRenderer)) == 2 and len(p.select(type=Grid)) == 2
    assert p.select({"type": {IN: [Grid, LinearAxis]}}).__len__() == 4
    assert len(p.select({"layout": "left"})) == 1 and p.select({"layout": "left"})[0] is p.yaxis[0]
    assert len(p.select({OR: [{"name": "ex_line"}, {"type": Grid}]})) == 3
    assert [type(g).__name__ for g in p.select({"size": {GT: 4}})] == ["Circle", "Circle"]  # + nonselection
    p.xaxis[0].tags = ["main"]
    assert p.select({"tags": "main"}) == [p.xaxis[0]]
    assert p.select_one({"name": "ex_line"}) is r and p.select_one({"name": "nope"}) is None
    with pytest.raises(DataIntegrityException):
        p.select_one(GlyphRenderer)
    p.set_select(Grid, {"grid_line_alpha": 0.3})
    assert all(g.grid_line_alpha == 0.3 for g in p.grid)
    from plotclient.models.widgets import Button
    assert len(list(Button(type="success").select({"type": "success"}))) == 1
    splat = p.select(Grid)
    splat.grid_line_color = None
    assert all(g.grid_line_color is None for g in p.grid)


def test_column_data_source_inputs(plt):
    df = pd.DataFrame({"a": [1, 2], "b": [3.5, 4.5]})
    ds = plt.ColumnDataSource(df)
    assert ds.column_names == ["a", "b", "index"] and ds.data["index"] == [0, 1]
    ds2 = plt.ColumnDataSource(data=dict(x=np.arange(3)))
    assert ds2.column_names == ["x"]
    named = pd.DataFrame({"v": [1]}, index=pd.MultiIndex.from_tuples([("a", 1)], names=["k", "n"]))
    assert plt.ColumnDataSource(named).column_names == ["v", "k_n"]
    empty = plt.ColumnDataSource()
    assert empty.add(pd.Series([1, 2], name="s")) == "s" and empty.add([1, 2]) == "Series 1"
    empty.remove("s")
    assert empty.column_names == ["Series 1"] and list(empty.to_df().columns) == ["Series 1"]


def test_layouts_replace_children_in_the_document(plt):
    from plotclient.models.widgets import Slider
    p1, p2 = plt.figure(), plt.figure()
    other = plt.figure()
    row = plt.hplot(p1, p2)
    assert plt.curdoc().context.children == [other, row]
    assert row.vm_serialize()["children"] == [p1.ref, p2.ref]
    col = plt.vplot(Slider(), row)
    assert plt.curdoc().context.children == [other, col] and plt.curdoc()._current_plot is col
    form = plt.vform(Slider())
    assert form not in plt.curdoc().context.children and type(form).__name__ == "VBoxForm"
    grid = plt.gridplot([[other, None]])
    assert grid.vm_serialize()["children"] == [[other.ref, None]]
    assert plt.curdoc().context.children == [col, grid]


def test_image_palette_makes_one_mapper_per_glyph(plt):
    p = plt.figure()
    r = p.image(image=[np.ones((2, 2))], x=0, y=0, dw=1, dh=1, palette="Spectral3")
    assert r.glyph.color_mapper is not r.nonselection_glyph.color_mapper
    assert r.glyph.color_mapper.palette == ["#99d594", "#ffffbf", "#fc8d59"]
    with pytest.raises(ValueError, match="unknown palette"):
        p.image(image=[np.ones((2, 2))], x=0, y=0, dw=1, dh=1, palette="Nope7")

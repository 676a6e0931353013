"""plotclient.charts: 0.10's high-level charts build from dicts, lists, arrays and
DataFrames, emit the model types and columns 0.10 emitted (a Plot with subtype Chart holding
ordinary glyph renderers, one source each), compute what pandas/numpy compute, and store
against a live plotserver."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import requests

from plotclient.charts import (DEFAULT_PALETTE, Bar, BoxPlot, Chart, Histogram, Line, Scatter,
                               blend, color, marker, stack)
from plotclient.document import Document
from plotclient.io import output_server, show
from plotclient.models import (CategoricalAxis, ColumnDataSource, DatetimeAxis, FactorRange,
                               GlyphRenderer, Legend, LinearAxis, Range1d)
from plotclient.plotting import cursession

# Isolated from the real home, browser and environment (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("isolated_client")

CARS = {  # a tiny autompg-like table
    "cyl": [4, 4, 6, 8, 8, 8, 4, 6, 4, 8],
    "origin": [1, 2, 1, 1, 2, 3, 3, 2, 1, 1],
    "mpg": [30.0, 28.0, 20.0, 15.0, 14.0, 13.0, 33.0, 21.0, 45.0, 16.0],
    "hp": [90, 95, 110, 150, 160, 170, 70, 105, 60, 140],
}
TOOLS = ["PanTool", "WheelZoomTool", "BoxZoomTool", "PreviewSaveTool", "ResizeTool",
         "ResetTool", "HelpTool"]


def glyph_renderers(chart) -> list:
    return [r for r in chart.renderers if isinstance(r, GlyphRenderer)]


def column(chart, name) -> list:
    """One column gathered over all renderers (each holds its own source)."""
    return [v for r in glyph_renderers(chart) for v in list(r.data_source.data[name])]


def check_envelopes(chart) -> list:
    """The chart's document dump: a Plot/Chart whose references all resolve, and no
    source shared between renderers."""
    doc = Document()
    doc.add(chart)
    envelopes = doc.dump()
    ids = {e["id"] for e in envelopes}
    plot = [e for e in envelopes if e["id"] == chart.id][0]
    assert (plot["type"], plot["subtype"]) == ("Plot", "Chart")

    def refs(value):
        if isinstance(value, dict):
            if set(value) in ({"id", "type"}, {"id", "type", "subtype"}):
                yield value
            else:
                for v in value.values():
                    yield from refs(v)
        elif isinstance(value, list):
            for v in value:
                yield from refs(v)

    for envelope in envelopes:
        for ref in refs(envelope["attributes"]):
            assert ref["id"] in ids, ref
    sources = [r.data_source.id for r in glyph_renderers(chart)]
    assert len(sources) == len(set(sources))
    return envelopes


def check_common(chart, x_axis, grids=(1,)):
    assert isinstance(chart, Chart)
    assert (chart.plot_width, chart.plot_height) == (600, 400)
    assert [type(t).__name__ for t in chart.tools] == TOOLS
    assert isinstance(chart.xaxis[0], x_axis) and isinstance(chart.yaxis[0], LinearAxis)
    assert sorted(g.dimension for g in chart.grid) == list(grids)
    check_envelopes(chart)


# -- Bar ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [CARS, pd.DataFrame(CARS)], ids=["dict", "DataFrame"])
def test_bar_heights_are_the_pandas_aggregate(data):
    chart = Bar(data, label="cyl", values="mpg", agg="mean")
    check_common(chart, CategoricalAxis)
    expected = pd.DataFrame(CARS).groupby("cyl")["mpg"].mean()
    assert chart.x_range.factors == ["4", "6", "8"]
    assert column(chart, "x") == ["4", "6", "8"]
    assert column(chart, "height") == pytest.approx(expected.tolist())
    assert column(chart, "y") == pytest.approx((expected / 2).tolist())
    assert set(glyph_renderers(chart)[0].data_source.data) == {
        "x", "y", "width", "height", "color", "fill_alpha"}
    assert column(chart, "color") == ["#f22c40"] * 3
    assert isinstance(chart.y_range, Range1d) and chart.y_range.start == 0
    assert chart.y_range.end == pytest.approx(1.1 * expected.max())
    assert (chart.xaxis[0].axis_label, chart.yaxis[0].axis_label) == ("Cyl", "Mean( Mpg )")


def test_bar_stack_piles_bars_and_colours_by_stack():
    chart = Bar(CARS, label="cyl", values="mpg", stack="origin", legend=True)
    sums = pd.DataFrame(CARS).groupby(["cyl", "origin"])["mpg"].sum()
    assert column(chart, "height") == pytest.approx(sums.tolist())
    tops = {}
    for (cyl, _), h in sums.items():
        tops[cyl] = tops.get(cyl, 0) + h
    assert chart.y_range.end == pytest.approx(1.1 * max(tops.values()))
    cyl8 = [(y, h) for x, y, h in zip(column(chart, "x"), column(chart, "y"),
                                      column(chart, "height")) if x == "8"]
    assert cyl8 == [(15.5, 31.0), (38.0, 14.0), (51.5, 13.0)]
    legend = chart.legend[0]
    assert legend.orientation == "top_left"
    assert [label for label, _ in legend.legends] == ["1", "2", "3"]
    assert sorted(set(column(chart, "color"))) == sorted(DEFAULT_PALETTE[:3])
    assert stack(columns="origin").columns == ["origin"]
    same = Bar(CARS, label="cyl", values="mpg", stack=stack(columns="origin"))
    assert column(same, "y") == column(chart, "y")
    flat = Bar(CARS, label="cyl", values="mpg", color="origin")
    piled = stack(glyph_renderers(flat))
    assert [r.data_source.data["y"][0] for r in piled if r.data_source.data["x"] == ["8"]] \
        == [15.5, 38.0, 51.5]
    with pytest.raises(ValueError):
        stack()


def test_bar_group_dodges_and_counts_strings_and_handles_negatives():
    chart = Bar(pd.DataFrame(CARS), label="cyl", values="hp", group="origin")
    assert column(chart, "x")[:2] == ["4:0.25", "4:0.5"]
    assert set(column(chart, "width")) == {0.2}
    counted = Bar(["a", "c", "a", "b"])
    assert counted.x_range.factors == ["a", "b", "c"]
    assert column(counted, "height") == [2, 1, 1]
    negative = Bar({"k": ["p", "q"], "v": [3.0, -2.0]}, label="k", values="v")
    assert column(negative, "height") == [3.0, 2.0] and column(negative, "y") == [1.5, -1.0]
    assert (negative.y_range.start, negative.y_range.end) == pytest.approx((-2.2, 3.3))
    blended = Bar(CARS, label="kind_mpg_hp", values=blend("mpg", "hp", name="val",
                                                         labels_name="kind"), agg="mean")
    assert blended.x_range.factors == ["hp", "mpg"]
    assert blended.yaxis[0].axis_label == "Mean( Val )"
    late = Bar({"k": ["a", "b", "b"], "s": [2, 1, 2], "v": [1, 1, 1]}, label="k", values="v",
               stack="s", legend=True)
    assert [label for label, _ in late.legend[0].legends] == ["1", "2"]
    assert [len(rs) for _, rs in late.legend[0].legends] == [1, 2]


# -- BoxPlot ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [CARS, pd.DataFrame(CARS)], ids=["dict", "DataFrame"])
def test_boxplot_quartiles_are_numpys(data):
    chart = BoxPlot(data, label="cyl", values="mpg")
    check_common(chart, CategoricalAxis)
    rects = [r for r in glyph_renderers(chart) if type(r.glyph).__name__ == "Rect"]
    for cyl, (lower, upper) in zip((4, 6, 8), zip(rects[::2], rects[1::2])):
        vals = np.array([m for c, m in zip(CARS["cyl"], CARS["mpg"]) if c == cyl])
        q1, q2, q3 = np.percentile(vals, [25, 50, 75])
        lo, hi = lower.data_source.data, upper.data_source.data
        assert lo["y"][0] - lo["height"][0] / 2 == pytest.approx(q1)
        assert lo["y"][0] + lo["height"][0] / 2 == pytest.approx(q2)
        assert hi["y"][0] + hi["height"][0] / 2 == pytest.approx(q3)
        assert lo["x"] == [str(cyl)] and lo["color"] == ["DimGrey"]
    # cyl 4: 28, 30, 33, 45 -> q1 29.5, q3 36 -> fences 19.75 / 45.75: no outlier
    kinds = [type(r.glyph).__name__ for r in glyph_renderers(chart)]
    assert kinds == ["Rect", "Rect", "Segment"] * 3
    segment = glyph_renderers(chart)[2].data_source.data
    assert set(segment) == {"x0s", "y0s", "x1s", "y1s"}
    assert segment["y0s"][0] == 28.0 and segment["y1s"][3] == 45.0  # whiskers end at data
    assert segment["x0s"][0] == "4:0.5"
    assert chart.yaxis[0].axis_label == "Mpg"


def test_boxplot_outliers_and_group():
    values = [1.0, 2, 3, 4, 5, 6, 50]
    chart = BoxPlot({"g": ["a"] * 7, "v": values}, label="g", values="v", marker="cross",
                    legend=True)
    kinds = [type(r.glyph).__name__ for r in glyph_renderers(chart)]
    assert kinds == ["Rect", "Rect", "Cross", "Segment"]
    outlier = glyph_renderers(chart)[2]
    assert list(outlier.data_source.data["y_values"]) == [50.0]
    assert outlier.glyph.fill_color == "red"
    assert len(chart.legend[0].legends[0][1]) == 4
    grouped = BoxPlot(pd.DataFrame(CARS), label="cyl", values="mpg", group="origin")
    xs = [r.data_source.data["x"][0] for r in glyph_renderers(grouped)
          if type(r.glyph).__name__ == "Rect"]
    assert xs[:2] == ["4:0.25", "4:0.25"]
    assert len(glyph_renderers(grouped)) == 3 * 8  # 8 (cyl, origin) boxes, no outliers
    check_envelopes(grouped)


# -- Histogram ----------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [{"mpg": CARS["mpg"]}, pd.DataFrame(CARS)],
                         ids=["dict", "DataFrame"])
def test_histogram_counts_are_numpys(data):
    chart = Histogram(data, values="mpg", bins=5)
    check_common(chart, LinearAxis)
    counts, edges = np.histogram(CARS["mpg"], bins=5)
    assert column(chart, "height") == counts.tolist()
    assert column(chart, "x") == pytest.approx(((edges[:-1] + edges[1:]) / 2).tolist())
    assert column(chart, "width") == pytest.approx(np.diff(edges).tolist())
    assert len(glyph_renderers(chart)) == 5  # a Rect renderer per bin, as 0.10
    assert chart.y_range.end == pytest.approx(1.1 * counts.max())
    assert (chart.xaxis[0].axis_label, chart.yaxis[0].axis_label) == ("mpg", "Count( Mpg )")


def test_histogram_default_bins_and_colour_groups():
    values = np.random.default_rng(1).normal(size=2000)
    chart = Histogram(values)
    q1, q3 = np.percentile(values, [25, 75])
    n = int(np.ceil(np.ptp(values) / (2 * (q3 - q1) * len(values) ** (-1 / 3))))
    assert len(glyph_renderers(chart)) == n
    assert sum(column(chart, "height")) == 2000
    grouped = Histogram(CARS, values="mpg", color="cyl", bins=2, legend=True)
    assert [label for label, _ in grouped.legend[0].legends] == ["4", "6", "8"]
    assert set(column(grouped, "fill_alpha")) == {0.6}
    assert column(grouped, "color")[::2] == DEFAULT_PALETTE[:3]


# -- Line ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [CARS, pd.DataFrame(CARS)], ids=["dict", "DataFrame"])
def test_line_from_columns(data):
    chart = Line(data, x="hp", y="mpg", title="cars")
    check_common(chart, LinearAxis, grids=(0, 1))
    (renderer,) = glyph_renderers(chart)
    assert type(renderer.glyph).__name__ == "Line"
    assert set(renderer.data_source.data) == {"x_values", "y_values"}
    assert list(renderer.data_source.data["y_values"]) == CARS["mpg"]
    assert renderer.glyph.line_color == "#f22c40" and renderer.glyph.line_width == 2
    span = max(CARS["hp"]) - min(CARS["hp"])
    assert (chart.x_range.start, chart.x_range.end) == pytest.approx(
        (min(CARS["hp"]) - 0.1 * span, max(CARS["hp"]) + 0.1 * span))
    assert chart.title == "cars"


def test_line_several_series_and_inputs():
    chart = Line({"python": [1, 2, 3], "pypy": [3, 4, 5], "jython": [0, 1, 1]},
                 y=["python", "pypy", "jython"], legend=True)
    assert [label for label, _ in chart.legend[0].legends] == ["jython", "pypy", "python"]
    assert [r.glyph.line_color for r in glyph_renderers(chart)] == DEFAULT_PALETTE[:3]
    assert list(glyph_renderers(chart)[0].data_source.data["x_values"]) == [0, 1, 2]
    arrays = Line(np.array([[1, 2, 3], [4, 5, 6]]))
    assert [list(r.data_source.data["y_values"]) for r in glyph_renderers(arrays)] == [
        [1, 2, 3], [4, 5, 6]]
    dashed = Line([[1, 2], [3, 4]], dash=["a", "b"])
    assert [r.glyph.line_dash for r in glyph_renderers(dashed)] == [[], [6]]
    dated = Line(pd.DataFrame({"d": pd.date_range("2015-01-01", periods=3), "v": [1, 2, 3]}),
                 x="d", y="v")
    assert isinstance(dated.xaxis[0], DatetimeAxis)
    assert dated.x_range.start == 1420070400000.0


# -- Scatter ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [CARS, pd.DataFrame(CARS)], ids=["dict", "DataFrame"])
def test_scatter_groups_by_colour_and_marker(data):
    chart = Scatter(data, x="mpg", y="hp", color="cyl", marker="origin", legend="bottom_right")
    check_common(chart, LinearAxis, grids=(0, 1))
    frame = pd.DataFrame(CARS)
    groups = frame.groupby(["cyl", "origin"])
    renderers = glyph_renderers(chart)
    assert len(renderers) == groups.ngroups
    for renderer, ((cyl, origin), sub) in zip(renderers, groups):
        assert list(renderer.data_source.data["x_values"]) == sub["mpg"].tolist()
        assert renderer.glyph.fill_color == DEFAULT_PALETTE[[4, 6, 8].index(cyl)]
        assert type(renderer.glyph).__name__ == ["Circle", "Square", "Triangle"][origin - 1]
        assert renderer.glyph.size == 8
    assert chart.legend[0].legends[0][0] == "(4, 1)"


def test_scatter_inputs_and_attribute_specs():
    both = Scatter(x=[1, 2, 3], y=[4, 5, 6])
    assert list(glyph_renderers(both)[0].data_source.data["y_values"]) == [4, 5, 6]
    species = Scatter({"s": ["b", "a", "b"], "v": [1, 2, 3]}, x="s", y="v",
                      color=color("s", palette=["red", "blue"]), marker=marker("s", ["x"]))
    assert species.x_range.factors == ["a", "b"]
    assert isinstance(species.xaxis[0], CategoricalAxis)
    assert [r.glyph.fill_color for r in glyph_renderers(species)] == ["red", "blue"]
    assert type(glyph_renderers(species)[0].glyph).__name__ == "X"
    only_x = Scatter(pd.Series([1.0, 2.0], name="m"))
    assert list(glyph_renderers(only_x)[0].data_source.data["y_values"]) == [1.0, 1.0]
    assert Scatter(CARS, x="mpg", y="hp", tools="pan,reset", width=300).plot_width == 300
    with pytest.raises(TypeError):
        Scatter(CARS, x="mpg", y="hp", bogus=1)


# -- against a live plotserver ------------------------------------------------------------------

def test_charts_store_and_read_back(server):
    output_server("charts", url=server.url + "/")
    charts = [Bar(CARS, label="cyl", values="mpg"), BoxPlot(CARS, label="cyl", values="mpg"),
              Histogram(CARS, values="mpg", bins=4), Line(CARS, x="hp", y="mpg"),
              Scatter(CARS, x="mpg", y="hp", color="cyl")]
    for chart in charts:
        show(chart)
    docid = cursession().docid
    reply = requests.get(f"{server.url}/bokeh/bb/{docid}/", timeout=5)
    reply.raise_for_status()
    stored = {e["id"]: e for e in reply.json()}
    for chart in charts:
        envelope = stored[chart.id]
        assert (envelope["type"], envelope.get("subtype")) == ("Plot", "Chart")
        assert envelope["attributes"]["plot_width"] == 600
        for renderer in glyph_renderers(chart):
            source = stored[renderer.data_source.id]
            assert source["type"] == "ColumnDataSource"
            sent = renderer.data_source.data
            assert set(source["attributes"]["data"]) == set(sent)
            for name, values in sent.items():
                assert source["attributes"]["data"][name] == pytest.approx(list(values)) \
                    if not isinstance(list(values)[0], str) else list(values)
            assert stored[renderer.glyph.id]["type"] == type(renderer.glyph).__name__
    kept = stored[charts[0].x_range.id]
    assert (kept["type"], kept["attributes"]["factors"]) == ("FactorRange", ["4", "6", "8"])
    assert isinstance(charts[0].x_range, FactorRange)
    assert isinstance(glyph_renderers(charts[0])[0].data_source, ColumnDataSource)
    assert any(isinstance(r, Legend) for r in charts[0].renderers) is False

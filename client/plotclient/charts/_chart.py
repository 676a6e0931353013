"""What every chart shares: the chart options, and assembling a `Chart` (a Plot with the
subtype "Chart") from glyph renderers, ranges, axes, grids, tools and a legend."""

from __future__ import annotations

import math

from ..figure import DEFAULT_TOOLS, _make_tools
from ..models.annotations import Legend
from ..models.axes import CategoricalAxis, DatetimeAxis, Grid, LinearAxis
from ..models.plots import Chart
from ..models.ranges import FactorRange
from ..models.renderers import GlyphRenderer
from ..models.sources import ColumnDataSource

LEGEND_PLACES = ("top_right", "top_left", "bottom_left", "bottom_right")

# keywords every chart takes, with 0.10's defaults
OPTIONS = dict(title=None, legend=None, width=600, height=400, tools=True, responsive=False,
               xlabel=None, ylabel=None, title_text_font_size="12pt", id=None)


def take_options(kwargs: dict) -> dict:
    """Pop the chart options out of `kwargs`; anything left is an unknown keyword (0.10
    failed on those too, later and less clearly)."""
    options = {name: kwargs.pop(name, default) for name, default in OPTIONS.items()}
    for ignored in ("filename", "server", "notebook"):  # 0.10 output flags: use output_*()
        kwargs.pop(ignored, None)
    if kwargs:
        raise TypeError(f"unexpected chart keyword(s): {', '.join(sorted(kwargs))}")
    return options


def glyph_renderer(glyph, columns: dict) -> GlyphRenderer:
    """A renderer with its own ColumnDataSource: 0.10 never shared a source between two
    renderers of a chart."""
    return GlyphRenderer(data_source=ColumnDataSource(data=columns), glyph=glyph)


def _axis(scale, rng, label):
    if scale == "categorical" or (scale in (None, "auto") and isinstance(rng, FactorRange)):
        axis = CategoricalAxis(major_label_orientation=math.pi / 4)
    elif scale == "datetime":
        axis = DatetimeAxis()
    else:
        axis = LinearAxis()
    if label:
        axis.axis_label = str(label)
    return axis


def _font_size(size):
    return {"value": size} if isinstance(size, str) else size


def _tools(tools):
    if tools is True:
        return _make_tools(DEFAULT_TOOLS)
    if not tools:
        return []
    return _make_tools(tools)


def build_chart(options: dict, renderers: list, legends: list, x_range, y_range,
                xscale="auto", yscale="auto", xlabel=None, ylabel=None, xgrid=True,
                ygrid=True) -> Chart:
    """The Chart: renderers first, then the legend (if asked for), the x and y axes and
    the grids - the order 0.10 emitted.  `legends` is [(label, [renderer, ...]), ...];
    the user's xlabel/ylabel win over the ones the chart derived."""
    attrs = dict(plot_width=options["width"], plot_height=options["height"],
                 responsive=options["responsive"], x_range=x_range, y_range=y_range,
                 title_text_font_size=_font_size(options["title_text_font_size"]),
                 title_text_font_style="bold")
    if options["title"] is not None:
        attrs["title"] = str(options["title"])
    if options["id"] is not None:
        attrs["id"] = options["id"]
    chart = Chart(**attrs)
    chart.renderers = list(renderers)
    legend = options["legend"]
    if legend:
        place = "top_left" if legend is True else legend
        if place not in LEGEND_PLACES:
            raise ValueError(f"legend must be True or one of {LEGEND_PLACES}, got {legend!r}")
        chart.add_layout(Legend(orientation=place, legends=[(str(label), list(rs))
                                                            for label, rs in legends]))
    xaxis = _axis(xscale, x_range, options["xlabel"] or xlabel)
    yaxis = _axis(yscale, y_range, options["ylabel"] or ylabel)
    chart.add_layout(xaxis, "below")
    chart.add_layout(yaxis, "left")
    if xgrid:
        chart.add_layout(Grid(dimension=0, ticker=xaxis.ticker))
    if ygrid:
        chart.add_layout(Grid(dimension=1, ticker=yaxis.ticker))
    chart.add_tools(*_tools(options["tools"]))
    return chart

"""`Line`: one Line glyph renderer (own source: x_values, y_values) per colour x dash
group."""

from __future__ import annotations

from ..models.glyphs import Line as LineGlyph
from ._chart import take_options
from ._data import ColorAttr, DashAttr, resolve_attr
from ._xy import measure_attrs, prepared, xy_chart


def Line(data=None, x=None, y=None, color=None, dash=None, palette=None, xscale=None,
         yscale=None, xgrid=True, ygrid=True, line_width=2, **kw):
    """x/y: column names, data, blend(); several y columns draw one line each.  With
    neither, every numeric column is drawn against the row number."""
    options = take_options(kw)  # xscale/yscale are accepted; the data decides, as in 0.10
    xy = prepared(data, x, y, "index")
    frame, measures = xy[0], xy[3]
    given = measure_attrs({"color": color, "dash": dash}, measures)
    attrs = {"color": resolve_attr(given["color"], ColorAttr, frame, palette),
             "dash": resolve_attr(given["dash"], DashAttr, frame)}
    return xy_chart(options, xy, attrs, lambda chosen: LineGlyph(
        x="x_values", y="y_values", line_color=chosen["color"], line_alpha=1.0,
        line_width=line_width, line_dash=chosen["dash"]), xgrid, ygrid)

"""`Scatter`: one marker glyph renderer (own source: x_values, y_values) per colour x
marker group."""

from __future__ import annotations

from .._glyph_api import GLYPHS, MARKER_ALIASES
from ._chart import take_options
from ._data import ColorAttr, MarkerAttr, resolve_attr
from ._xy import measure_attrs, prepared, xy_chart


def Scatter(data=None, x=None, y=None, color=None, marker=None, palette=None, xscale=None,
            yscale=None, xgrid=True, ygrid=True, size=8, **kw):
    """x/y: column names, data, blend(); with neither, the first two columns.  A missing
    dimension is all 1 ("unity")."""
    options = take_options(kw)
    xy = prepared(data, x, y, "unity")
    frame, measures = xy[0], xy[3]
    given = measure_attrs({"color": color, "marker": marker}, measures)
    attrs = {"color": resolve_attr(given["color"], ColorAttr, frame, palette),
             "marker": resolve_attr(given["marker"], MarkerAttr, frame)}

    def marker_glyph(chosen):
        name = MARKER_ALIASES.get(chosen["marker"], chosen["marker"])
        if name not in GLYPHS or GLYPHS[name][1] != ("x", "y") or name == "line":
            raise ValueError(f"unknown marker {chosen['marker']!r}")
        return GLYPHS[name][0](x="x_values", y="y_values", size=size, fill_alpha=0.7,
                               line_alpha=1.0, fill_color=chosen["color"],
                               line_color=chosen["color"])
    return xy_chart(options, xy, attrs, marker_glyph, xgrid, ygrid)

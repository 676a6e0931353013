"""`Scatter`: one marker glyph renderer (own source: x_values, y_values) per colour x
marker group."""

from __future__ import annotations

from .._glyph_api import GLYPHS, MARKER_ALIASES
from ._chart import build_chart, glyph_renderer, take_options
from ._data import ColorAttr, MarkerAttr, group_frame, resolve_attr
from ._xy import X_COL, Y_COL, measure_attrs, prepared


def Scatter(data=None, x=None, y=None, color=None, marker=None, palette=None, xscale=None,
            yscale=None, xgrid=True, ygrid=True, size=8, **kw):
    """x/y: column names, data, blend(); with neither, the first two columns.  A missing
    dimension is all 1 ("unity")."""
    options = take_options(kw)
    frame, (xcol, x_range, xs), (ycol, y_range, ys), measures = prepared(data, x, y, "unity")
    given = measure_attrs({"color": color, "marker": marker}, measures)
    attrs = {"color": resolve_attr(given["color"], ColorAttr, frame, palette),
             "marker": resolve_attr(given["marker"], MarkerAttr, frame)}
    renderers, legends = [], []
    for label, sub, chosen in group_frame(frame, attrs):
        name = MARKER_ALIASES.get(chosen["marker"], chosen["marker"])
        if name not in GLYPHS or GLYPHS[name][1] != ("x", "y") or name == "line":
            raise ValueError(f"unknown marker {chosen['marker']!r}")
        glyph = GLYPHS[name][0](x="x_values", y="y_values", size=size, fill_alpha=0.7,
                                line_alpha=1.0, fill_color=chosen["color"],
                                line_color=chosen["color"])
        renderer = glyph_renderer(glyph, {"x_values": sub[X_COL].to_numpy(),
                                          "y_values": sub[Y_COL].to_numpy()})
        renderers.append(renderer)
        legends.append((label, [renderer]))
    return build_chart(options, renderers, legends, x_range, y_range, xs, ys,
                       xlabel=xcol.strip("_"), ylabel=ycol.strip("_"), xgrid=xgrid,
                       ygrid=ygrid)

"""`Line`: one Line glyph renderer (own source: x_values, y_values) per colour x dash
group."""

from __future__ import annotations

from ..models.glyphs import Line as LineGlyph
from ._chart import build_chart, glyph_renderer, take_options
from ._data import ColorAttr, DashAttr, group_frame, resolve_attr
from ._xy import X_COL, Y_COL, measure_attrs, prepared


def Line(data=None, x=None, y=None, color=None, dash=None, palette=None, xscale=None,
         yscale=None, xgrid=True, ygrid=True, line_width=2, **kw):
    """x/y: column names, data, blend(); several y columns draw one line each.  With
    neither, every numeric column is drawn against the row number."""
    options = take_options(kw)  # xscale/yscale are accepted; the data decides, as in 0.10
    frame, (xcol, x_range, xs), (ycol, y_range, ys), measures = prepared(data, x, y, "index")
    given = measure_attrs({"color": color, "dash": dash}, measures)
    attrs = {"color": resolve_attr(given["color"], ColorAttr, frame, palette),
             "dash": resolve_attr(given["dash"], DashAttr, frame)}
    renderers, legends = [], []
    for label, sub, chosen in group_frame(frame, attrs):
        glyph = LineGlyph(x="x_values", y="y_values", line_color=chosen["color"],
                          line_alpha=1.0, line_width=line_width, line_dash=chosen["dash"])
        renderer = glyph_renderer(glyph, {"x_values": sub[X_COL].to_numpy(),
                                          "y_values": sub[Y_COL].to_numpy()})
        renderers.append(renderer)
        legends.append((label, [renderer]))
    return build_chart(options, renderers, legends, x_range, y_range, xs, ys,
                       xlabel=xcol.strip("_"), ylabel=ycol.strip("_"), xgrid=xgrid,
                       ygrid=ygrid)

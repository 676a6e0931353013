"""`Histogram`: each colour group binned on its own (numpy.histogram), every bin a Rect
renderer with its own one-row source, as 0.10 emitted."""

from __future__ import annotations

import math

import numpy as np

from ..models.glyphs import Rect
from ..models.ranges import Range1d
from ._categorical import select_values
from ._chart import build_chart, glyph_renderer, take_options
from ._data import ColorAttr, group_frame, resolve_attr, to_frame


def Histogram(data=None, values=None, label=None, color=None, agg="count", bins=None,
              density=False, yscale="linear", xgrid=False, ygrid=True, continuous_range=None,
              palette=None, **kw):
    """`bins`: a number of bins, or bin edges; None picks the number with the
    Freedman-Diaconis rule.  `density=True` draws densities instead of counts.  `agg` is
    accepted for 0.10 scripts; the heights are always counts (or densities)."""
    options = take_options(kw)
    frame, values_col = select_values(to_frame(data), values)
    frame = frame[frame[values_col].notna()]
    attr = resolve_attr(color, ColorAttr, frame, palette)
    fill_alpha = 0.6 if attr.columns else 0.8  # overlaid groups must show through

    renderers, legends, edges_seen, top = [], [], [], 0.0
    for group_label, sub, chosen in group_frame(frame, {"color": attr}):
        data_values = sub[values_col].to_numpy(dtype=float)
        heights, edges = np.histogram(data_values, bins=_bin_count(data_values, bins),
                                      density=density)
        centres = (edges[:-1] + edges[1:]) / 2
        widths = np.diff(edges)
        group_renderers = []
        for x, width, height in zip(centres.tolist(), widths.tolist(), heights.tolist()):
            glyph = Rect(x="x", y="y", width="width", height="height",
                         fill_color={"field": "color"}, fill_alpha={"field": "fill_alpha"})
            group_renderers.append(glyph_renderer(glyph, {
                "x": [x], "y": [height / 2], "width": [width], "height": [height],
                "color": [chosen["color"]], "fill_alpha": [fill_alpha]}))
        renderers += group_renderers
        legends.append((group_label, group_renderers))
        edges_seen += [float(edges[0]), float(edges[-1])]
        top = max(top, float(heights.max(initial=0)))

    if not renderers:
        raise ValueError("Histogram: no values to bin")
    low, high = min(edges_seen), max(edges_seen)
    pad = 0.1 * (high - low) or 1.0  # 0.10 padded by 10% of the midpoint: inverted if < 0
    x_range = continuous_range if isinstance(continuous_range, Range1d) else Range1d(
        start=low - pad, end=high + pad)
    return build_chart(options, renderers, legends, x_range,
                       Range1d(start=0.0, end=1.1 * top or 1.0), "linear", yscale,
                       xlabel=values_col,
                       ylabel=f"{'Density' if density else 'Count'}( {values_col.title()} )",
                       xgrid=xgrid, ygrid=ygrid)


def _bin_count(values: np.ndarray, bins):
    """The user's bins, or Freedman-Diaconis: width 2*IQR/n**(1/3) over the data's span."""
    if bins is not None:
        return bins
    span = float(values.max() - values.min()) if len(values) else 0.0
    q1, q3 = np.percentile(values, [25, 75]) if len(values) else (0.0, 0.0)
    width = 2 * (q3 - q1) * len(values) ** (-1 / 3) if len(values) else 0.0
    if span <= 0 or width <= 0:
        return 1
    return max(1, math.ceil(span / width))

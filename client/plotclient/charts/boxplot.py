"""`BoxPlot`: per label (x group) two Rects (q1..median, median..q3), the outliers as
markers and the whiskers as one Segment renderer - each with its own source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._glyph_api import GLYPHS, MARKER_ALIASES
from ..models.glyphs import Rect, Segment
from ..models.ranges import FactorRange, Range1d
from ._categorical import (attr_values, axis_label, dodge, label_columns, label_strings,
                           legend_entries, positions, select_values)
from ._chart import build_chart, glyph_renderer, take_options
from ._data import ColorAttr, check_columns, resolve_attr, to_frame


def BoxPlot(data=None, label=None, values=None, color=None, group=None, marker=None,
            outliers=True, whisker_color="black", outlier_fill_color="red",
            xscale="categorical", yscale="linear", xgrid=False, ygrid=True,
            continuous_range=None, palette=None, bar_width=0.8, fill_alpha=0.8,
            whisker_width=0.3, agg=None, **kw):
    options = take_options(kw)  # agg is accepted (0.10 inherited it from Bar) and unused
    frame, values_col = select_values(to_frame(data), values)
    frame = frame[frame[values_col].notna()]
    group_cols = check_columns(frame, group, "group")
    frame, label_cols = label_columns(frame, label, values_col)
    if color is None and group_cols:
        color = group_cols
    attrs = {"box": resolve_attr(color, ColorAttr, frame, palette, default="DimGrey"),
             "whisker": resolve_attr(whisker_color, ColorAttr, frame, palette),
             "outlier": resolve_attr(outlier_fill_color, ColorAttr, frame, palette)}
    glyph_cls = _marker_class(marker)
    keys = []
    for col in label_cols + group_cols + [c for a in attrs.values() for c in a.columns]:
        if col not in keys:
            keys.append(col)

    # quartiles of every box at once (pandas' linear interpolation = numpy.percentile's)
    grouped = frame.groupby(keys, sort=True)[values_col]
    quart = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    table = pd.DataFrame({"q1": quart[0.25], "q2": quart[0.5], "q3": quart[0.75]})
    iqr = table["q3"] - table["q1"]
    table["lo"], table["hi"] = table["q1"] - 1.5 * iqr, table["q3"] + 1.5 * iqr
    rows = frame[keys + [values_col]].join(table[["lo", "hi"]], on=keys)
    value = rows[values_col]
    inside = rows[(value >= rows["lo"]) & (value <= rows["hi"])]
    # whiskers end at the furthest data inside the fences (0.10 drew the fences themselves)
    table["w0"] = inside.groupby(keys, sort=True)[values_col].min()
    table["w1"] = inside.groupby(keys, sort=True)[values_col].max()
    out_rows = rows[(value < rows["lo"]) | (value > rows["hi"])]
    outlying = {k if isinstance(k, tuple) else (k,): sub[values_col].to_numpy(dtype=float)
                for k, sub in out_rows.groupby(keys, sort=True)} if outliers else {}
    table = table.reset_index()

    labels = label_strings(table, label_cols)
    offsets, width = dodge(table, group_cols, bar_width)
    centre = np.full(len(table), 0.5) if offsets is None else offsets
    half_cap = whisker_width / 2 * width / bar_width
    colours = {name: attr_values(table, attr, frame) for name, attr in attrs.items()}

    renderers, boxes, extremes = [], [], []
    for i, key in enumerate(table[keys].itertuples(index=False)):
        q1, q2, q3, w0, w1 = (float(table[c].iat[i]) for c in ("q1", "q2", "q3", "w0", "w1"))
        x = positions([labels[i]], None if offsets is None else [offsets[i]])[0]
        box = []
        for bottom, top in ((q1, q2), (q2, q3)):
            box.append(glyph_renderer(
                Rect(x="x", y="y", width="width", height="height",
                     fill_color={"field": "color"}, fill_alpha={"field": "fill_alpha"}),
                {"x": [x], "y": [(bottom + top) / 2], "width": [width],
                 "height": [top - bottom], "color": [colours["box"][i]],
                 "fill_alpha": [fill_alpha]}))
        points = outlying.get(tuple(key), np.empty(0))
        mid = f"{labels[i]}:{centre[i]:g}"
        if len(points):
            c = colours["outlier"][i]
            box.append(glyph_renderer(
                glyph_cls(x="x_values", y="y_values", size=5, fill_color=c, line_color=c,
                          fill_alpha=0.7, line_alpha=1.0),
                {"x_values": [mid] * len(points), "y_values": points}))
        left = f"{labels[i]}:{centre[i] - half_cap:g}"
        right = f"{labels[i]}:{centre[i] + half_cap:g}"
        box.append(glyph_renderer(
            Segment(x0="x0s", y0="y0s", x1="x1s", y1="y1s", line_width=2,
                    line_color=colours["whisker"][i]),
            {"x0s": [mid, right, mid, right], "y0s": [w0, w0, q3, w1],
             "x1s": [mid, left, mid, left], "y1s": [q1, w0, w1, w1]}))
        renderers += box
        boxes.append(box)
        extremes += [w0, w1, q1, q3]
        if len(points):
            extremes += [float(points.min()), float(points.max())]

    if isinstance(continuous_range, Range1d):
        y_range = continuous_range
    else:
        y_range = _padded(extremes)
    return build_chart(options, renderers, legend_entries(table, group_cols or label_cols, boxes),
                       FactorRange(factors=list(dict.fromkeys(labels))), y_range, xscale,
                       yscale, xlabel=axis_label(label_cols, values_col),
                       ylabel=values_col.title(), xgrid=xgrid, ygrid=ygrid)


def _marker_class(marker):
    name = MARKER_ALIASES.get(marker, marker) if marker else "circle"
    if name not in GLYPHS or name in ("line", "rect") or GLYPHS[name][1] != ("x", "y"):
        raise ValueError(f"unknown marker {marker!r}")
    return GLYPHS[name][0]


def _padded(values) -> Range1d:
    """10% of the span beyond the lowest and highest drawn value (0.10's min - 0.1*max,
    1.1*max cut off boxes of negative data)."""
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = 0.1 * (high - low) or 1.0
    return Range1d(start=low - pad, end=high + pad)

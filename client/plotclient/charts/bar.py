"""`Bar`: one bar (a Rect with its own source) per label x stack x group x colour value,
its height the aggregate of the values column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..models.glyphs import Rect
from ..models.ranges import FactorRange, Range1d
from ._categorical import (attr_values, axis_label, dodge, label_columns, label_strings,
                           legend_entries, positions, select_values)
from ._chart import build_chart, glyph_renderer, take_options
from ._data import AGGREGATIONS, ColorAttr, check_columns, resolve_attr, to_frame
from ._operations import Stack


def Bar(data=None, label=None, values=None, color=None, stack=None, group=None, agg="sum",
        xscale="categorical", yscale="linear", xgrid=False, ygrid=True, continuous_range=None,
        palette=None, bar_width=0.8, fill_alpha=0.8, **kw):
    options = take_options(kw)
    if agg not in AGGREGATIONS:
        raise ValueError(f"agg must be one of {AGGREGATIONS}, got {agg!r}")
    frame, values_col = select_values(to_frame(data), values)
    if isinstance(stack, Stack):
        stack = stack.columns
    stack_cols = check_columns(frame, stack, "stack")
    group_cols = check_columns(frame, group, "group")
    if color is None and (group_cols or stack_cols):
        color = group_cols or stack_cols  # colour follows the groups, as in 0.10
    color_attr = resolve_attr(color, ColorAttr, frame, palette)
    if (label is None and not pd.api.types.is_numeric_dtype(frame[values_col]) and not stack_cols
            and not group_cols and not color_attr.columns):
        # strings: count each distinct one (0.10's Bar(['a', 'c', 'a']))
        agg, label = "count", values_col
    frame, label_cols = label_columns(frame, label, values_col)

    # one row per bar: label columns first so the bars come out in factor order, then the
    # group and stack columns, so each label's stack is contiguous and sorted
    keys = []
    for col in label_cols + group_cols + stack_cols + color_attr.columns:
        if col not in keys:
            keys.append(col)
    heights = frame.groupby(keys, sort=True)[values_col].agg(agg).astype(float)
    table = heights.rename("__height").reset_index()
    height = table["__height"].to_numpy()

    bottom = np.zeros(len(table))
    if stack_cols:
        # positives pile up from 0, negatives down from 0, within a label (and group)
        within = [table[c] for c in label_cols + group_cols]
        for part in (np.clip(height, 0, None), np.clip(height, None, 0)):
            below = pd.Series(part).groupby(within, sort=False).cumsum().to_numpy() - part
            bottom = np.where(part != 0, below, bottom)
    top = bottom + height

    labels = label_strings(table, label_cols)
    offsets, width = dodge(table, group_cols, bar_width)
    xs = positions(labels, offsets)
    colors = attr_values(table, color_attr, frame)

    renderers = []
    for i in range(len(table)):
        glyph = Rect(x="x", y="y", width="width", height="height",
                     fill_color={"field": "color"}, fill_alpha={"field": "fill_alpha"})
        renderer = glyph_renderer(glyph, {
            "x": [xs[i]], "y": [float(bottom[i] + height[i] / 2)], "width": [width],
            "height": [float(abs(height[i]))], "color": [colors[i]], "fill_alpha": [fill_alpha]})
        renderers.append(renderer)
    legends = legend_entries(table, stack_cols or group_cols or label_cols, renderers)

    factors = list(dict.fromkeys(labels))
    if isinstance(continuous_range, Range1d):
        y_range = continuous_range
    else:
        low = min(0.0, float(bottom.min(initial=0.0)), float(top.min(initial=0.0)))
        high = max(0.0, float(top.max(initial=0.0)), float(bottom.max(initial=0.0)))
        y_range = Range1d(start=1.1 * low, end=1.1 * high if (high or low) else 1.0)
    return build_chart(options, renderers, legends,
                       FactorRange(factors=factors), y_range, xscale, yscale,
                       xlabel=axis_label(label_cols, values_col),
                       ylabel=f"{agg.title()}( {values_col.title()} )", xgrid=xgrid, ygrid=ygrid)


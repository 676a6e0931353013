"""What Line and Scatter share: choosing the x and y columns (names, blends, data given
directly, several columns melted into one), and their ranges and axis types."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..models.ranges import FactorRange, Range1d
from ._chart import build_chart, glyph_renderer
from ._data import Blend, add_array, as_list, check_columns, group_frame, to_frame

X_COL, Y_COL = "__chart_x", "__chart_y"   # the plotted values, converted once


def _dimension(frame: pd.DataFrame, name: str, spec):
    """(frame, column name or None, measure columns or None) for one of x=/y=."""
    if spec is None:
        return frame, None, None
    if isinstance(spec, Blend):
        return spec.apply(frame), spec.name, None
    if isinstance(spec, str):
        return frame, check_columns(frame, spec, name)[0], None
    items = as_list(spec)
    if items and all(isinstance(i, str) for i in items):
        cols = check_columns(frame, items, name)
        return (frame, cols[0], None) if len(cols) == 1 else (frame, None, cols)
    frame, cols = add_array(frame, name, spec)
    return (frame, cols[0], None) if len(cols) == 1 else (frame, None, cols)


def xy_frame(data, x, y, missing: str):
    """The frame with the x and y columns chosen.  `missing` names what stands in for an
    absent dimension: "index" (Line: 0..n-1) or "unity" (Scatter: all 1).  Several y (or x)
    columns are melted into "variable"/"value"; the third item returned is their names."""
    frame = to_frame(data)
    frame, xcol, xs = _dimension(frame, "x", x)
    frame, ycol, ys = _dimension(frame, "y", y)
    if xs and ys:
        raise ValueError("give several columns for x or for y, not both")
    if xcol is None and ycol is None and not (xs or ys):
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        if missing == "index":
            # a Line of a table draws every numeric column against the row number
            ys = numeric if len(numeric) > 1 else None
            ycol = numeric[0] if len(numeric) == 1 else None
            if not numeric:
                raise ValueError("Line: no numeric column to draw")
        else:
            if not len(frame.columns):
                raise ValueError("Scatter: no data")
            xcol = frame.columns[0]
            ycol = frame.columns[1] if len(frame.columns) > 1 else None
    measures = xs or ys
    if (xcol is None and not xs) or (ycol is None and not ys):
        stand_in = missing if missing not in frame.columns else f"__{missing}"
        frame = frame.assign(**{stand_in: np.arange(len(frame)) if missing == "index"
                                else np.ones(len(frame))})
        if xcol is None and not xs:
            xcol = stand_in
        else:
            ycol = stand_in
    if measures:
        keep = [c for c in frame.columns if c not in measures]
        frame = frame.melt(id_vars=keep, value_vars=measures, var_name="variable",
                           value_name="value")
        if xs:
            xcol = "value"
        else:
            ycol = "value"
    return frame, xcol, ycol, measures


def converted(series: pd.Series):
    """(plottable values, range, axis scale) for one dimension, from the whole column:
    numbers -> Range1d padded by 10% of the span; datetimes -> epoch ms, unpadded range,
    a DatetimeAxis; anything else -> strings on a FactorRange of the sorted values."""
    if pd.api.types.is_datetime64_any_dtype(series):
        ms = ((series - pd.Timestamp(0, tz=getattr(series.dt, "tz", None)))
              / pd.Timedelta(milliseconds=1)).to_numpy(dtype=float)
        return ms, Range1d(start=float(np.nanmin(ms)), end=float(np.nanmax(ms))), "datetime"
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float)
        low, high = float(np.nanmin(values)), float(np.nanmax(values))
        # a constant column (e.g. "unity") gets a band around it; 0.10 made it a factor
        pad = 0.1 * (high - low) or 0.1 * abs(low) or 1.0
        return values, Range1d(start=low - pad, end=high + pad), "linear"
    text = series.astype(str)
    return text.to_numpy(dtype=object), FactorRange(factors=sorted(text.unique())), "categorical"


def prepared(data, x, y, missing: str):
    """xy_frame plus the converted X_COL/Y_COL columns and their ranges and scales."""
    frame, xcol, ycol, measures = xy_frame(data, x, y, missing)
    if not len(frame):
        raise ValueError("no rows to draw")
    xv, x_range, xscale = converted(frame[xcol])
    yv, y_range, yscale = converted(frame[ycol])
    frame = frame.assign(**{X_COL: xv, Y_COL: yv})
    return frame, (xcol, x_range, xscale), (ycol, y_range, yscale), measures


def measure_attrs(given: dict, measures) -> dict:
    """With melted columns, the attribute given the same list of columns (or else colour)
    is keyed to "variable"."""
    if not measures:
        return given
    given = dict(given)
    keyed = [n for n, v in given.items() if isinstance(v, (list, tuple))
             and list(v) == list(measures)]
    for name in keyed or (["color"] if given.get("color") is None else []):
        given[name] = "variable"
    return given


def xy_chart(options: dict, prepared_xy, attrs: dict, make_glyph, xgrid: bool, ygrid: bool):
    """The Chart of Line and Scatter: per group of `attrs` (see `group_frame`), one renderer of
    `make_glyph(chosen)` with its own source of x_values/y_values, and a legend entry."""
    frame, (xcol, x_range, xs), (ycol, y_range, ys), _ = prepared_xy
    renderers, legends = [], []
    for label, sub, chosen in group_frame(frame, attrs):
        renderer = glyph_renderer(make_glyph(chosen), {"x_values": sub[X_COL].to_numpy(),
                                                       "y_values": sub[Y_COL].to_numpy()})
        renderers.append(renderer)
        legends.append((label, [renderer]))
    return build_chart(options, renderers, legends, x_range, y_range, xs, ys,
                       xlabel=xcol.strip("_"), ylabel=ycol.strip("_"), xgrid=xgrid,
                       ygrid=ygrid)

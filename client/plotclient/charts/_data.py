"""Input normalisation and attribute specs for the charts.

Every chart turns its input into one pandas DataFrame here, once; everything after that
works on whole columns (groupby, melt, numpy), never row by row in Python.
"""

from __future__ import annotations

import itertools
import string

import numpy as np
import pandas as pd

DEFAULT_PALETTE = ["#f22c40", "#5ab738", "#407ee7", "#df5320", "#00ad9c", "#c33ff3"]

# the order in which markers and dashes are handed out to groups (as 0.10 did)
MARKER_TYPES = ("circle", "square", "triangle", "diamond", "inverted_triangle", "asterisk",
                "cross", "x", "circle_cross", "circle_x", "square_x", "square_cross",
                "diamond_cross")
DASH_TYPES = ("solid", "dashed", "dotted", "dotdash", "dashdot")

AGGREGATIONS = ("sum", "mean", "count", "nunique", "median", "min", "max")


def as_list(value) -> list:
    """None -> [], "a" -> ["a"], ("a", "b") -> ["a", "b"]."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def plain(value):
    """A numpy scalar as the Python value (so str() of tuples reads '(3, 1)')."""
    return value.item() if isinstance(value, np.generic) else value


def key_label(key) -> str:
    """A group key as a legend/factor label: the value, or the tuple for several columns."""
    if isinstance(key, tuple):
        key = tuple(plain(k) for k in key)
        return str(key[0]) if len(key) == 1 else str(key)
    return str(plain(key))


def _letters():
    """a, b, ..., z, aa, ab, ...: the names 0.10 gave unnamed columns."""
    for size in itertools.count(1):
        for combo in itertools.product(string.ascii_lowercase, repeat=size):
            yield "".join(combo)


def _is_array(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray, pd.Series, pd.Index))


def _nested(value) -> bool:
    """A list of lists/arrays, or a 2-D array: several columns."""
    if isinstance(value, np.ndarray):
        return value.ndim == 2
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(_is_array(item) for item in value))


def _columns_of(value) -> dict:
    """Array-like input as named columns: a Series keeps its name; the rows of a 2-D array
    and the items of a list of lists become columns a, b, c, ..."""
    if isinstance(value, pd.Series) and value.name is not None:
        return {str(value.name): value.to_numpy()}
    items = list(value) if _nested(value) else [value]
    return {name: np.asarray(item) for name, item in zip(_letters(), items)}


def to_frame(data) -> pd.DataFrame:
    """Any accepted input as a DataFrame with string column names."""
    if data is None:
        frame = pd.DataFrame()
    elif isinstance(data, pd.DataFrame):
        frame = data
    elif isinstance(data, dict):
        frame = pd.DataFrame({str(k): (np.asarray(v) if isinstance(v, (list, tuple)) else v)
                              for k, v in data.items()})
    elif isinstance(data, (list, tuple)) and data and all(isinstance(r, dict) for r in data):
        frame = pd.DataFrame.from_records(list(data))
    elif _is_array(data):
        frame = pd.DataFrame(_columns_of(data))
    else:
        raise TypeError(f"charts accept a DataFrame, a dict of columns, a list of dicts, "
                        f"lists or arrays, not {type(data).__name__}")
    if not all(isinstance(c, str) for c in frame.columns):
        frame = frame.rename(columns=str)
    return frame


def add_array(frame: pd.DataFrame, name: str, values) -> tuple[pd.DataFrame, list[str]]:
    """A dimension given as data (x=[...]): its column(s) added to `frame`, named after the
    dimension (several columns: name_a, name_b, ...).  Returns the frame and the names."""
    columns = _columns_of(values)
    if len(columns) == 1:
        columns = {name: next(iter(columns.values()))}
    elif not isinstance(values, pd.Series):
        columns = {f"{name}_{k}": v for k, v in columns.items()}
    frame = frame.copy() if len(frame.columns) else pd.DataFrame(index=range(
        len(next(iter(columns.values())))))
    for key, column in columns.items():
        if len(column) != len(frame):
            raise ValueError(f"{name}: {len(column)} values for {len(frame)} rows")
        frame[key] = column
    return frame, list(columns)


def check_columns(frame: pd.DataFrame, names, what: str) -> list[str]:
    names = as_list(names)
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise ValueError(f"{what}: no column {missing[0]!r} (columns: {list(frame.columns)})")
    return names


# -- blend: several columns as one (pd.melt) ------------------------------------------------

class Blend:
    """The columns `cols` stacked into one value column `name`, with the source column's
    name in `labels_name + '_' + '_'.join(cols)`; use it as x=, y= or values=."""

    def __init__(self, *cols, name: str = "value", labels_name: str = "variable"):
        if not cols:
            raise ValueError("blend() needs at least one column")
        self.cols = [str(c) for c in cols]
        self.name = name
        self.labels_name = f"{labels_name}_{'_'.join(self.cols)}"

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        check_columns(frame, self.cols, "blend")
        keep = [c for c in frame.columns if c not in self.cols]
        return frame.melt(id_vars=keep, value_vars=self.cols, var_name=self.labels_name,
                          value_name=self.name)


def blend(*cols, name: str = "value", labels_name: str = "variable") -> Blend:
    return Blend(*cols, name=name, labels_name=labels_name)


# -- attributes: colour, marker, dash, keyed to column values --------------------------------

class AttrSpec:
    """Values (`items`) handed out in turn to the sorted unique values of `columns`; with no
    columns every group gets `default`."""

    defaults: tuple = ()

    def __init__(self, columns=None, items=None, default=None):
        self.columns = as_list(columns)
        self.items = list(items) if items else list(self.defaults)
        if not self.items:
            raise ValueError(f"{type(self).__name__} needs at least one value")
        self.default = default if default is not None else self.items[0]

    def mapping(self, frame: pd.DataFrame) -> dict:
        """Sorted unique column-value tuple -> item (cycled)."""
        if not self.columns:
            return {}
        keys = frame[self.columns].drop_duplicates().sort_values(self.columns)
        tuples = [tuple(plain(v) for v in row) for row in keys.itertuples(index=False)]
        return {key: self.items[i % len(self.items)] for i, key in enumerate(tuples)}


class ColorAttr(AttrSpec):
    defaults = tuple(DEFAULT_PALETTE)


class MarkerAttr(AttrSpec):
    defaults = MARKER_TYPES


class DashAttr(AttrSpec):
    defaults = DASH_TYPES


def color(columns=None, palette=None, **kw) -> ColorAttr:
    """Colours from `palette` (default DEFAULT_PALETTE) keyed to `columns`."""
    return ColorAttr(columns=columns, items=palette, **kw)


def marker(columns=None, markers=None, **kw) -> MarkerAttr:
    """Marker names (default MARKER_TYPES order) keyed to `columns`."""
    return MarkerAttr(columns=columns, items=markers, **kw)


def dash(columns=None, dashes=None, **kw) -> DashAttr:
    return DashAttr(columns=columns, items=dashes, **kw)


def resolve_attr(value, cls, frame: pd.DataFrame, palette=None, default=None) -> AttrSpec:
    """An attribute keyword as an AttrSpec: None -> ungrouped default; a spec as is; a
    column name or list of column names -> keyed to them; any other string -> a constant;
    a list that is not of column names -> the values to hand out, with no columns (so,
    as in 0.10, every group gets the first)."""
    items = palette if cls is ColorAttr else None
    if isinstance(value, AttrSpec):
        check_columns(frame, value.columns, cls.__name__)
        return value
    if value is None:
        return cls(items=items, default=default)
    names = as_list(value)
    if names and all(isinstance(n, str) and n in frame.columns for n in names):
        return cls(columns=names, items=items)
    if isinstance(value, str):
        return cls(items=[value])
    return cls(items=names)


def group_frame(frame: pd.DataFrame, attrs: dict):
    """Split `frame` by every attribute's columns (in sorted key order).  Yields
    (label, subframe, {attribute name: value}); ungrouped data is one group 'all'."""
    columns = []
    for spec in attrs.values():
        columns += [c for c in spec.columns if c not in columns]
    maps = {name: spec.mapping(frame) for name, spec in attrs.items()}
    if not columns:
        yield "all", frame, {name: spec.default for name, spec in attrs.items()}
        return
    for key, sub in frame.groupby(columns, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        by_column = dict(zip(columns, (plain(k) for k in key)))
        values = {}
        for name, spec in attrs.items():
            if spec.columns:
                values[name] = maps[name][tuple(by_column[c] for c in spec.columns)]
            else:
                values[name] = spec.default
        yield key_label(key), sub, values

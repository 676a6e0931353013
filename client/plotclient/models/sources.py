"""Data sources (MODELS.md 4.4; pandas conversion 2.3; column API PLOTTING.md 3.3)."""

from __future__ import annotations

from ..model import Model
from ..properties import (Any, Bool, ColumnDataDict, Dict, Either, Enum, Instance, Int, List, String,
                          column_values)


def _default_selection():
    return {"0d": {"flag": False, "indices": []}, "1d": {"indices": []}, "2d": {"indices": []}}


class DataSource(Model, abstract=True):
    column_names = List(String, help="names of the columns, in insertion order")
    selected = Dict(String, Dict(String, Any), default=_default_selection)
    callback = Instance("Callback", help="run in the browser when `selected` changes")

    def columns(self, *names):
        """A ColumnsRef-like dict naming this source and some of its columns."""
        return {"source": self, "columns": list(names)}


def _is_dataframe(obj) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns") and hasattr(obj, "index")


def _is_series(obj) -> bool:
    return type(obj).__name__ == "Series" and hasattr(obj, "index")


def frame_to_columns(df) -> dict:
    """A pandas DataFrame as column lists: the frame's columns, then the index as a
    column named after it (names joined with '_' for a MultiIndex, 'index' if unnamed)."""
    data = {str(c) if not isinstance(c, str) else c: df[c].tolist() for c in df.columns}
    index = df.index
    names = [n for n in getattr(index, "names", [index.name]) if n is not None]
    if len(names) > 1:
        index_name = "_".join(str(n) for n in names)
    elif names:
        index_name = str(names[0])
    else:
        index_name = "index"
    data[index_name] = index.tolist()
    return data


class ColumnDataSource(DataSource):
    """Columns of equal length.  ``ColumnDataSource(dict(x=..., y=...))``,
    ``ColumnDataSource(data=...)`` or ``ColumnDataSource(df)`` (pandas)."""

    data = ColumnDataDict(help="column name -> values")

    def __init__(self, *args, **kwargs):
        if len(args) > 1:
            raise TypeError("ColumnDataSource takes at most one positional argument (the data)")
        raw = args[0] if args else kwargs.pop("data", None)
        super().__init__(**kwargs)
        if raw is None:
            return
        if _is_dataframe(raw):
            raw = frame_to_columns(raw)
        elif not isinstance(raw, dict):
            raise ValueError(f"expected a dict or a pandas DataFrame, got {raw!r}")
        data = dict(raw)
        self.data = data
        if "column_names" not in kwargs:
            self.column_names = list(data)

    def add(self, data, name: str | None = None) -> str:
        """Add a column (a list, array, pandas Series, or any iterable, which is stored
        as a list); returns its name (unnamed columns are "Series <n>")."""
        if name is None:
            name = getattr(data, "name", None) if _is_series(data) else None
            if name is None:
                n = len(self.data)
                while f"Series {n}" in self.data:
                    n += 1
                name = f"Series {n}"
        self.column_names.append(name)
        self.data[name] = column_values(data)
        self._dirty = True
        return name

    def remove(self, name: str) -> None:
        """Remove a column (a warning-free no-op for unknown names, like 0.10)."""
        try:
            self.column_names.remove(name)
        except ValueError:
            pass
        self.data.pop(name, None)
        self._dirty = True

    def to_df(self):
        """The columns as a pandas DataFrame (pandas must be installed)."""
        import pandas as pd
        if not self.column_names:
            return pd.DataFrame()
        return pd.DataFrame({name: self.data[name] for name in self.column_names if name in self.data})


class RemoteSource(DataSource, abstract=True):
    data_url = String(help="URL polled for JSON column data")
    polling_interval = Int(help="ms between polls; null = fetch once")
    data = ColumnDataDict(help="columns merged with the fetched ones")


class AjaxDataSource(RemoteSource):
    if_modified = Bool(False)
    max_size = Int()
    method = Enum("POST", "GET")
    mode = Enum("replace", "append")


class BlazeDataSource(RemoteSource):
    expr = Dict(String, Any, help="blaze expression tree")
    local = Bool()
    namespace = Dict(String, Any)


class ServerDataSource(BlazeDataSource):
    transform = Dict(String, Either(Instance(Model), Any), help="server-side downsampling parameters")

"""What Bar and BoxPlot share: picking the values column, the label column(s) of the x
factors, and the positions of dodged (group=) items inside a factor's band."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._data import Blend, add_array, check_columns, key_label

NO_LABEL = "__chart_label"


def select_values(frame: pd.DataFrame, values) -> tuple[pd.DataFrame, str]:
    """The column the chart measures: a column name, a blend(), data given directly, or -
    as 0.10 did - the first column when not given."""
    if values is None:
        if not len(frame.columns):
            raise ValueError("no data: give a values column or data")
        return frame, str(frame.columns[0])
    if isinstance(values, Blend):
        return values.apply(frame), values.name
    if isinstance(values, str):
        return frame, check_columns(frame, values, "values")[0]
    frame, names = add_array(frame, "values", values)
    return frame, names[0]


def label_columns(frame: pd.DataFrame, label, values_col: str) -> tuple[pd.DataFrame, list]:
    """The label columns; with none, every row gets one factor named after the values
    column (0.10 put such bars at a factor missing from the range, so nothing showed)."""
    if isinstance(label, Blend):
        raise ValueError("label takes column names; use blend() as values=")
    cols = check_columns(frame, label, "label")
    if cols:
        return frame, cols
    return frame.assign(**{NO_LABEL: values_col}), [NO_LABEL]


def label_strings(table: pd.DataFrame, cols: list) -> list:
    """One factor string per row: the value, or the tuple string for several columns."""
    return [key_label(tuple(row)) for row in table[cols].itertuples(index=False)]


def axis_label(cols: list, values_col: str) -> str:
    if cols == [NO_LABEL]:
        return values_col
    return ", ".join(c.title() for c in cols)


def dodge(table: pd.DataFrame, group_cols: list, width: float) -> tuple[np.ndarray, float]:
    """Offsets (None when not dodging) of each row inside its factor band and the item
    width.  Groups are placed in sorted order (0.10 used dict order, i.e. at random)."""
    if not group_cols:
        return None, width
    keys = label_strings(table, group_cols)
    ordered = table[group_cols].drop_duplicates().sort_values(group_cols)
    order = {k: i for i, k in enumerate(label_strings(ordered, group_cols))}
    n = len(order)
    offsets = np.array([(order[k] + 1) / (n + 1) for k in keys])
    return offsets, min(0.2, (1 / n) ** 1.1)


def positions(labels: list, offsets) -> list:
    """x values: 'label' at the band centre, or 'label:offset' (BokehJS's factor:offset,
    where :0.5 is the centre)."""
    if offsets is None:
        return list(labels)
    return [f"{lab}:{off:g}" for lab, off in zip(labels, offsets)]


def attr_values(table: pd.DataFrame, attr, frame: pd.DataFrame) -> list:
    """The attribute's value for each row of `table` (one row per drawn item)."""
    if not attr.columns:
        return [attr.default] * len(table)
    mapping = attr.mapping(frame)
    return [mapping[tuple(row)] for row in table[attr.columns].itertuples(index=False)]


def legend_entries(table: pd.DataFrame, cols: list, items: list) -> list:
    """[(label, [item, ...]), ...]: the items (one per table row) under the label of their
    `cols` values, labels in sorted value order."""
    keys = label_strings(table, cols)
    ordered = label_strings(table[cols].drop_duplicates().sort_values(cols), cols)
    entries = {key: [] for key in ordered}
    for key, item in zip(keys, items):
        entries[key].extend(item if isinstance(item, list) else [item])
    return list(entries.items())

"""`stack()`: stacking given as columns (for Bar's stack=) or applied to rect renderers
that already exist; `blend()` lives in _data (it is an input transformation)."""

from __future__ import annotations

from ._data import as_list


class Stack:
    """Stack bars by the values of `columns` (Bar(..., stack=stack(columns='origin')))."""

    def __init__(self, columns):
        self.columns = as_list(columns)


def stack(renderers=None, columns=None):
    """stack(columns=...) -> a Stack for Bar's stack=; stack(renderers) shifts the Rect
    renderers so that those sharing an x sit on top of each other (in the order given)
    and returns them."""
    if renderers is not None:
        return _stack_renderers(list(renderers))
    if columns is not None:
        return Stack(columns)
    raise ValueError("stack() needs renderers or columns")


def _stack_renderers(renderers: list) -> list:
    # each rect's source holds x, y (centre) and height columns; pile the rects per x
    tops: dict = {}
    for renderer in renderers:
        data = renderer.data_source.data
        ys, heights = list(data["y"]), list(data["height"])
        for i, x in enumerate(data["x"]):
            base = tops.get(x, 0.0)
            ys[i] = base + heights[i] / 2
            tops[x] = base + heights[i]
        data["y"] = ys
        renderer.data_source.data = data
    return renderers

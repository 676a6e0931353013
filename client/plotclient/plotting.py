"""The plotting API of bokeh 0.10 (PLOTTING.md): scripts written for ``bokeh.plotting``
run with ``from plotclient.plotting import ...`` instead."""

from __future__ import annotations

from ._glyph_api import markers
from .document import Document
from .figure import DEFAULT_TOOLS, Figure
from .io import (curdoc, cursession, output_file, output_notebook, output_server, push,
                 reset_output, save, show)
from .layouts import gridplot, hplot, vform, vplot
from .models import (Axis, ColumnDataSource, Grid, GridPlot, Legend, LogAxis, Plot)
from .session import Session

__all__ = [
    "figure", "Figure", "markers", "DEFAULT_TOOLS", "output_server", "output_file",
    "output_notebook", "show", "save", "push", "reset_output", "curdoc", "cursession",
    "gridplot", "hplot", "vplot", "vform", "Document", "Session", "ColumnDataSource", "Plot",
    "GridPlot", "Axis", "LogAxis", "Grid", "Legend",
]


def figure(**kwargs) -> Figure:
    """A new Figure (PLOTTING.md 2), made the current plot of `curdoc()` and, because
    the document's autoadd is on, added to its PlotContext."""
    fig = Figure(**kwargs)
    doc = curdoc()
    doc._current_plot = fig
    if doc.autoadd:
        doc.add(fig)
    return fig

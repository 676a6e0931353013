"""gridplot / hplot / vplot / vform (PLOTTING.md 6).

gridplot, hplot and vplot put their container in the current document in place of the
children (the container comes last), make it the current plot, and push at once when
there is a server session and the document's autostore is on (or save when the file
target has autosave).  vform only builds the VBoxForm."""

from __future__ import annotations

from .models.plots import GridPlot
from .models.widgets.layouts import HBox, VBox, VBoxForm


def gridplot(plot_arrangement, **kwargs) -> GridPlot:
    """A GridPlot of rows of plots (None leaves a cell empty)."""
    rows = [list(row) for row in plot_arrangement]
    grid = GridPlot(children=rows, **kwargs)
    _place(grid, [p for row in rows for p in row if p is not None])
    return grid


def hplot(*children, **kwargs) -> HBox:
    """The children side by side."""
    box = HBox(children=list(children), **kwargs)
    _place(box, children)
    return box


def vplot(*children, **kwargs) -> VBox:
    """The children one above the other."""
    box = VBox(children=list(children), **kwargs)
    _place(box, children)
    return box


def vform(*children, **kwargs) -> VBoxForm:
    """A form-styled column; not added to the document (use curdoc().add)."""
    return VBoxForm(children=list(children), **kwargs)


def _place(container, children) -> None:
    from . import io
    doc = io.curdoc()
    kept = [c for c in doc.context.children if not any(c is child for child in children)]
    doc.context.children = kept + [container]
    doc._register(container.references())
    doc._current_plot = container
    if io.cursession() is not None and doc.autostore:
        io.push()
    else:
        target = io._state.file
        if target and target.get("autosave"):
            io.save(container)

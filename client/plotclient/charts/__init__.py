"""High-level charts of bokeh 0.10 (``bokeh.charts``): ``Bar``, ``BoxPlot``, ``Histogram``,
``Line`` and ``Scatter`` built from a pandas DataFrame, a dict of columns, a list of dicts,
lists or numpy arrays.  Each returns a `Chart` - a Plot that goes on the wire as
``{"type": "Plot", "subtype": "Chart"}`` - holding ordinary glyph renderers, one
ColumnDataSource each, so ``show()``/``output_server()`` publish it like any figure and any
viewer draws it.  Defaults are 0.10's: 600x400, tools
"pan,wheel_zoom,box_zoom,save,resize,reset,help", DEFAULT_PALETTE, sorted labels,
FactorRange/Range1d ranges, CategoricalAxis/LinearAxis/DatetimeAxis.

Keywords common to all charts: title, legend (True = "top_left", or a corner), width,
height, tools (True, False, "pan,reset" or a list), xlabel, ylabel, responsive,
title_text_font_size, palette; attribute keywords (color=, marker=, dash=, stack=, group=)
take a column name, a list of column names, a constant, or `color(...)`/`marker(...)`.

Deliberate differences from 0.10, where 0.10 was broken or surprising:

* Inputs: 2-D numpy arrays (each row one series, like a list of lists), two keyword
  arrays (``Scatter(x=[..], y=[..])``) and ``Scatter(series)`` work; dict columns keep
  their order (0.10 sorted them, a Python 2 artefact).  Unknown keywords raise TypeError.
* ``palette=`` is honoured (0.10 accepted and ignored it); ``continuous_range=`` (a
  Range1d) is used as the value range (0.10 ignored it); ``stack=stack(columns=...)`` works
  for Bar (0.10 silently ignored it); ``marker`` is exported.
* Bar: negative values hang down from 0, stack separately from positive ones and are
  inside the y range (0.10's range started at 0 and rects got negative heights).  Dodged
  groups (group=) get their places in sorted order (0.10: dict order).  With no label,
  the bars sit on one factor named after the values column (0.10: a factor missing from
  the range, so nothing showed).  Legend entries for stack/group values reference every
  bar of that value.
* BoxPlot: group= works (0.10 crashed): boxes are dodged and coloured by group, with a
  legend entry per group value.
  Whiskers end at the furthest data point inside the 1.5*IQR fences (Tukey; 0.10 drew
  them at the fences, beyond any data).  The y range pads the drawn extremes by 10% of
  their span (0.10's min - 0.1*max .. 1.1*max cut off negative data).  No label: one box
  named after the values column.
* Histogram: bins come from numpy.histogram (equal widths over [min, max], exact
  centres; 0.10 parsed centres back from rounded pandas labels).  ``bins`` may also be
  edges.  ``density=True`` draws densities (0.10 declared it and ignored it; its default
  True is False here since 0.10 drew counts).  ``agg`` is accepted and ignored, and the
  axis says Count (0.10 drew counts but labelled them with agg).  The x range pads by
  10% of the span (0.10 used 10% of the midpoint, which inverts for negative data).
  ``label`` is accepted and unused, as in 0.10.
* Line with no x/y draws every numeric column against the row number (0.10 drew the
  first column against the second and dropped the rest).
* Line/Scatter: a constant column gets a numeric range around its value (0.10 made it
  the factor 'None').  ``xscale``/``yscale`` are accepted; the data decides the axis,
  as in 0.10.
* No title leaves plotclient's Plot default title (0.10 sent null).
* Not provided: the ``defaults`` global options object and the chained option setters.
"""

try:
    import pandas  # noqa: F401  (every chart builds on a DataFrame, as 0.10's did)
except ImportError as exc:  # pragma: no cover - pandas is installed where tests run
    raise ImportError("plotclient.charts needs pandas: pip install 'plotserver[charts]'") from exc

from ..io import (curdoc, cursession, output_file, output_notebook, output_server, push,
                  reset_output, save, show)
from ..layouts import gridplot, hplot, vplot
from ..models import ColumnDataSource
from ..models.plots import Chart
from ._data import DEFAULT_PALETTE, blend, color, marker
from ._operations import stack
from .bar import Bar
from .boxplot import BoxPlot
from .histogram import Histogram
from .line import Line
from .scatter import Scatter

__all__ = [
    "Bar", "BoxPlot", "Histogram", "Line", "Scatter", "Chart", "color", "marker", "stack",
    "blend", "DEFAULT_PALETTE", "ColumnDataSource", "curdoc", "cursession", "output_file",
    "output_notebook", "output_server", "push", "reset_output", "save", "show", "gridplot",
    "hplot", "vplot",
]

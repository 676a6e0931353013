"""`Figure`: a Plot made by `figure()`, with axes, grids and tools built from keywords
(PLOTTING.md 2) and the glyph methods (PLOTTING.md 3).  It serializes as
``{"type": "Plot", "subtype": "Figure"}``."""

from __future__ import annotations

import datetime as _dt
import difflib
import warnings

from . import _glyph_api
from .models.axes import CategoricalAxis, DatetimeAxis, Grid, LinearAxis, LogAxis
from .models.plots import Plot
from .models.ranges import DataRange1d, FactorRange, Range, Range1d
from .models.tools import (BoxSelectTool, BoxZoomTool, CrosshairTool, HelpTool, HoverTool,
                           LassoSelectTool, PanTool, PolySelectTool, PreviewSaveTool, ResetTool,
                           ResizeTool, TapTool, Tool, WheelZoomTool)

DEFAULT_TOOLS = "pan,wheel_zoom,box_zoom,save,resize,reset,help"

_HOVER_TOOLTIPS = [("index", "$index"), ("data (x, y)", "($x, $y)"), ("canvas (x, y)", "($sx, $sy)")]

# tool name -> factory; the properties given here are "set", hence sent
_TOOLS = {
    "pan": lambda: PanTool(dimensions=["width", "height"]),
    "xpan": lambda: PanTool(dimensions=["width"]),
    "ypan": lambda: PanTool(dimensions=["height"]),
    "wheel_zoom": lambda: WheelZoomTool(dimensions=["width", "height"]),
    "xwheel_zoom": lambda: WheelZoomTool(dimensions=["width"]),
    "ywheel_zoom": lambda: WheelZoomTool(dimensions=["height"]),
    "box_zoom": BoxZoomTool,
    "save": PreviewSaveTool,
    "previewsave": PreviewSaveTool,
    "resize": ResizeTool,
    "reset": ResetTool,
    "help": HelpTool,
    "tap": lambda: TapTool(always_active=True),
    "click": lambda: TapTool(always_active=True),
    "crosshair": CrosshairTool,
    "box_select": BoxSelectTool,
    "lasso_select": LassoSelectTool,
    "poly_select": PolySelectTool,
    "hover": lambda: HoverTool(always_active=True, tooltips=list(_HOVER_TOOLTIPS)),
}


class Figure(Plot, view_model="Plot", subtype="Figure"):
    """A Plot with axes, grids and tools made from `figure()` keywords."""

    def __init__(self, **kwargs):
        if "width" in kwargs:
            if "plot_width" in kwargs:
                raise ValueError("give width or plot_width, not both")
            kwargs["plot_width"] = kwargs.pop("width")
        if "height" in kwargs:
            if "plot_height" in kwargs:
                raise ValueError("give height or plot_height, not both")
            kwargs["plot_height"] = kwargs.pop("height")
        tools = kwargs.pop("tools", DEFAULT_TOOLS)
        x_range = kwargs.pop("x_range", None)
        y_range = kwargs.pop("y_range", None)
        axis_kw = {}
        for dim, location in (("x", "below"), ("y", "left")):
            axis_kw[dim] = dict(
                axis_type=kwargs.pop(f"{dim}_axis_type", "auto"),
                location=kwargs.pop(f"{dim}_axis_location", location),
                minor_ticks=kwargs.pop(f"{dim}_minor_ticks", "auto"),
                label=kwargs.pop(f"{dim}_axis_label", ""))
        super().__init__(**kwargs)

        self.x_range = _make_range(x_range)
        self.y_range = _make_range(y_range)
        _add_axis_and_grid(self, 0, self.x_range, **axis_kw["x"])
        _add_axis_and_grid(self, 1, self.y_range, **axis_kw["y"])
        self.add_tools(*_make_tools(tools))

    scatter = _glyph_api.scatter


for _method in _glyph_api.GLYPHS:
    setattr(Figure, _method, _glyph_api.glyph_method(_method))


def _make_range(value):
    """PLOTTING.md 2.2: None -> DataRange1d, a Range as is, strings -> FactorRange,
    a pair -> Range1d."""
    if value is None:
        return DataRange1d()
    if isinstance(value, Range):
        return value
    if isinstance(value, (list, tuple)) or hasattr(value, "__array__"):
        items = list(value)
        if all(isinstance(item, str) for item in items):
            return FactorRange(factors=items)
        if len(items) == 2:
            return Range1d(start=items[0], end=items[1])
    raise ValueError(f"Unrecognized range input: {value!r}")


def _is_datetime(value) -> bool:
    return isinstance(value, (_dt.datetime, _dt.date)) or type(value).__name__ in ("datetime64", "Timestamp")


def _axis_class(axis_type, rng):
    if axis_type is None:
        return None
    if axis_type == "linear":
        return LinearAxis
    if axis_type == "log":
        return LogAxis
    if axis_type == "datetime":
        return DatetimeAxis
    if axis_type == "auto":
        if isinstance(rng, FactorRange):
            return CategoricalAxis
        if isinstance(rng, Range1d) and _is_datetime(rng.start):
            return DatetimeAxis
        return LinearAxis
    raise ValueError(f"Unrecognized axis_type: {axis_type!r} (use 'auto', 'linear', 'log', "
                     "'datetime' or None)")


def _num_minor_ticks(axis_cls, minor_ticks) -> int:
    if minor_ticks == "auto":
        return 10 if axis_cls is LogAxis else 5
    if minor_ticks is None:
        return 0
    if isinstance(minor_ticks, int) and not isinstance(minor_ticks, bool) and minor_ticks > 1:
        return minor_ticks
    raise ValueError("minor_ticks must be 'auto', None or an integer greater than 1, "
                     f"got {minor_ticks!r}")


def _add_axis_and_grid(plot, dim: int, rng, axis_type, location, minor_ticks, label) -> None:
    sides = ("below", "above") if dim == 0 else ("left", "right")
    if location not in sides:
        raise ValueError(f"{'x' if dim == 0 else 'y'}_axis_location must be one of {sides}, "
                         f"got {location!r}")
    axis_cls = _axis_class(axis_type, rng)
    if axis_cls is None:
        return
    if axis_cls is LogAxis:
        setattr(plot, "x_mapper_type" if dim == 0 else "y_mapper_type", "log")
    axis = axis_cls()
    axis.ticker.num_minor_ticks = _num_minor_ticks(axis_cls, minor_ticks)
    if label:
        axis.axis_label = label
    plot.add_layout(axis, location)
    plot.add_layout(Grid(dimension=dim, ticker=axis.ticker))


def _make_tools(tools) -> list:
    """PLOTTING.md 2.3: tool instances first (in their order), then the named tools."""
    if isinstance(tools, str):
        names = [name.strip() for name in tools.split(",")]
        objects = []
    else:
        names = [t.strip() for t in tools if isinstance(t, str)]
        objects = [t for t in tools if not isinstance(t, str)]
        for obj in objects:
            if not isinstance(obj, Tool):
                raise ValueError(f"tools must be names or Tool instances, got {obj!r}")
    made = []
    for name in names:
        if not name:
            continue
        factory = _TOOLS.get(name)
        if factory is None:
            similar = difflib.get_close_matches(name, _TOOLS, n=3)
            raise ValueError(f"unexpected tool name {name!r}, similar tools are "
                             f"{', '.join(similar) or ', '.join(sorted(_TOOLS))}")
        made.append(factory())
    result = objects + made
    kinds = [type(t) for t in result]
    repeated = {k.__name__ for k in kinds if kinds.count(k) > 1}
    if repeated:
        warnings.warn(f"{', '.join(sorted(repeated))} appear(s) more than once in tools")
    return result

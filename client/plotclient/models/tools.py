"""Tools and ToolEvents (MODELS.md 4.14)."""

from ..model import Model
from ..properties import Any, Bool, Dict, Either, Enum, Instance, List, String, Tuple
from ._enums import DIMENSIONS


def _dimensions():
    return List(Enum(*DIMENSIONS), default=lambda: ["width", "height"],
                help='which axes the tool acts on: "width" (x) and/or "height" (y)')


class ToolEvents(Model):
    geometries = List(Dict(String, Any), help="selection geometries reported by select tools")


class Tool(Model, abstract=True):
    plot = Instance("Plot", help="the Plot this tool belongs to")


class PanTool(Tool):
    dimensions = _dimensions()


class WheelZoomTool(Tool):
    dimensions = _dimensions()


class BoxZoomTool(Tool):
    dimensions = _dimensions()


class CrosshairTool(Tool):
    dimensions = _dimensions()


class ResizeTool(Tool):
    pass


class ResetTool(Tool):
    pass


class PreviewSaveTool(Tool):
    pass


class HelpTool(Tool):
    help_tooltip = String()
    redirect = String()


class _RendererTool(Tool, abstract=True):
    names = List(String, help="only renderers with these names take part (empty = all)")
    renderers = List(Instance("Renderer"), help="explicit renderers to act on (empty = all)")


class HoverTool(_RendererTool):
    always_active = Bool(True)
    callback = Instance("Callback")
    line_policy = Enum("prev", "next", "nearest", "interp", "none")
    mode = Enum("mouse", "hline", "vline")
    point_policy = Enum("snap_to_data", "follow_mouse", "none")
    tooltips = Either(String, List(Tuple(String, String)), help="[label, template] rows or HTML")


class TapTool(_RendererTool):
    always_active = Bool(True)
    callback = Instance("Callback")


class BoxSelectTool(_RendererTool):
    callback = Instance("Callback")
    dimensions = _dimensions()
    select_every_mousemove = Bool(True)


class LassoSelectTool(_RendererTool):
    select_every_mousemove = Bool(True)


class PolySelectTool(_RendererTool):
    pass

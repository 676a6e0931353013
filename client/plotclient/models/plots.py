"""Plot, GridPlot, the map plots and the PlotContext root (MODELS.md 4.1, 4.2), with the
Plot methods scripts use (PLOTTING.md 2.5)."""

from __future__ import annotations

from ..model import Model
from ..properties import Any, Bool, Color, Dict, Enum, Instance, Int, List, String, new
from ._enums import LOCATIONS
from .widgets.base import Widget


class SplatList(list):
    """A list whose attribute assignments go to every element:
    ``p.grid.grid_line_color = None``.  Reading an attribute of a one-element list reads
    it from that element."""

    def __setattr__(self, name, value):
        for item in self:
            setattr(item, name, value)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if len(self) == 1:
            return getattr(self[0], name)
        if not self:
            raise AttributeError(f"empty list has no attribute {name!r}")
        return SplatList(getattr(item, name) for item in self)


class PlotContext(Model):
    """The root of a document: its children are shown in order on a document page."""

    children = List(Instance(Model), help="top-level objects of the document")


class PlotList(PlotContext):
    pass


_SIDES = ("left", "right", "above", "below")


class Plot(Widget):
    _visuals = (("outline_", "line"), ("title_", "text"))
    title = String("")
    plot_width = Int(600)
    plot_height = Int(600)
    x_range = Instance("Range")
    y_range = Instance("Range")
    extra_x_ranges = Dict(String, Instance("Range1d"))
    extra_y_ranges = Dict(String, Instance("Range"))
    x_mapper_type = String("auto")
    y_mapper_type = String("auto")
    renderers = List(Instance("Renderer"))
    tools = List(Instance("Tool"))
    tool_events = Instance("ToolEvents", default=new("ToolEvents"))
    left = List(Instance("Renderer"))
    right = List(Instance("Renderer"))
    above = List(Instance("Renderer"))
    below = List(Instance("Renderer"))
    toolbar_location = Enum(*LOCATIONS)
    logo = Enum("normal", "grey")
    background_fill = Color("white", help="colour inside the frame")
    border_fill = Color("white", help="colour outside the frame")
    h_symmetry = Bool(True)
    v_symmetry = Bool(False)
    min_border = Int(50)
    min_border_top = Int(50)
    min_border_bottom = Int(50)
    min_border_left = Int(50)
    min_border_right = Int(50)
    lod_factor = Int(10)
    lod_threshold = Int(2000)
    lod_interval = Int(300)
    lod_timeout = Int(500)
    webgl = Bool(False)
    responsive = Bool(False)

    # -- building -------------------------------------------------------------------------
    def add_layout(self, obj, place: str = "center"):
        """Add a renderer (axis, grid, legend, annotation) to the plot, and to a side
        panel unless `place` is "center"."""
        if place not in _SIDES + ("center",):
            raise ValueError(f"invalid place {place!r}: use one of {_SIDES + ('center',)}")
        self._claim(obj)
        self.renderers = self.renderers + [obj]
        if place != "center":
            setattr(self, place, getattr(self, place) + [obj])

    def add_glyph(self, source_or_glyph, glyph=None, **kwargs):
        """add_glyph(source, glyph, **renderer_kw) or add_glyph(glyph): a new
        GlyphRenderer, appended to `renderers` and returned."""
        from .renderers import GlyphRenderer
        from .sources import ColumnDataSource
        if glyph is None:
            source, glyph = ColumnDataSource(), source_or_glyph
        else:
            source = source_or_glyph
        renderer = GlyphRenderer(data_source=source, glyph=glyph, **kwargs)
        self.renderers = self.renderers + [renderer]
        return renderer

    def add_tools(self, *tools):
        from .tools import Tool
        for tool in tools:
            if not isinstance(tool, Tool):
                raise ValueError("add_tools() only accepts Tool instances")
            self._claim(tool)
        self.tools = self.tools + list(tools)

    def _claim(self, obj):
        """Point obj.plot at this plot; an object belongs to one plot only."""
        if "plot" not in obj._properties:
            return
        owner = obj.plot
        if owner is not None and owner is not self:
            raise ValueError(f"{obj!r} already belongs to {owner!r}")
        obj.plot = self

    # -- finding things ---------------------------------------------------------------------
    def select(self, *args, **kwargs) -> SplatList:
        """Objects of this plot matching a selector dict, a name, a class or keywords
        (PLOTTING.md 5), as a splattable list."""
        from ..query import find, normalize
        if len(args) > 1:
            raise TypeError("select() takes one selector")
        selector = normalize(args[0] if args else None, **kwargs)
        return SplatList(find(self.references(), selector, {"plot": self}))

    def select_one(self, *args, **kwargs):
        from ..query import normalize, select_one
        selector = normalize(args[0] if args else None, **kwargs)
        return select_one(self.references(), selector, {"plot": self})

    def set_select(self, selector, updates: dict) -> None:
        for obj in self.select(selector):
            for key, val in updates.items():
                setattr(obj, key, val)

    def _axes(self, sides) -> SplatList:
        from .axes import Axis
        found = []
        for side in sides:
            found += [r for r in getattr(self, side) if isinstance(r, Axis)]
        return SplatList(found)

    @property
    def xaxis(self):
        return self._axes(("above", "below"))

    @property
    def yaxis(self):
        return self._axes(("left", "right"))

    @property
    def axis(self):
        return SplatList(self.xaxis + self.yaxis)

    def _grids(self, dimension):
        from .axes import Grid
        return SplatList(r for r in self.renderers
                         if isinstance(r, Grid) and (dimension is None or r.dimension == dimension))

    @property
    def xgrid(self):
        return self._grids(0)

    @property
    def ygrid(self):
        return self._grids(1)

    @property
    def grid(self):
        return self._grids(None)

    @property
    def legend(self):
        from .annotations import Legend
        return SplatList(r for r in self.renderers if isinstance(r, Legend))


class GridPlot(Plot):
    """A table of plots (gridplot()); its own ranges and axes are unused."""

    children = List(List(Instance(Plot)), help="rows of plots; None leaves a cell empty")
    border_space = Int(0)


class MapPlot(Plot, abstract=True):
    map_options = Any(help="inline options object (not a reference)")


class GMapPlot(MapPlot):
    pass


class GeoJSPlot(MapPlot):
    pass


class Chart(Plot, view_model="Plot", subtype="Chart"):
    """bokeh.charts' Plot subclass; registered so that such envelopes load."""

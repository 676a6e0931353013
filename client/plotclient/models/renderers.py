"""Renderers (MODELS.md 4.3) and their abstract bases."""

from ..model import Model
from ..properties import Enum, Instance
from ._enums import LEVELS, range_name


class Renderer(Model, abstract=True):
    def layout(self, side: str, context: dict) -> bool:
        """Selector helper: ``p.select({"layout": "left"})`` finds what is in p.left
        (the query calls it with the side and the context ``{"plot": p}``)."""
        plot = context.get("plot") if isinstance(context, dict) else None
        return plot is not None and any(self is r for r in getattr(plot, side, ()))


class GlyphRenderer(Renderer):
    data_source = Instance("DataSource", help="the DataSource supplying the columns")
    glyph = Instance("Glyph", help="the Glyph drawn for all (or the selected) points")
    nonselection_glyph = Instance("Glyph")
    selection_glyph = Instance("Glyph")
    level = Enum(*LEVELS, default="glyph")
    units = Enum("screen", "data", help="unused legacy property")
    x_range_name = range_name()
    y_range_name = range_name()


class GuideRenderer(Renderer, abstract=True):
    plot = Instance("Plot", help="back-reference to the owning Plot")

"""Annotations and overlays (MODELS.md 4.12)."""

from ..properties import Either, Enum, Instance, Int, List, NumberSpec, String, Tuple
from ._enums import LEVELS, distance_units, range_name
from .renderers import Renderer


class Annotation(Renderer, abstract=True):
    plot = Instance("Plot", help="back-reference to the owning Plot")


class Legend(Annotation):
    _visuals = (("border_", "line"), ("background_", "fill"), ("label_", "text"))
    orientation = Enum("top_right", "top_left", "bottom_left", "bottom_right")
    legends = List(Tuple(String, List(Instance("GlyphRenderer"))),
                   help="[label, [GlyphRenderer, ...]] rows, in order")
    label_standoff = Int(15)
    label_height = Int(20)
    label_width = Int(50)
    glyph_height = Int(20)
    glyph_width = Int(20)
    legend_padding = Int(10)
    legend_spacing = Int(3)


def _edge():
    return Either(Enum("auto"), NumberSpec, default="auto")


class BoxAnnotation(Annotation):
    _visuals = (("", "line"), ("", "fill"))
    left = _edge()
    left_units = distance_units()
    right = _edge()
    right_units = distance_units()
    bottom = _edge()
    bottom_units = distance_units()
    top = _edge()
    top_units = distance_units()
    level = Enum(*LEVELS, default="annotation")
    x_range_name = range_name()
    y_range_name = range_name()


class BoxSelectionOverlay(Annotation, view_model="BoxSelection"):
    """The rubber band of a select tool (BokehJS makes its own)."""

    tool = Instance("Tool")

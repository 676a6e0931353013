"""Glyphs (MODELS.md 4.6).  Coordinates default to the column of the same name
(``field:x``); each distance/angle spec has a companion ``<name>_units``."""

from ..model import Model
from ..properties import (AngleSpec, Bool, DistanceSpec, Enum, Float, Instance, NumberSpec,
                          StringSpec, new)
from ._enums import ANCHORS, angle_units, distance_units

LINE = (("", "line"),)
FILL_LINE = (("", "fill"), ("", "line"))


def _direction():
    return Enum("clock", "anticlock", help="sweep from start to end")


class Glyph(Model, abstract=True):
    visible = Bool(help="false hides the glyph")


class _XY(Glyph, abstract=True):
    x = NumberSpec("x", help="x coordinate(s)")
    y = NumberSpec("y", help="y coordinate(s)")


class Line(_XY):
    _visuals = LINE


class MultiLine(Glyph):
    _visuals = LINE
    xs = NumberSpec("xs", help="per-item list of x coordinates")
    ys = NumberSpec("ys", help="per-item list of y coordinates")


class Patch(_XY):
    _visuals = FILL_LINE


class Patches(Glyph):
    _visuals = FILL_LINE
    xs = NumberSpec("xs")
    ys = NumberSpec("ys")


class Quad(Glyph):
    _visuals = FILL_LINE
    left = NumberSpec("left")
    right = NumberSpec("right")
    top = NumberSpec("top")
    bottom = NumberSpec("bottom")


class Rect(_XY):
    _visuals = FILL_LINE
    width = DistanceSpec("width")
    width_units = distance_units()
    height = DistanceSpec("height")
    height_units = distance_units()
    angle = AngleSpec("angle")
    angle_units = angle_units()
    dilate = Bool(False)


class Segment(Glyph):
    _visuals = LINE
    x0 = NumberSpec("x0")
    y0 = NumberSpec("y0")
    x1 = NumberSpec("x1")
    y1 = NumberSpec("y1")


class Ray(_XY):
    _visuals = LINE
    length = DistanceSpec("length")
    length_units = distance_units()
    angle = AngleSpec("angle")
    angle_units = angle_units()


class Oval(_XY):
    _visuals = FILL_LINE
    width = DistanceSpec("width")
    width_units = distance_units()
    height = DistanceSpec("height")
    height_units = distance_units()
    angle = AngleSpec("angle")
    angle_units = angle_units()


class Wedge(_XY):
    _visuals = FILL_LINE
    radius = DistanceSpec("radius")
    radius_units = distance_units()
    start_angle = AngleSpec("start_angle")
    start_angle_units = angle_units()
    end_angle = AngleSpec("end_angle")
    end_angle_units = angle_units()
    direction = _direction()


class AnnularWedge(_XY):
    _visuals = FILL_LINE
    inner_radius = DistanceSpec("inner_radius")
    inner_radius_units = distance_units()
    outer_radius = DistanceSpec("outer_radius")
    outer_radius_units = distance_units()
    start_angle = AngleSpec("start_angle")
    start_angle_units = angle_units()
    end_angle = AngleSpec("end_angle")
    end_angle_units = angle_units()
    direction = _direction()


class Annulus(_XY):
    _visuals = FILL_LINE
    inner_radius = DistanceSpec("inner_radius")
    inner_radius_units = distance_units()
    outer_radius = DistanceSpec("outer_radius")
    outer_radius_units = distance_units()


class Arc(_XY):
    _visuals = LINE
    radius = DistanceSpec("radius")
    radius_units = distance_units()
    start_angle = AngleSpec("start_angle")
    start_angle_units = angle_units()
    end_angle = AngleSpec("end_angle")
    end_angle_units = angle_units()
    direction = _direction()


class Bezier(Glyph):
    _visuals = LINE
    x0 = NumberSpec("x0")
    y0 = NumberSpec("y0")
    x1 = NumberSpec("x1")
    y1 = NumberSpec("y1")
    cx0 = NumberSpec("cx0")
    cy0 = NumberSpec("cy0")
    cx1 = NumberSpec("cx1")
    cy1 = NumberSpec("cy1")


class Quadratic(Glyph):
    _visuals = LINE
    x0 = NumberSpec("x0")
    y0 = NumberSpec("y0")
    x1 = NumberSpec("x1")
    y1 = NumberSpec("y1")
    cx = NumberSpec("cx")
    cy = NumberSpec("cy")


class Text(_XY):
    _visuals = (("", "text"),)
    text = StringSpec("text", help="string(s) to draw; a string is a column name")
    angle = AngleSpec(0)
    angle_units = angle_units()
    x_offset = NumberSpec(0)
    y_offset = NumberSpec(0)


class _Image(_XY, abstract=True):
    image = NumberSpec("image")
    dw = DistanceSpec("dw")
    dw_units = distance_units()
    dh = DistanceSpec("dh")
    dh_units = distance_units()
    dilate = Bool(False)


class Image(_Image):
    color_mapper = Instance("LinearColorMapper", default=new("LinearColorMapper"))

    def __init__(self, **kwargs):
        # image(palette=..., reserve_val=..., reserve_color=...) configure a fresh mapper
        mapper_kw = {k: kwargs.pop(k) for k in ("palette", "reserve_val", "reserve_color")
                     if k in kwargs}
        if mapper_kw:
            if "color_mapper" in kwargs:
                raise ValueError("give either color_mapper or palette/reserve_val/reserve_color")
            from .mappers import LinearColorMapper
            kwargs["color_mapper"] = LinearColorMapper(**mapper_kw)
        super().__init__(**kwargs)


class ImageRGBA(_Image):
    rows = NumberSpec("rows")
    cols = NumberSpec("cols")


class ImageURL(_XY):
    url = NumberSpec("url", help="image URL(s)")
    w = DistanceSpec("w")
    w_units = distance_units()
    h = DistanceSpec("h")
    h_units = distance_units()
    angle = AngleSpec(0)
    angle_units = angle_units()
    global_alpha = Float(1.0)
    dilate = Bool(False)
    anchor = Enum(*ANCHORS)


class Gear(_XY):
    _visuals = FILL_LINE
    angle = AngleSpec(0)
    angle_units = angle_units()
    module = NumberSpec("module")
    pressure_angle = NumberSpec(20)
    shaft_size = NumberSpec(0.3)
    teeth = NumberSpec("teeth")
    internal = NumberSpec(False)

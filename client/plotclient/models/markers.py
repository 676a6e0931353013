"""Markers (MODELS.md 4.7): screen-sized shapes; `angle` is in radians, no units."""

from ..properties import DistanceSpec, Enum, NumberSpec, ScreenDistanceSpec
from ._enums import distance_units
from .glyphs import FILL_LINE, _XY


class Marker(_XY, abstract=True):
    _visuals = FILL_LINE
    size = ScreenDistanceSpec(4, help="marker size in screen px")
    angle = NumberSpec("angle", help="rotation in radians")


class Asterisk(Marker): pass            # noqa: E701
class CircleCross(Marker): pass         # noqa: E701
class CircleX(Marker): pass             # noqa: E701
class Cross(Marker): pass               # noqa: E701
class Diamond(Marker): pass             # noqa: E701
class DiamondCross(Marker): pass        # noqa: E701
class InvertedTriangle(Marker): pass    # noqa: E701
class Square(Marker): pass              # noqa: E701
class SquareCross(Marker): pass         # noqa: E701
class SquareX(Marker): pass             # noqa: E701
class Triangle(Marker): pass            # noqa: E701
class X(Marker): pass                   # noqa: E701


class Circle(Marker):
    radius = DistanceSpec("radius", help="if present, circles are sized by radius")
    radius_units = distance_units()
    radius_dimension = Enum("x", "y")

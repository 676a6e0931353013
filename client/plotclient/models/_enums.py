"""Enumerations shared by several model families (MODELS.md section 4)."""

from ..properties import Enum

LEVELS = ("image", "underlay", "glyph", "annotation", "overlay", "tool")
LOCATIONS = ("above", "below", "left", "right")
DIMENSIONS = ("width", "height", "x", "y")
BUTTON_TYPES = ("default", "primary", "success", "warning", "danger", "link")
ROUNDING = ("round", "nearest", "floor", "rounddown", "ceil", "roundup")
NUMERAL_LANGUAGES = (
    "be-nl", "chs", "cs", "da-dk", "de-ch", "de", "en", "en-gb", "es-ES", "es", "et", "fi",
    "fr-CA", "fr-ch", "fr", "hu", "it", "ja", "nl-nl", "pl", "pt-br", "pt-pt", "ru", "ru-UA",
    "sk", "th", "tr", "uk-UA")
DATETIME_SCALES = ("microseconds", "milliseconds", "seconds", "minsec", "minutes", "hourmin",
                   "hours", "days", "months", "years")
ANCHORS = ("top_left", "top_center", "top_right", "right_center", "bottom_right",
           "bottom_center", "bottom_left", "left_center", "center")


def distance_units():
    """`<prop>_units` of a distance spec."""
    return Enum("screen", "data", default="data")


def angle_units():
    """`<prop>_units` of an angle spec."""
    return Enum("deg", "rad", default="rad")


def range_name():
    from ..properties import String
    return String("default")

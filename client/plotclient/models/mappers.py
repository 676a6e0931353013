"""Colour mappers (MODELS.md 4.13)."""

from ..model import Model
from ..properties import Color, Float, Seq


class ColorMapper(Model, abstract=True):
    pass


class LinearColorMapper(ColorMapper):
    palette = Seq(Color, default=None, help="list of colours (a palette name is expanded)")
    low = Float()
    high = Float()
    reserve_color = Color("#ffffff")
    reserve_val = Float()

    def __init__(self, palette=None, **kwargs):
        if isinstance(palette, str):
            from ..palettes import get_palette
            palette = get_palette(palette)
        if palette is not None:
            kwargs["palette"] = palette
        super().__init__(**kwargs)

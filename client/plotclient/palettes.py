"""Named palettes for ``image(palette="Spectral11")`` and LinearColorMapper.

Only the ColorBrewer "Spectral" family (3 to 11 colours, in bokeh 0.10's order: from
the blue end to the red end) is built in; any other palette can be passed as a list of
colours."""

from __future__ import annotations

_SPECTRAL = {
    3: "#99d594 #ffffbf #fc8d59",
    4: "#2b83ba #abdda4 #fdae61 #d7191c",
    5: "#2b83ba #abdda4 #ffffbf #fdae61 #d7191c",
    6: "#3288bd #99d594 #e6f598 #fee08b #fc8d59 #d53e4f",
    7: "#3288bd #99d594 #e6f598 #ffffbf #fee08b #fc8d59 #d53e4f",
    8: "#3288bd #66c2a5 #abdda4 #e6f598 #fee08b #fdae61 #f46d43 #d53e4f",
    9: "#3288bd #66c2a5 #abdda4 #e6f598 #ffffbf #fee08b #fdae61 #f46d43 #d53e4f",
    10: "#5e4fa2 #3288bd #66c2a5 #abdda4 #e6f598 #fee08b #fdae61 #f46d43 #d53e4f #9e0142",
    11: "#5e4fa2 #3288bd #66c2a5 #abdda4 #e6f598 #ffffbf #fee08b #fdae61 #f46d43 #d53e4f #9e0142",
}

PALETTES: dict[str, list[str]] = {f"Spectral{n}": colors.split() for n, colors in _SPECTRAL.items()}
globals().update(PALETTES)  # Spectral11 etc. as module attributes, as in bokeh.palettes


def get_palette(name: str) -> list[str]:
    """The colours of a named palette (a new list)."""
    try:
        return list(PALETTES[name])
    except KeyError:
        raise ValueError(f"unknown palette {name!r}; known: {', '.join(sorted(PALETTES))}, "
                         "or pass a list of colours") from None

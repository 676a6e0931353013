"""plotclient.palettes holds bokeh 0.10's ColorBrewer palettes, in 0.10's (reversed) order."""

from __future__ import annotations

import re

import pytest

import plotclient.palettes as palettes
from plotclient.palettes import PALETTES, Blues9, RdYlGn11, Spectral11, brewer, get_palette

SEQUENTIAL = ("YlGn YlGnBu GnBu BuGn PuBuGn PuBu BuPu RdPu PuRd OrRd YlOrRd YlOrBr "
              "Purples Blues Greens Oranges Reds Greys").split()
DIVERGING = "PuOr BrBG PRGn PiYG RdBu RdGy RdYlBu Spectral RdYlGn".split()
SIZES = [(s, n) for s in SEQUENTIAL for n in range(3, 10)] + \
        [(s, n) for s in DIVERGING for n in range(3, 12)]

# As colorbrewer2.org publishes them (light to dark; diverging from its first end);
# bokeh 0.10, and so plotclient, lists each one reversed.
PUBLISHED = {
    "Blues9": "#f7fbff #deebf7 #c6dbef #9ecae1 #6baed6 #4292c6 #2171b5 #08519c #08306b",
    "Greys9": "#ffffff #f0f0f0 #d9d9d9 #bdbdbd #969696 #737373 #525252 #252525 #000000",
    "YlGn3": "#f7fcb9 #addd8e #31a354",
    "OrRd5": "#fef0d9 #fdcc8a #fc8d59 #e34a33 #b30000",
    "PuOr4": "#e66101 #fdb863 #b2abd2 #5e3c99",
    "RdYlGn11": "#a50026 #d73027 #f46d43 #fdae61 #fee08b #ffffbf "
                "#d9ef8b #a6d96a #66bd63 #1a9850 #006837",
    "Spectral11": "#9e0142 #d53e4f #f46d43 #fdae61 #fee08b #ffffbf "
                  "#e6f598 #abdda4 #66c2a5 #3288bd #5e4fa2",
}


def test_schemes():
    assert list(brewer) == SEQUENTIAL + DIVERGING
    for s in SEQUENTIAL:
        assert sorted(brewer[s]) == list(range(3, 10))
    for s in DIVERGING:
        assert sorted(brewer[s]) == list(range(3, 12))
    assert len(PALETTES) == len(SIZES) == 18 * 7 + 9 * 9


@pytest.mark.parametrize("scheme,n", SIZES)
def test_every_palette(scheme, n):
    name = f"{scheme}{n}"
    colors = getattr(palettes, name)
    assert colors is brewer[scheme][n] is PALETTES[name]
    assert len(colors) == n == len(set(colors))
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_values_reversed(name):
    assert getattr(palettes, name) == PUBLISHED[name].split()[::-1]


def test_order_dark_first():
    assert Blues9[0] == "#08306b" and Blues9[-1] == "#f7fbff"
    assert RdYlGn11[0] == "#006837" and RdYlGn11[-1] == "#a50026"
    assert Spectral11[0] == "#5e4fa2" and Spectral11[-1] == "#9e0142"
    assert brewer["Spectral"][6] == ["#3288bd", "#99d594", "#e6f598", "#fee08b", "#fc8d59", "#d53e4f"]


def test_get_palette_returns_a_copy():
    colors = get_palette("Blues9")
    assert colors == Blues9 and colors is not Blues9
    colors.append("#000000")
    assert len(Blues9) == 9


@pytest.mark.parametrize("name", ["Nope", "Blues2", "Blues10", "Spectral12", "blues9"])
def test_get_palette_unknown(name):
    with pytest.raises(ValueError, match=f"unknown palette '{name}'.*list of colours"):
        get_palette(name)

"""Locations of US cities.

``data``: dict with ``lat`` and ``lon``: equal-length lists of floats. As in 0.10, which
needed a download.
"""

from . import _source

data = _source("us_cities").data

"""Cities of the world with at least 5000 people (GeoNames).

``data``: DataFrame, columns ``name``, ``lat`` and ``lng`` (degrees). As in 0.10, which needed
a download; names are never read as missing values (a city called "Nan" stays a string).
"""

from . import _source

data = _source("world_cities").data

"""Fuel economy of 1999 and 2008 car models (ggplot2's ``mpg`` data).

``autompg2``: DataFrame, 234 rows, columns ``Unnamed: 0`` (the file's row number),
``manufacturer``, ``model`` (both capitalised), ``displ``, ``year``, ``cyl``, ``trans``,
``drv`` (front, rear, 4x4), ``cty``, ``hwy``, ``fl``, ``class``. As in 0.10.
"""

from . import _source

autompg2 = _source("autompg2").autompg2

"""The UCI auto-mpg data: fuel economy of 1970s-80s cars.

``autompg``: DataFrame, 392 rows, columns ``mpg``, ``cyl``, ``displ``, ``hp``, ``weight``,
``accel``, ``yr``, ``origin`` (1 North America, 2 Europe, 3 Asia) and ``name``. As in 0.10.
"""

from . import _source

autompg = _source("autompg").autompg

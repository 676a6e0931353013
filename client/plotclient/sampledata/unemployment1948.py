"""US monthly unemployment rate (percent), one row per year from 1948.

``data``: DataFrame, columns ``Year``, ``Jan`` ... ``Dec`` and ``Annual``. As in 0.10 (the
current data run a few years further).
"""

from . import _source

data = _source("unemployment1948").data

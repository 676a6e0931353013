"""US marriages and divorces per year, 1867-2011 (gaps filled by linear interpolation).

``data``: DataFrame, columns ``Year``, ``Marriages``, ``Divorces``, ``Population``,
``Marriages_per_1000`` and ``Divorces_per_1000``. As in 0.10.
"""

from . import _source

data = _source("us_marriages_divorces").data

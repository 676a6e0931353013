"""Medal counts by country at the 2014 Winter Olympics.

``data``: dict with ``count``, ``object`` and ``data``: a list of
``{"name", "abbr", "medals": {"gold", "silver", "bronze", "total"}}``, one per country.
As in 0.10.
"""

from . import _source

data = _source("olympics2014").data

"""US unemployment rate (percent) by county, 2009.

``data``: dict ``{(state_fips, county_fips): rate}`` with int keys and float rates. As in 0.10,
which needed a download for it.
"""

from . import _source

data = _source("unemployment").data

"""US federal holidays.

``us_holidays``: sorted list of ``(datetime.date, name)`` tuples. As in 0.10 (the current
calendar covers more years).
"""

from . import _source

us_holidays = _source("us_holidays").us_holidays

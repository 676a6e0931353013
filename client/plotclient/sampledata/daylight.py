"""Sunrise and sunset in Warsaw, 2013.

``daylight_warsaw_2013``: DataFrame, 365 rows, columns ``Date`` (``datetime.date``),
``Sunrise`` and ``Sunset`` (local ``datetime.time``) and ``Summer`` (1 while daylight saving
time is on, else 0). Same shape as 0.10; bokeh-sampledata computes the times astronomically
where 0.10 read a file scraped from a web site, so a time may differ by a minute.

0.10's ``fetch_daylight_hours()`` (which scraped that web site) and ``load_daylight_hours()``
are not provided.
"""

from . import _source

daylight_warsaw_2013 = _source("daylight").daylight_warsaw_2013

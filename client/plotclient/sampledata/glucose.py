"""Readings of a continuous glucose monitor, every five minutes.

``data``: DataFrame indexed by ``datetime`` (timestamps), columns ``isig`` (the sensor signal,
as read from the file) and ``glucose`` (mg/dL, int). As in 0.10, which needed a download.
"""

from . import _source

data = _source("glucose").data

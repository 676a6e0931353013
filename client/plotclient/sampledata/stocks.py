"""Daily prices of five stocks: ``AAPL``, ``FB``, ``GOOG``, ``IBM``, ``MSFT``.

Each is a dict of equal-length lists, as in 0.10: ``date`` (``"YYYY-MM-DD"`` strings),
``open``, ``high``, ``low``, ``close``, ``adj_close`` (floats) and ``volume`` (ints); oldest
day first. 0.10 needed ``bokeh.sampledata.download()`` for these; now they are just there.
"""

from . import _source

_stocks = _source("stocks")

AAPL = _stocks.AAPL
FB = _stocks.FB
GOOG = _stocks.GOOG
IBM = _stocks.IBM
MSFT = _stocks.MSFT

__all__ = ("AAPL", "FB", "GOOG", "IBM", "MSFT")

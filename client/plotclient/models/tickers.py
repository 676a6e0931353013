"""Tickers (MODELS.md 4.10): where ticks go."""

from ..properties import Float, Instance, Int, Seq
from ..model import Model


class Ticker(Model, abstract=True):
    num_minor_ticks = Int(5, help="minor intervals per major interval")
    desired_num_ticks = Int(6, help="target number of major ticks")


class AdaptiveTicker(Ticker):
    base = Float(10.0)
    mantissas = Seq(Float, default=[2, 5, 10])
    min_interval = Float(0.0)
    max_interval = Float(100.0)


class BasicTicker(AdaptiveTicker):
    pass


class LogTicker(AdaptiveTicker):
    pass


class FixedTicker(Ticker):
    ticks = Seq(Float, default=None, help="explicit tick positions")


class CompositeTicker(Ticker):
    tickers = Seq(Instance(Ticker), default=None)


class SingleIntervalTicker(Ticker):
    interval = Float(help="fixed spacing between ticks")


class DaysTicker(SingleIntervalTicker):
    days = Seq(Int, help="days of the month")


class MonthsTicker(SingleIntervalTicker):
    months = Seq(Int, help="months, 0-based")


class YearsTicker(SingleIntervalTicker):
    pass


class CategoricalTicker(Ticker):
    pass


class DatetimeTicker(Ticker):
    pass



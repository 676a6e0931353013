"""Tick formatters (MODELS.md 4.11): tick values -> label strings."""

from ..model import Model
from ..properties import Bool, Dict, Either, Enum, Instance, Int, List, String
from ._enums import DATETIME_SCALES, NUMERAL_LANGUAGES, ROUNDING


class TickFormatter(Model, abstract=True):
    pass


class BasicTickFormatter(TickFormatter):
    power_limit_high = Int(5)
    power_limit_low = Int(-3)
    precision = Either(Enum("auto"), Int, default="auto")
    use_scientific = Bool(True)


class NumeralTickFormatter(TickFormatter):
    format = String("0,0", help="Numeral.js format string")
    language = Enum(*NUMERAL_LANGUAGES, default="en")
    rounding = Enum(*ROUNDING)


class PrintfTickFormatter(TickFormatter):
    format = String("%s")


class LogTickFormatter(TickFormatter):
    ticker = Instance("Ticker", help="the LogTicker, to know the base")


class DatetimeTickFormatter(TickFormatter):
    formats = Dict(Enum(*DATETIME_SCALES), List(String), help="scale -> strftime formats")


class CategoricalTickFormatter(TickFormatter):
    pass

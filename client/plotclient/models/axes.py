"""Axes and grids (MODELS.md 4.8, 4.9).  Each axis makes its own ticker and formatter
when none is given."""

from ..properties import Bool, Datetime, Either, Enum, Float, Instance, Int, String, Tuple, new
from ._enums import LOCATIONS, range_name
from .renderers import GuideRenderer


def _bounds():
    return Either(Enum("auto"), Tuple(Float, Float), Tuple(Datetime, Datetime), default="auto")


class Axis(GuideRenderer, abstract=True):
    _visuals = (("axis_", "line"), ("major_tick_", "line"), ("minor_tick_", "line"),
                ("major_label_", "text"), ("axis_label_", "text"))
    visible = Bool(True)
    location = Either(Enum("auto"), Enum(*LOCATIONS), default="auto")
    bounds = _bounds()
    x_range_name = range_name()
    y_range_name = range_name()
    ticker = Instance("Ticker", default=new("BasicTicker"))
    formatter = Instance("TickFormatter", default=new("BasicTickFormatter"))
    axis_label = String()
    axis_label_standoff = Int()
    major_label_standoff = Int()
    major_label_orientation = Either(Enum("horizontal", "vertical"), Float, default="horizontal")
    major_tick_in = Int()
    major_tick_out = Int()
    minor_tick_in = Int()
    minor_tick_out = Int()


class ContinuousAxis(Axis, abstract=True):
    pass


class LinearAxis(ContinuousAxis):
    ticker = Instance("Ticker", default=new("BasicTicker"))
    formatter = Instance("TickFormatter", default=new("BasicTickFormatter"))


class LogAxis(ContinuousAxis):
    ticker = Instance("Ticker", default=new("LogTicker", num_minor_ticks=10))
    formatter = Instance("TickFormatter")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if "formatter" not in kwargs:
            from .formatters import LogTickFormatter
            # the formatter needs the ticker to know the log base
            self._values["formatter"] = LogTickFormatter(ticker=self.ticker)


class CategoricalAxis(Axis):
    ticker = Instance("Ticker", default=new("CategoricalTicker"))
    formatter = Instance("TickFormatter", default=new("CategoricalTickFormatter"))


class DatetimeAxis(LinearAxis):
    ticker = Instance("Ticker", default=new("DatetimeTicker"))
    formatter = Instance("TickFormatter", default=new("DatetimeTickFormatter"))
    axis_label = String("date")
    scale = String("time")
    num_labels = Int(8)
    char_width = Int(10)
    fill_ratio = Float(0.3)


class Grid(GuideRenderer):
    _visuals = (("grid_", "line"), ("minor_grid_", "line"), ("band_", "fill"))
    dimension = Int(0, help="0 = vertical lines at x ticks, 1 = horizontal lines")
    bounds = _bounds()
    x_range_name = range_name()
    y_range_name = range_name()
    ticker = Instance("Ticker", help="the ticker giving line positions")

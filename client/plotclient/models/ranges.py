"""Ranges (MODELS.md 4.5)."""

from ..model import Model
from ..properties import Datetime, Either, Float, Instance, Int, List, String


class Range(Model, abstract=True):
    callback = Instance("Callback", help="run in the browser when start/end change")


class Range1d(Range):
    start = Either(Float, Datetime, help="data value at the left/bottom frame edge")
    end = Either(Float, Datetime, help="data value at the right/top frame edge")

    def __init__(self, *args, **kwargs):
        # Range1d(start, end) is allowed as in 0.10
        if args:
            if len(args) != 2 or "start" in kwargs or "end" in kwargs:
                raise ValueError("Range1d takes start and end, positionally or as keywords")
            kwargs["start"], kwargs["end"] = args
        super().__init__(**kwargs)


class DataRange(Range, abstract=True):
    names = List(String, help="Python-side filter; BokehJS 0.10 ignores it")
    renderers = List(Instance("Renderer"), help="renderers whose bounds define the range")


class DataRange1d(DataRange):
    start = Float(help="explicit start overriding the automatic one")
    end = Float(help="explicit end overriding the automatic one")
    range_padding = Float(0.1)


class FactorRange(Range):
    factors = Either(List(String), List(Int), default=list, help="ordered category names")
    offset = Float(0)

    def __init__(self, *args, **kwargs):
        if args:
            if "factors" in kwargs:
                raise ValueError("FactorRange takes factors positionally or as a keyword, not both")
            kwargs["factors"] = list(args)
        super().__init__(**kwargs)

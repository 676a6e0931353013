"""Input widgets (MODELS.md 4.16 "Inputs")."""

from __future__ import annotations

import datetime as _dt

from ...properties import (Bool, Date, Dict, Either, Enum, Float, Instance, List, RelativeDelta,
                           String, Tuple)
from .base import Widget


class InputWidget(Widget, abstract=True):
    title = String(help="caption text")

    @classmethod
    def create(cls, *args, **kwargs):
        """``create(name=..., value=..., title=None)``: title defaults to the name and
        the value is coerced to the property type (0.10's helper)."""
        if args:
            raise TypeError("create() takes keyword arguments only")
        kwargs.setdefault("title", kwargs.get("name"))
        if "value" in kwargs:
            kwargs["value"] = cls._coerce_value(kwargs["value"])
        return cls(**kwargs)

    @classmethod
    def _coerce_value(cls, value):
        prop = cls._properties.get("value")
        if isinstance(prop, Float) and isinstance(value, str):
            return float(value)
        if isinstance(prop, String) and value is not None and not isinstance(value, str):
            return str(value)
        return value


class Slider(InputWidget):
    callback = Instance("Callback")
    value = Float(help="current value")
    start = Float(help="minimum")
    end = Float(help="maximum")
    step = Float(help="increment")
    orientation = Enum("horizontal", "vertical")


class TextInput(InputWidget):
    callback = Instance("Callback")
    value = String(help="current text")


class AutocompleteInput(TextInput):
    completions = List(String, help="suggestions")


class Select(InputWidget):
    callback = Instance("Callback")
    options = List(Either(String, Dict(String, String)), help="entries: strings or {name, value}")
    value = String(help="selected option value")

    @classmethod
    def create(cls, *args, **kwargs):
        """Like InputWidget.create; plain option strings become {"name", "value"} dicts."""
        if "options" in kwargs:
            kwargs["options"] = [{"name": o, "value": o} if isinstance(o, str) else o
                                 for o in kwargs["options"]]
        return super().create(*args, **kwargs)


class MultiSelect(Select):
    value = List(String, help="selected option values")


class DatePicker(InputWidget):
    value = Date(_dt.date.today, help="selected date")
    min_date = Date()
    max_date = Date()


class DateRangeSlider(InputWidget):
    value = Tuple(Date, Date, help="[start, end] dates")
    bounds = Tuple(Date, Date, help="[min, max] dates")
    range = Tuple(RelativeDelta, RelativeDelta)
    step = RelativeDelta()
    enabled = Bool(True)
    arrows = Bool(True)
    value_labels = Enum("show", "hide", "change")
    wheel_mode = Enum("scroll", "zoom", default=None)

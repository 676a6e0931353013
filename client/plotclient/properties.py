"""Property types, declared as data on model classes (MODELS.md sections 2-4).

A property object knows three things about the values of one attribute:

* what is valid (`validate` returns the value to store, possibly normalised, or raises
  `ValidationError` naming the model and the property);
* whether bokeh 0.10 always sends it (containers and anything that can hold a model
  reference are always sent, MODELS.md 1.4), see `always_sent`;
* how the stored value is written on the wire (`to_json`; dataspecs turn a number into
  ``{"value": n}``, a column name into ``{"field": name}`` and add their ``units``).

Model references inside values are left as model objects here; the model layer turns
them into reference dicts.  `field()` and `value()` build dataspec dicts by hand.
"""

from __future__ import annotations

import copy
import datetime as _dt
import numbers
import warnings

from .errors import ValidationError

__all__ = [
    "Property", "Any", "Bool", "Int", "Float", "String", "Enum", "Color", "List", "Seq",
    "Dict", "Tuple", "Instance", "Either", "Date", "Datetime", "RelativeDelta",
    "DashPattern", "Percent", "Size", "Angle", "ColumnDataDict", "DataSpec", "NumberSpec",
    "ColorSpec", "StringSpec", "FontSizeSpec", "DistanceSpec", "ScreenDistanceSpec",
    "AngleSpec", "field", "value", "new", "NAMED_COLORS", "is_color_value", "ValidationError",
]


class new:
    """Default factory for a property whose Python default is a fresh model
    (`new X` in MODELS.md 4): ``Instance("ToolEvents", default=new("ToolEvents"))``."""

    _makes_model = True

    def __init__(self, model, **kwargs):
        self.model, self.kwargs = model, kwargs

    def __call__(self):
        from .model import Model
        cls = Model.class_for(self.model) if isinstance(self.model, str) else self.model
        return cls(**self.kwargs)

    def __repr__(self):
        name = self.model if isinstance(self.model, str) else self.model.__name__
        return f"new {name}"


def field(name: str) -> dict:
    """``{"field": name}``: take the values from the data source column `name`."""
    return {"field": name}


def value(val) -> dict:
    """``{"value": val}``: one constant for every item (e.g. a constant string)."""
    return {"value": val}


# The 147 SVG/CSS colour names; Python bokeh matches them case-insensitively (2.4).
NAMED_COLORS = frozenset("""
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
powderblue purple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell
sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal
thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen
""".split())


def is_color_value(text: str) -> bool:
    """True if bokeh 0.10 treats the string as a colour rather than a column name: a
    named colour (any case) or exactly 7 characters starting with '#' (2.4)."""
    return text.lower() in NAMED_COLORS or (len(text) == 7 and text.startswith("#"))


class _Invalid(Exception):
    """Raised by `check` methods; the property turns it into a ValidationError."""


def _is_number(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _is_int(v) -> bool:
    return isinstance(v, numbers.Integral)


def _is_datetime_like(v) -> bool:
    if isinstance(v, (_dt.date, _dt.time)):
        return True
    return type(v).__name__ in ("datetime64", "Timestamp")


def _plain_sequence(v) -> bool:
    """Lists, tuples and array-likes (numpy, pandas), but not strings or dicts."""
    if isinstance(v, (list, tuple)):
        return True
    return hasattr(v, "__array__") and hasattr(v, "__len__") and not isinstance(v, (str, dict))


def is_column_like(value) -> bool:
    """Can `value` be column data (PLOTTING.md 3.2 step 6)?  Lists, tuples, ranges,
    generators and other iterables, numpy arrays of one or more dimensions, pandas
    Series/Index; not strings, bytes, dicts, numpy scalars or 0-d arrays."""
    if isinstance(value, (str, bytes, dict)):
        return False
    ndim = getattr(value, "ndim", None)
    if ndim is not None and hasattr(value, "__array__"):
        return ndim >= 1   # numpy arrays and scalars, pandas objects
    return hasattr(value, "__iter__")


def column_values(values):
    """`values` as stored in column data: numpy/pandas objects, lists and tuples as
    given, any other iterable (range, generator, map...) as a list - it could not be
    sent, and a generator could be read only once."""
    if isinstance(values, (list, tuple)) or hasattr(values, "__array__"):
        return values
    if hasattr(values, "__iter__") and not isinstance(values, (str, bytes, dict)):
        return list(values)
    return values


class Property:
    """Base of all property types.  `default` may be a callable (called for each new
    model: fresh containers, `new X` models)."""

    container = False   # a List/Dict/Tuple...: always sent (MODELS.md 1.4 rule 3)
    expected = "a value"

    def __init__(self, default=None, *, help: str | None = None):
        self._default = default
        self.help = help
        self.name = None        # set when the owning class is created
        self.owner = None

    # -- declaration ------------------------------------------------------------------
    @property
    def always_sent(self) -> bool:
        return self.container or self.holds_refs()

    def holds_refs(self) -> bool:
        """Can a value of this type contain a model reference?"""
        return False

    def default_value(self):
        if callable(self._default):  # list, dict, a lambda making a fresh model...
            return self._default()
        return copy.deepcopy(self._default)

    def makes_models(self) -> bool:
        """True if the default is a fresh model (`new X` in MODELS.md)."""
        return callable(self._default) and getattr(self._default, "_makes_model", False)

    # -- descriptor: model attributes read and write through the model's value store --
    def __set_name__(self, owner, name):
        if self.name is None:
            self.owner, self.name = owner.__name__, name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj._get_property(self.name)

    def __set__(self, obj, value):
        obj._set_property(self.name, value)

    # -- values -------------------------------------------------------------------------
    def validate(self, value, model_name: str | None = None):
        """The value to store, or ValidationError('Model.prop: expected ..., got ...')."""
        if value is None:
            return None
        try:
            return self.check(value)
        except _Invalid as exc:
            detail = str(exc) or self.expected
            where = f"{model_name or self.owner}.{self.name}"
            raise ValidationError(f"{where}: expected {detail}, got {value!r}") from None

    def check(self, value):
        return value

    def accepts(self, value) -> bool:
        try:
            self.check(value)
        except _Invalid:
            return False
        return True

    def to_json(self, value, model=None):
        """The wire form of a stored value (models stay models here)."""
        return value


class Any(Property):
    expected = "any value"

    def holds_refs(self):
        return True


class Bool(Property):
    expected = "a boolean"

    def check(self, value):
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            return bool(value)
        raise _Invalid()


class Int(Property):
    expected = "an integer"

    def check(self, value):
        if _is_int(value):
            return value if isinstance(value, int) else int(value)
        raise _Invalid()


class Float(Property):
    expected = "a number"

    def check(self, value):
        if isinstance(value, numbers.Real):
            return value
        raise _Invalid()


class Percent(Float):
    expected = "a number between 0 and 1"

    def check(self, value):
        value = super().check(value)
        if not 0 <= value <= 1:
            raise _Invalid()
        return value


class Size(Float):
    expected = "a non-negative number"

    def check(self, value):
        value = super().check(value)
        if value < 0:
            raise _Invalid()
        return value


class Angle(Float):
    expected = "an angle (a number)"


class String(Property):
    expected = "a string"

    def check(self, value):
        if isinstance(value, str):
            return value
        raise _Invalid()


_FIRST = object()


class Enum(Property):
    """One of `values`; the default is the first value unless given (may be None)."""

    def __init__(self, *values, default=_FIRST, help=None):
        if default is _FIRST:
            default = values[0]
        super().__init__(default, help=help)
        self.values = tuple(values)

    @property
    def expected(self):
        return "one of " + ", ".join(repr(v) for v in self.values)

    def check(self, value):
        if isinstance(value, str) and value in self.values:
            return value
        raise _Invalid()


class Color(Property):
    """A plain colour: a named colour, '#rrggbb', or an (r, g, b[, a]) tuple, sent as an
    array (MODELS.md 2.4)."""

    expected = "a named colour, '#rrggbb' or an (r, g, b[, a]) tuple"

    def check(self, value):
        if isinstance(value, str):
            if value.lower() in NAMED_COLORS or (len(value) == 7 and value.startswith("#")
                                                 and _is_hex(value[1:])):
                return value
            raise _Invalid()
        if isinstance(value, tuple) and _is_rgb_tuple(value):
            return value
        raise _Invalid()

    def to_json(self, value, model=None):
        return list(value) if isinstance(value, tuple) else value


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


def _is_rgb_tuple(value) -> bool:
    if len(value) not in (3, 4):
        return False
    if not all(_is_int(c) and 0 <= c <= 255 for c in value[:3]):
        return False
    return len(value) == 3 or (_is_number(value[3]) and 0 <= value[3] <= 1)


class DashPattern(Property):
    """line_dash: a name, a string of integers or a list of integers, stored (and sent)
    as a list of integers (MODELS.md 2.5)."""

    # not a container for the "always sent" rule: glyphs send line_dash only if set
    expected = "a dash name (solid, dashed, dotted, dotdash, dashdot), a string of integers or a list of integers"
    NAMED = {"solid": [], "dashed": [6], "dotted": [2, 4], "dotdash": [2, 4, 6, 4],
             "dashdot": [6, 4, 2, 4]}

    def __init__(self, default=(), help=None):
        super().__init__(lambda: list(default), help=help)

    def check(self, value):
        if isinstance(value, str):
            if value in self.NAMED:
                return list(self.NAMED[value])
            parts = value.split()
            if parts and all(p.isdigit() for p in parts):
                return [int(p) for p in parts]
            raise _Invalid()
        if isinstance(value, (list, tuple)) and all(_is_int(v) for v in value):
            return list(value)
        raise _Invalid()


class Date(Property):
    expected = "a date, datetime or a number of milliseconds"

    def check(self, value):
        if _is_datetime_like(value) or _is_number(value):
            return value
        raise _Invalid()


Datetime = Date


class RelativeDelta(Property):
    container = True
    expected = "a dict of years/months/days/hours/minutes/seconds/microseconds"
    KEYS = ("years", "months", "days", "hours", "minutes", "seconds", "microseconds")

    def __init__(self, default=None, help=None):
        super().__init__(default if default is not None else dict, help=help)

    def check(self, value):
        if isinstance(value, dict) and all(k in self.KEYS and _is_int(v) for k, v in value.items()):
            return value
        if type(value).__name__ == "relativedelta":
            return value
        raise _Invalid()


class Instance(Property):
    """A reference to a model of class `model` (a class or its name, resolved late so
    that modules may refer to each other)."""

    def __init__(self, model, default=None, help=None):
        super().__init__(default, help=help)
        self._model = model

    @property
    def model_class(self):
        if isinstance(self._model, str):
            from .model import Model
            self._model = Model.class_for(self._model, abstract_ok=True)
        return self._model

    @property
    def expected(self):
        return f"an instance of {self.model_class.__name__}"

    def holds_refs(self):
        return True

    def check(self, value):
        if isinstance(value, self.model_class):
            return value
        raise _Invalid()


class Either(Property):
    def __init__(self, *types, default=None, help=None):
        super().__init__(default, help=help)
        self.types = tuple(_as_property(t) for t in types)

    # bokeh 0.10 does not count an Either as a container (FactorRange.factors, Axis.bounds
    # are sent only if set), even when one of its choices is a list
    container = False

    @property
    def expected(self):
        return " or ".join(t.expected if isinstance(t.expected, str) else "?" for t in self.types)

    def holds_refs(self):
        return any(t.holds_refs() for t in self.types)

    def check(self, value):
        for t in self.types:
            try:
                return t.check(value)
            except _Invalid:
                continue
        raise _Invalid()

    def to_json(self, value, model=None):
        for t in self.types:
            if t.accepts(value):
                return t.to_json(value, model)
        return value


class List(Property):
    container = True

    def __init__(self, item=None, default=list, help=None):
        super().__init__(default, help=help)
        self.item = _as_property(item) if item is not None else Any()

    @property
    def expected(self):
        return f"a list of {self.item.expected}"

    def holds_refs(self):
        return self.item.holds_refs()

    def check(self, value):
        if not isinstance(value, (list, tuple)) and not _plain_sequence(value):
            raise _Invalid()
        items = list(value)
        for i, item in enumerate(items):
            if item is not None:
                try:
                    items[i] = self.item.check(item)
                except _Invalid:
                    raise _Invalid(f"{self.expected} (item {i} is {item!r})") from None
        return items

    def to_json(self, value, model=None):
        return [self.item.to_json(v, model) if v is not None else None for v in value]


Seq = List


class Tuple(Property):
    container = True

    def __init__(self, *items, default=None, help=None):
        super().__init__(default, help=help)
        self.items = tuple(_as_property(t) for t in items)

    @property
    def expected(self):
        return "a tuple of (" + ", ".join(t.expected for t in self.items) + ")"

    def holds_refs(self):
        return any(t.holds_refs() for t in self.items)

    def check(self, value):
        if not isinstance(value, (list, tuple)) or len(value) != len(self.items):
            raise _Invalid()
        return tuple(t.check(v) if v is not None else None for t, v in zip(self.items, value))

    def to_json(self, value, model=None):
        return [t.to_json(v, model) for t, v in zip(self.items, value)]


class Dict(Property):
    container = True

    def __init__(self, key=None, value=None, default=dict, help=None):
        super().__init__(default, help=help)
        self.key = _as_property(key) if key is not None else Any()
        self.value = _as_property(value) if value is not None else Any()

    @property
    def expected(self):
        return f"a dict of {self.key.expected} to {self.value.expected}"

    def holds_refs(self):
        return self.value.holds_refs()

    def check(self, value):
        if not isinstance(value, dict):
            raise _Invalid()
        for k, v in value.items():
            self.key.check(k)
            if v is not None:
                self.value.check(v)
        return value

    def to_json(self, value, model=None):
        return {k: self.value.to_json(v, model) if v is not None else None for k, v in value.items()}


class ColumnDataDict(Dict):
    """ColumnDataSource.data: column name -> values; written with the column rules
    (MODELS.md 2.2) and never searched for references (columns may be huge)."""

    def __init__(self, help=None):
        super().__init__(String, Any, help=help)

    def holds_refs(self):
        return False

    def check(self, value):
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise _Invalid("a dict of column name to values")
        for name, column in value.items():
            listed = column_values(column)
            if listed is not column:
                value[name] = listed  # a range or generator becomes a list, in place
        return value

    def to_json(self, value, model=None):
        from .serialization import ColumnData
        return ColumnData(value)


def _as_property(t) -> Property:
    """Accept both `Int` and `Int()` inside List(...), Either(...) and friends."""
    if isinstance(t, Property):
        return t
    if isinstance(t, type) and issubclass(t, Property):
        return t()
    raise TypeError(f"not a property type: {t!r}")


# -- dataspecs (MODELS.md section 3) ------------------------------------------------------

_SPEC_KEYS = {"field", "value", "units", "transform"}


class DataSpec(Property):
    """A vectorised property: a constant, a column name or a spec dict.  The stored value
    is what the program gave; `to_json` writes the spec form."""

    expected = "a number, a column name or a dataspec dict"

    def validate(self, value, model_name: str | None = None):
        if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
            value = value.item()  # a 0-d numpy array is the scalar it holds
        return super().validate(value, model_name)

    def check(self, value):
        if isinstance(value, dict):
            if not value or not set(value) <= _SPEC_KEYS or not ({"field", "value"} & set(value)):
                raise _Invalid('a dataspec dict with a "field" or "value" key')
            # a copy: the caller's dict (often given to a glyph and to its nonselection
            # glyph alike) must not be shared, nor changed by the units handling
            return dict(value)
        if isinstance(value, str):
            return value
        if _is_number(value) or isinstance(value, bool) or _is_datetime_like(value):
            return value
        raise _Invalid()

    def to_json(self, value, model=None):
        if value is None:
            return None
        if isinstance(value, dict):
            return dict(value)
        if isinstance(value, str):
            return {"field": value}
        return {"value": value}


class NumberSpec(DataSpec):
    pass


class StringSpec(DataSpec):
    """Text.text: a string is a column name; ["abc"] is the constant "abc"."""

    expected = "a column name, a one-element list [constant] or a dataspec dict"

    def check(self, value):
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            return value
        if isinstance(value, (str, dict)):
            return super().check(value)
        raise _Invalid()

    def to_json(self, value, model=None):
        if isinstance(value, list):
            return {"value": value[0]}
        return super().to_json(value, model)


class FontSizeSpec(DataSpec):
    """*_text_font_size: an assigned "12pt" (starting with a digit) becomes the value
    ``{"value": "12pt"}`` (0.10 warned that this is deprecated); other strings are
    column names.  The unassigned default stays the bare "12pt", which bokeh 0.10 would
    have written as a field - it is never sent (MODELS.md 3.2 quirk)."""

    expected = "a font size like '12pt', a column name or a dataspec dict"

    def check(self, value):
        if isinstance(value, str) and value[:1].isdigit():
            warnings.warn("setting a font size as a bare string is deprecated; use "
                          f"value({value!r})", DeprecationWarning, stacklevel=4)
            return {"value": value}
        if isinstance(value, (str, dict)):
            return super().check(value)
        raise _Invalid()


class ColorSpec(DataSpec):
    """*_color: a named/#rrggbb colour or an rgb(a) tuple is a value, any other string
    a column name (MODELS.md 2.4)."""

    expected = "a colour, a column name, an (r, g, b[, a]) tuple or a dataspec dict"

    def check(self, value):
        if isinstance(value, tuple):
            if _is_rgb_tuple(value):
                return value
            raise _Invalid()
        if isinstance(value, (str, dict)):
            return super().check(value)
        raise _Invalid()

    def to_json(self, value, model=None):
        if isinstance(value, tuple):
            name = "rgb" if len(value) == 3 else "rgba"
            return {"value": f"{name}{value!r}"}
        if isinstance(value, str) and is_color_value(value):
            return {"value": value}
        return super().to_json(value, model)


class _UnitsSpec(NumberSpec):
    """A number spec whose wire form always carries "units": the dict's own units, else
    the model's `<name>_units` property."""

    units_default = "data"

    def to_json(self, value, model=None):
        spec = super().to_json(value, model)
        if spec is None:
            return None
        if "units" not in spec:
            units = getattr(model, f"{self.name}_units", None) if model is not None else None
            spec["units"] = units or self.units_default
        return spec


class DistanceSpec(_UnitsSpec):
    expected = "a non-negative number, a column name or a dataspec dict"

    def check(self, value):
        value = super().check(value)
        if _is_number(value) and value < 0:
            raise _Invalid()
        return value


class ScreenDistanceSpec(DistanceSpec):
    """Marker size: always in screen units."""

    def to_json(self, value, model=None):
        spec = NumberSpec.to_json(self, value, model)
        if spec is not None:
            spec["units"] = "screen"
        return spec


class AngleSpec(_UnitsSpec):
    units_default = "rad"

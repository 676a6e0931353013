"""Turn what the client sends into JSON bytes, with bokeh 0.10's value encoding.

MODELS.md section 2 is the contract:

* scalars (2.1): datetimes, dates, times, numpy datetime64 and pandas Timestamps become
  float milliseconds; models become reference objects; tuples become arrays; a float
  NaN/Infinity outside column data is an error, as it was with ``allow_nan=False``;
* column data (2.2), i.e. the ``data`` of a ColumnDataSource, marked by wrapping it in
  `ColumnData`: each column goes through numpy first, so mixed int/float lists become
  floats, non-finite floats become the strings "NaN"/"Infinity"/"-Infinity", datetime64
  values become float ms, nested lists are handled list by list.

Speed matters (large columns are pushed many times a second by animation loops), so a
finite numeric numpy array is handed to orjson as is: orjson writes it in C, and so is a
plain list of finite floats or ints (see `_plain_number_list`).  Only columns that need
rewriting (non-finite values, objects) go through Python.
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import Decimal

import orjson

from .errors import ValidationError

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME

_EPOCH = _dt.datetime(1970, 1, 1)
_EPOCH_UTC = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_NONFINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}
_RELATIVEDELTA_FIELDS = ("years", "months", "days", "hours", "minutes", "seconds", "microseconds")


class ColumnData(dict):
    """A dict of columns (name -> values) that is encoded with the column rules of
    MODELS.md 2.2.  It is an ordinary dict otherwise."""


def _numpy():
    """numpy if it is installed (it is optional for plotclient), else None."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is installed where tests run
        return None
    return numpy


def dumps(value) -> bytes:
    """JSON bytes of `value` (envelopes, attribute dicts, plain values) as bokeh 0.10
    would have written them."""
    shortcuts: list = []
    try:
        out = orjson.dumps(_prepare(value, shortcuts), option=_OPTIONS, default=_fallback)
    except TypeError as exc:
        if "64-bit" not in str(exc):
            raise
        # An int beyond 64 bits (10**22 as a log axis end): orjson refuses it; bokeh 0.10's
        # json.dumps wrote its exact digits, and so do we, on this slower path.
        return orjson.dumps(_exact_big_ints(_prepare(value, None)), option=_OPTIONS,
                            default=_fallback)
    if shortcuts and _bool_in_a_list(out):
        # a number list handed to orjson unchecked held a bool (or some other list or
        # string looks as if it did): write everything again, the lists through numpy
        out = orjson.dumps(_prepare(value, None), option=_OPTIONS, default=_fallback)
    return out


def dumps_envelopes(envelopes: list) -> bytes:
    """`dumps` of a list of envelopes. A value that cannot be written is a ValidationError
    naming its model and property (not an encoder's error from deep inside `show()`)."""
    try:
        return dumps(envelopes)
    except (TypeError, ValueError) as exc:
        for envelope in envelopes:
            for name, value in envelope.get("attributes", {}).items():
                try:
                    dumps(value)
                except (TypeError, ValueError) as cause:
                    raise ValidationError(f"{envelope.get('type')}.{name}: {cause}") from None
        raise ValidationError(str(exc)) from None


_INT64_MIN, _UINT64_END = -2**63, 2**64


def _exact_big_ints(value):
    """A prepared structure with every int orjson cannot write as its exact digits."""
    kind = type(value)
    if kind is int:
        return value if _INT64_MIN <= value < _UINT64_END else orjson.Fragment(str(value))
    if kind is dict:
        return {key: _exact_big_ints(item) for key, item in value.items()}
    if kind is list:
        return [_exact_big_ints(item) for item in value]
    return value


def _bool_in_a_list(out: bytes) -> bool:
    """True if the JSON text `out` has a ``true``/``false`` right after ``[`` or ``,``,
    i.e. possibly as an element of an array.  A bool in a fast-path number column
    always shows up so; the other bools of an envelope follow a ``:``.  Single-byte
    searches (memchr) keep this at a few ms for tens of MB."""
    for first, tail in ((b"t", b"rue"), (b"f", b"alse")):
        find = out.find
        i = find(first, 1)
        while i != -1:
            if out[i - 1] in b",[" and out.startswith(tail, i + 1):
                return True
            i = find(first, i + 1)
    return False


def encode_value(value):
    """The JSON-ready form of `value` (what `dumps` writes), as Python objects."""
    return orjson.loads(dumps(value))


# -- scalars --------------------------------------------------------------------------

def datetime_to_ms(value: _dt.datetime) -> float:
    """Milliseconds since the epoch; naive datetimes are taken as UTC."""
    ts = getattr(value, "value", None)
    if ts is not None and type(value).__name__ == "Timestamp":  # pandas: exact ns
        return ts / 10**6
    if value.tzinfo is None:
        delta = value - _EPOCH
    else:
        delta = value - _EPOCH_UTC
    # integer arithmetic first so that whole milliseconds stay exact
    micros = (delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds
    return micros / 1000.0


def _scalar(value):
    """The JSON-ready form of a non-container value (None if it is not a known one:
    the caller then keeps the value)."""
    if isinstance(value, _dt.datetime):
        return datetime_to_ms(value)
    if isinstance(value, _dt.date):
        return datetime_to_ms(_dt.datetime(value.year, value.month, value.day))
    if isinstance(value, _dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) * 1000.0 + value.microsecond / 1000.0
    if isinstance(value, Decimal):
        return _check_float(float(value))
    if type(value).__name__ == "relativedelta":
        return {name: getattr(value, name) for name in _RELATIVEDELTA_FIELDS}
    np = _numpy()
    if np is not None and isinstance(value, np.generic):
        if isinstance(value, np.datetime64):
            return _datetime64_scalar_ms(value)
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return _check_float(float(value))
        return value.item()
    if type(value).__name__ == "NaTType":
        return None
    return _MISSING


_MISSING = object()


def _datetime64_scalar_ms(value):
    return float(value.astype("datetime64[us]").astype("int64")) / 1000.0


def _check_float(value: float) -> float:
    if value != value or value in _NONFINITE:
        raise ValueError("Out of range float values are not JSON compliant")
    return value


# -- the generic walk ---------------------------------------------------------------------

def _prepare(value, shortcuts=None):
    """A structure orjson can write directly, with every bokeh rule applied.

    `shortcuts`: a list to allow the unchecked number-list fast path in columns (each
    use appends to it, and `dumps` then checks the output for bools), or None to check
    every list column."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return _check_float(value)
    if kind is ColumnData:
        return {key: _column(col, shortcuts) for key, col in value.items()}
    if isinstance(value, dict):
        return {key: _prepare(item, shortcuts) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_prepare(item, shortcuts) for item in value]
    ref = getattr(value, "ref", None)
    if ref is not None and hasattr(value, "vm_serialize"):  # a model: send its reference
        return ref
    np = _numpy()
    if np is not None and isinstance(value, np.ndarray):
        return _array(np, value)
    if np is not None and _is_pandas(value):
        return _array(np, np.asarray(value))
    if isinstance(value, (str, int)):  # subclasses (enums, numpy str_) keep their value
        return value
    if isinstance(value, float):
        return _check_float(float(value))
    converted = _scalar(value)
    if converted is not _MISSING:
        return converted
    if isinstance(value, (set, frozenset, range)):
        return [_prepare(item) for item in value]
    raise TypeError(f"{value!r} ({type(value).__name__}) is not JSON serializable")


def _fallback(value):
    # Everything is prepared before orjson runs; this only catches what slipped through.
    return _prepare(value)


def _is_pandas(value) -> bool:
    module = type(value).__module__
    return module.startswith("pandas") and hasattr(value, "__array__")


# -- columns ------------------------------------------------------------------------------

def _column(values, shortcuts=None):
    """One column of column data (MODELS.md 2.2)."""
    if _is_other_iterable(values):
        if iter(values) is values:
            # listing it here would empty it for the next send (ColumnDataSource and
            # the glyph methods list generators when they are given)
            raise TypeError(f"a column holds a one-shot iterator ({type(values).__name__}); "
                            "give a list")
        values = list(values)  # a range, a deque...: what numpy would have listed
    np = _numpy()
    if np is None:
        return _py_column(values)
    if isinstance(values, np.ndarray):
        return _array(np, values)
    if _is_pandas(values):
        return _array(np, np.asarray(values))
    if isinstance(values, (list, tuple)):
        if not values:
            return []
        if shortcuts is not None and _plain_number_list(values):
            shortcuts.append(True)
            return values
        first = values[0]
        if isinstance(first, (list, tuple, np.ndarray)) or _is_pandas(first):
            # multi_line/patches xs, or images: each item is a column of its own
            return [_column(item, shortcuts) for item in values]
        try:
            array = np.asarray(values)
        except (ValueError, TypeError):  # ragged or otherwise not array-like
            return [_prepare(item) for item in values]
        if array.dtype.kind == "O" or array.ndim != 1:
            return [_prepare(item) for item in values]
        return _array(np, array)
    return _prepare(values)


def _is_other_iterable(values) -> bool:
    """An iterable that is none of the containers the column rules name (a range, a
    deque, a generator...)."""
    if isinstance(values, (list, tuple, str, bytes, dict)) or not hasattr(values, "__iter__"):
        return False
    return not hasattr(values, "__array__")  # numpy and pandas have their own rules


def _plain_number_list(values) -> bool:
    """Fast path for the common case, a list of plain finite floats (or of ints): orjson
    writes it as is, without the numpy round trip (which costs more than the writing).
    False when the numpy path must decide.

    `sum` is a cheap C loop that tells what we need: it raises for strings, None, nested
    lists...; its result is an int only if the list holds no float; it is NaN or
    infinite if some element is (or on overflow, which merely takes the slow path).
    It cannot tell a bool from an int, and no C loop as cheap can: bools (which numpy
    would have turned into 1/0 or 1.0/0.0) are caught afterwards, in the written JSON,
    by `dumps`.
    One deviation, deliberate for speed: an int *after* the first element of a float
    list stays a JSON integer (numpy would have written 5 as 5.0) - the same JSON number
    to every reader, and finding it would cost a type check per element.  A list
    starting with an int and holding floats does go through numpy."""
    first = type(values[0])
    if first is not float and first is not int:
        return False
    try:
        total = sum(values)
    except TypeError:
        return False
    kind = type(total)
    if kind is int:
        return first is int
    return kind is float and first is float and total - total == 0.0


def _array(np, array):
    """A numpy array as bokeh sends it: orjson writes clean numeric arrays itself."""
    if array.ndim == 0:  # a 0-d array is the scalar it holds
        return _prepare(array[()])
    if not array.dtype.isnative:  # big-endian data ('>f8'...): orjson takes native only
        array = array.astype(array.dtype.newbyteorder("="))
    if isinstance(array, np.ma.MaskedArray):
        if array.dtype.kind == "f":
            array = array.filled(np.nan)
        else:
            array = array.astype("float64").filled(np.nan)
    kind = array.dtype.kind
    if kind == "M":
        array = array.astype("datetime64[us]").astype("int64") / 1000.0
        kind = "f"
    elif kind == "m":  # timedeltas: bokeh sent their integer value
        return array.astype("int64").tolist()
    if kind == "f":
        if array.dtype != np.float64:
            # orjson would write float32 with float32 precision; bokeh wrote doubles
            array = array.astype(np.float64)
        finite = np.isfinite(array)
        if finite.all():
            return np.ascontiguousarray(array)
        out = array.astype(object)
        out[np.isnan(array)] = "NaN"
        out[array == np.inf] = "Infinity"
        out[array == -np.inf] = "-Infinity"
        return out.tolist()
    if kind in "iub":
        if kind == "u" and array.dtype.itemsize > 8:  # pragma: no cover - no such dtype
            return array.tolist()
        return np.ascontiguousarray(array)
    if kind in "US":
        return array.tolist()
    # object arrays: each element by the scalar rules (None -> null, datetimes -> ms);
    # a NaN here is an error, as in bokeh (it was not in a float array)
    return [_prepare(item) for item in array.tolist()]


def _py_column(values):
    """The column rules without numpy: mixed ints and floats become floats; non-finite
    floats become strings (what numpy would have given)."""
    if not isinstance(values, (list, tuple)):
        return _prepare(values)
    if values and isinstance(values[0], (list, tuple)):
        return [_py_column(item) for item in values]
    kinds = {type(v) for v in values}
    if kinds <= {int, float} and float in kinds:
        out = []
        for v in values:
            v = float(v)
            if v != v:
                out.append("NaN")
            elif v in _NONFINITE:
                out.append(_NONFINITE[v])
            else:
                out.append(v)
        return out
    return [_prepare(v) for v in values]

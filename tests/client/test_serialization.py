"""plotclient.serialization.dumps follows MODELS.md section 2 (bokeh 0.10's encoder)."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

from plotclient.models import ColumnDataSource, DataRange1d, Range1d
from plotclient.serialization import ColumnData, dumps


def enc(value):
    return json.loads(dumps(value))


def column(values):
    """How one column of ColumnDataSource.data is written."""
    return json.loads(dumps(ColumnData(c=values)))["c"]


def test_returns_bytes():
    assert isinstance(dumps({"a": 1}), bytes)


@pytest.mark.parametrize("value,expected", [
    (5, "5"), (5.0, "5.0"), (0.1, "0.1"), (True, "true"), (None, "null"), ("s", '"s"'),
    (np.int64(5), "5"), (np.float64(0.5), "0.5"), (np.bool_(True), "true"), (np.float32(0.5), "0.5"),
    (Decimal("1.5"), "1.5"), ((1, 2), "[1,2]"),
])
def test_scalars(value, expected):
    assert dumps(value) == expected.encode()


def test_dates_and_times_become_milliseconds():
    assert enc(dt.datetime(2015, 9, 1)) == 1441065600000.0
    assert enc(dt.datetime(2015, 9, 1, 0, 0, 0, 500)) == 1441065600000.5
    assert enc(dt.datetime(2015, 9, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))) == 1441065600000.0
    assert enc(dt.date(2015, 9, 1)) == 1441065600000.0
    assert enc(dt.time(1, 2, 3, 500000)) == 3723500.0
    assert enc(np.datetime64("2015-09-01T00:00:00")) == 1441065600000.0
    assert enc(pd.Timestamp("2015-09-01")) == 1441065600000.0
    assert isinstance(enc(dt.datetime(2015, 9, 1)), float)


def test_relativedelta():
    assert enc(relativedelta(months=2, days=1)) == {
        "years": 0, "months": 2, "days": 1, "hours": 0, "minutes": 0, "seconds": 0, "microseconds": 0}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -math.inf, np.float64("nan")])
def test_non_finite_floats_outside_columns_are_an_error(bad):
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        dumps({"start": bad})


def test_a_range_with_nan_cannot_be_sent():
    r = Range1d(start=float("nan"), end=1)
    with pytest.raises(ValueError):
        dumps(r.to_envelope("doc"))


def test_models_become_references():
    r = DataRange1d()
    assert enc({"x_range": r, "list": [r]}) == {"x_range": r.ref, "list": [r.ref]}


def test_unknown_objects_are_a_type_error():
    with pytest.raises(TypeError):
        dumps(object())


# -- columns (MODELS.md 2.2) ---------------------------------------------------------------------

@pytest.mark.parametrize("values,expected", [
    ([1, 2, 3], [1, 2, 3]),
    ([1.5, 2.0], [1.5, 2.0]),
    ([1, 2.5], [1.0, 2.5]),
    ([1.5, float("nan"), float("inf"), -math.inf], [1.5, "NaN", "Infinity", "-Infinity"]),
    ([1, float("nan")], [1.0, "NaN"]),
    (np.array([1.0, np.nan, np.inf]), [1.0, "NaN", "Infinity"]),
    (np.array([1, 2], dtype=np.int32), [1, 2]),
    (np.array([True, False]), [True, False]),
    (np.array(["a", "b"]), ["a", "b"]),
    (["a", "b"], ["a", "b"]),
    ([None, 1, 2], [None, 1, 2]),
    (np.ma.masked_array([1.0, 2.0, 3.0], mask=[False, True, False]), [1.0, "NaN", 3.0]),
    (np.array(["2015-09-01T12:00", "2015-09-02"], dtype="datetime64[ms]"), [1441108800000.0, 1441152000000.0]),
    (np.array(["2015-09-01"], dtype="datetime64[D]"), [1441065600000.0]),
    ([dt.datetime(2015, 9, 1), dt.datetime(2015, 9, 2)], [1441065600000.0, 1441152000000.0]),
    (pd.Series([1.0, np.nan]), [1.0, "NaN"]),
    (pd.Series(pd.to_datetime(["2015-09-01"])), [1441065600000.0]),
    (pd.Index([3, 4]), [3, 4]),
    ([[1, 2], [3.0, float("nan")]], [[1, 2], [3.0, "NaN"]]),
    ([[3, 4, 3.5], [5, 6, 6]], [[3.0, 4.0, 3.5], [5, 6, 6]]),
    ([np.array([[0.0, 1.0], [2.0, np.nan]])], [[[0.0, 1.0], [2.0, "NaN"]]]),
    ([np.array([[4278190335, 4278255360]], dtype=np.uint32)], [[[4278190335, 4278255360]]]),
    (np.array([0.1], dtype=np.float32), [0.10000000149011612]),
    ([], []),
])
def test_column_values(values, expected):
    got = column(values)
    assert got == expected
    assert [type(v) for v in _flat(got)] == [type(v) for v in _flat(expected)]


def _flat(values):
    for v in values:
        if isinstance(v, list):
            yield from _flat(v)
        else:
            yield v


def test_nan_in_an_object_column_is_an_error():
    with pytest.raises(ValueError):
        column([None, 1.0, float("nan")])


def test_column_data_source_envelope():
    ds = ColumnDataSource(dict(x=np.array([1.0, np.nan]), y=[1, 2]))
    attrs = enc(ds.to_envelope("d"))["attributes"]
    assert attrs["data"] == {"x": [1.0, "NaN"], "y": [1, 2]}
    assert attrs["column_names"] == ["x", "y"] and attrs["doc"] == "d"


@pytest.mark.parametrize("n", [10, 1000])
def test_large_float_columns_match_the_reference_encoding(n):
    rng = np.random.default_rng(1)
    arr = rng.random(n) * 1e6 - 5e5
    expected = json.loads(json.dumps({"x": arr.tolist()}))
    assert column(arr) == expected["x"]
    assert column(arr.tolist()) == expected["x"]
    # byte for byte as the standard library writes the same floats (shortest repr)
    reference = ('{"x":' + json.dumps(arr.tolist(), separators=(",", ":")) + "}").encode()
    assert dumps(ColumnData(x=arr)) == dumps(ColumnData(x=arr.tolist())) == reference


def test_float_columns_exact_bytes():
    values = [0.1, -2.5, 1000000.0, 3.0, 123.456]
    expected = b'{"x":[0.1,-2.5,1000000.0,3.0,123.456]}'
    assert dumps(ColumnData(x=values)) == expected
    assert dumps(ColumnData(x=np.array(values))) == expected
    assert dumps(ColumnData(x=[1, 2, 3])) == b'{"x":[1,2,3]}'


# -- bools in number lists (numpy made them numbers) -------------------------------------------

@pytest.mark.parametrize("values,expected", [
    ([1, True], b"[1,1]"),
    ([1, 2, False], b"[1,2,0]"),
    ([1.0, True], b"[1.0,1.0]"),
    ([0.5, False, 2.5], b"[0.5,0.0,2.5]"),
    ([True, False], b"[true,false]"),  # a bool array stays bools
    ([[1, True], [2.0, 3.0]], b"[[1,1],[2.0,3.0]]"),
])
def test_bools_in_number_columns_become_numbers(values, expected):
    assert dumps(ColumnData(c=values)) == b'{"c":' + expected + b"}"


def test_bool_check_in_whole_envelopes():
    ds = ColumnDataSource(dict(x=[1.0, 2.0], y=[1, True]))
    attrs = enc(ds.to_envelope("d"))["attributes"]
    assert attrs["data"] == {"x": [1.0, 2.0], "y": [1, 1]}
    assert attrs["selected"]["0d"]["flag"] is False
    # text that merely looks like a bool in a list costs a second pass, same result
    out = dumps({"data": ColumnData(x=[1.0, 2.0], t=["a,true", "[false"]), "flags": [True, False]})
    assert out == b'{"data":{"x":[1.0,2.0],"t":["a,true","[false"]},"flags":[true,false]}'


# -- other column inputs --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype,expected", [
    (">i4", [1, 2, 3]), (">i8", [1, 2, 3]), (">u2", [1, 2, 3]),
    (">f8", [1.0, 2.0, 3.0]), (">f4", [1.0, 2.0, 3.0]), ("<f8", [1.0, 2.0, 3.0]),
])
def test_non_native_byte_order_arrays(dtype, expected):
    arr = np.array([1, 2, 3], dtype=dtype)
    got = column(arr)
    assert got == expected and [type(v) for v in got] == [type(v) for v in expected]
    assert enc({"a": arr}) == {"a": expected}
    assert column(np.array([1.0, np.nan], dtype=">f8")) == [1.0, "NaN"]
    assert column(np.array(["2015-09-01"], dtype=">M8[D]")) == [1441065600000.0]


def test_ranges_in_column_data():
    assert column(range(4)) == [0, 1, 2, 3]
    assert column([range(2), range(3)]) == [[0, 1], [0, 1, 2]]
    assert enc({"r": range(2)}) == {"r": [0, 1]}
    ds = ColumnDataSource(dict(x=[1, 2]))
    ds.data["y"] = range(2)  # assigned in place, past the data source's checks
    assert enc(ds.to_envelope("d"))["attributes"]["data"]["y"] == [0, 1]


def test_iterables_given_to_column_data_sources_are_listed():
    ds = ColumnDataSource(data=dict(x=range(3), y=(v * v for v in range(3))))
    assert ds.data == {"x": [0, 1, 2], "y": [0, 1, 4]}
    assert ds.add(iter([5, 6])) == "Series 2" and ds.data["Series 2"] == [5, 6]
    ds.data = {"z": map(str, [1, 2])}
    assert ds.data == {"z": ["1", "2"]}
    arr = np.arange(2)
    assert ColumnDataSource(data=dict(a=arr)).data["a"] is arr  # arrays are kept as is
    assert enc(ds.to_envelope("d"))["attributes"]["data"] == {"z": ["1", "2"]}


def test_a_one_shot_iterator_in_column_data_is_an_error():
    with pytest.raises(TypeError, match="one-shot iterator"):
        dumps(ColumnData(x=(v for v in range(3))))


@pytest.mark.parametrize("value,expected", [
    (np.float64(10), b"10.0"), (np.float32(0.5), b"0.5"), (np.int32(7), b"7"),
    (np.array(3.5), b"3.5"), (np.array(4), b"4"), (np.array(True), b"true"),
])
def test_numpy_scalars_and_0d_arrays_are_plain_numbers(value, expected):
    assert dumps(value) == expected
    assert dumps({"value": value}) == b'{"value":' + expected + b"}"

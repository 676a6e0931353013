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
    assert dumps(ColumnData(x=arr)) == dumps(ColumnData(x=arr.tolist()))

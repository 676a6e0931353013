"""plotclient.sampledata: bokeh 0.10's sample data modules, under the same module and
attribute names and with the same DataFrame/dict shapes, served from the bokeh-sampledata
package (the `sampledata` extra, which `make test` installs). The data tests are skipped only
where that extra is missing; the last test checks the one clear error seen then."""

from __future__ import annotations

import datetime
import importlib
import math
import sys

import pytest

try:
    import pandas as pd
except ImportError:  # then bokeh-sampledata, which needs pandas, is missing too
    pd = None


def load(name):
    return importlib.import_module(f"plotclient.sampledata.{name}")


def assert_frame(df, columns, min_rows, max_rows=None):
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == columns
    assert len(df) >= min_rows
    if max_rows is not None:
        assert len(df) <= max_rows


def _assert_outline(entry):
    assert isinstance(entry["lats"], list) and isinstance(entry["lons"], list)
    assert len(entry["lats"]) == len(entry["lons"]) > 3
    assert all(isinstance(value, float) for value in entry["lats"][:10])


class TestDataSets:
    """Each module loads and has the documented attributes, types and columns."""

    @pytest.fixture(autouse=True)
    def _needs_the_extra(self):
        pytest.importorskip("bokeh_sampledata", reason="the sampledata extra is missing: "
                                                       "pip install 'plotserver[sampledata]'")

    def test_iris(self):
        from plotclient.sampledata.iris import flowers
        assert_frame(flowers, ["sepal_length", "sepal_width", "petal_length", "petal_width",
                               "species"], 150, 150)
        assert sorted(flowers["species"].unique()) == ["setosa", "versicolor", "virginica"]

    def test_periodic_table(self):
        from plotclient.sampledata.periodic_table import elements
        assert_frame(elements, [
            "atomic number", "symbol", "name", "atomic mass", "CPK",
            "electronic configuration", "electronegativity", "atomic radius", "ion radius",
            "van der Waals radius", "IE-1", "EA", "standard state", "bonding type",
            "melting point", "boiling point", "density", "metal", "year discovered", "group",
            "period"], 117, 118)
        assert elements["symbol"].iloc[0] == "H"

    def test_autompg(self):
        from plotclient.sampledata.autompg import autompg
        assert_frame(autompg, ["mpg", "cyl", "displ", "hp", "weight", "accel", "yr", "origin",
                               "name"], 392, 398)
        assert set(autompg["origin"]) == {1, 2, 3}

    def test_autompg2(self):
        from plotclient.sampledata.autompg2 import autompg2
        assert_frame(autompg2, ["Unnamed: 0", "manufacturer", "model", "displ", "year", "cyl",
                                "trans", "drv", "cty", "hwy", "fl", "class"], 234, 234)
        assert set(autompg2["drv"]) == {"front", "rear", "4x4"}

    def test_stocks_are_dicts_of_lists(self):
        stocks = load("stocks")
        keys = {"date", "open", "high", "low", "close", "volume", "adj_close"}
        for ticker in ("AAPL", "FB", "GOOG", "IBM", "MSFT"):
            data = getattr(stocks, ticker)
            assert isinstance(data, dict) and set(data) == keys, ticker
            lengths = {len(column) for column in data.values()}
            assert len(lengths) == 1 and lengths.pop() >= 100, ticker
            assert all(isinstance(column, list) for column in data.values())
            assert isinstance(data["date"][0], str) and len(data["date"][0]) == 10
            assert isinstance(data["close"][0], float) and isinstance(data["volume"][0], int)
        assert len(stocks.AAPL["date"]) > 3000

    def test_unemployment1948(self):
        from plotclient.sampledata.unemployment1948 import data
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        assert_frame(data, ["Year", *months, "Annual"], 66)
        assert data["Year"].iloc[0] == 1948

    def test_unemployment_by_county(self):
        from plotclient.sampledata.unemployment import data
        assert isinstance(data, dict) and len(data) > 3000
        key, rate = next(iter(data.items()))
        assert isinstance(key, tuple) and all(isinstance(part, int) for part in key)
        assert isinstance(rate, float)

    def test_sprint(self):
        from plotclient.sampledata.sprint import sprint
        assert_frame(sprint, ["Name", "Country", "Medal", "Time", "Year"], 80)
        assert set(sprint["Medal"]) == {"GOLD", "SILVER", "BRONZE"}

    def test_daylight(self):
        from plotclient.sampledata.daylight import daylight_warsaw_2013 as daylight
        assert_frame(daylight, ["Date", "Sunrise", "Sunset", "Summer"], 365, 365)
        first = daylight.iloc[0]
        assert first["Date"] == datetime.date(2013, 1, 1)
        assert isinstance(first["Sunrise"], datetime.time)
        assert isinstance(first["Sunset"], datetime.time)
        assert set(daylight["Summer"]) == {0, 1}

    def test_glucose(self):
        from plotclient.sampledata.glucose import data
        assert_frame(data, ["isig", "glucose"], 10_000)
        assert isinstance(data.index, pd.DatetimeIndex)

    def test_les_mis(self):
        from plotclient.sampledata.les_mis import data
        assert set(data) == {"nodes", "links"}
        assert len(data["nodes"]) == 77 and len(data["links"]) > 200
        assert set(data["nodes"][0]) == {"name", "group"}
        assert set(data["links"][0]) == {"source", "target", "value"}

    def test_olympics2014(self):
        from plotclient.sampledata.olympics2014 import data
        assert isinstance(data["data"], list) and len(data["data"]) == data["count"] > 80
        country = data["data"][0]
        assert {"name", "abbr", "medals"} <= set(country)
        assert set(country["medals"]) == {"gold", "silver", "bronze", "total"}

    def test_us_states(self):
        from plotclient.sampledata.us_states import data
        assert len(data) == 51 and "DC" in data
        texas = data["TX"]
        assert set(texas) == {"name", "region", "lats", "lons"} and texas["name"] == "Texas"
        _assert_outline(texas)
        assert any(math.isnan(lat) for lat in data["HI"]["lats"])  # islands split by NaN

    def test_us_counties(self):
        from plotclient.sampledata.us_counties import data
        assert len(data) > 3000
        harris = data[(48, 201)]
        assert set(harris) == {"name", "state", "lats", "lons"}
        assert harris["name"] == "Harris" and harris["state"] == "tx"
        _assert_outline(harris)
        assert load("us_counties").data is data  # built once

    def test_us_holidays(self):
        from plotclient.sampledata.us_holidays import us_holidays
        assert isinstance(us_holidays, list) and len(us_holidays) > 100
        day, name = us_holidays[0]
        assert isinstance(day, datetime.date) and isinstance(name, str)
        assert us_holidays == sorted(us_holidays)

    def test_browsers(self):
        browsers = load("browsers")
        assert_frame(browsers.browsers_nov_2013,
                     ["Version", "Share", "Browser", "VersionNumber"], 100)
        assert set(browsers.icons) == {"Chrome", "Firefox", "Safari", "Opera", "IE"}
        assert all(icon.startswith(b"\x89PNG") for icon in browsers.icons.values())

    def test_population(self):
        from plotclient.sampledata.population import load_population
        population = load_population()
        assert_frame(population, ["LocID", "Location", "Year", "Sex", "AgeGrp", "AgeGrpStart",
                                  "Value"], 100_000)
        assert set(population["Sex"]) == {"Male", "Female"}
        assert load_population() is not population  # a fresh table per call, as in 0.10

    def test_degrees(self):
        from plotclient.sampledata.degrees import xyvalues
        assert isinstance(xyvalues, pd.DataFrame) and len(xyvalues) >= 40
        assert {"Year", "Biology", "Computer Science", "Engineering"} <= set(xyvalues.columns)

    def test_gapminder(self):
        gapminder = load("gapminder")
        for table in (gapminder.fertility, gapminder.life_expectancy, gapminder.population):
            assert isinstance(table, pd.DataFrame) and table.index.name == "Country"
            assert len(table) > 200 and {"1964", "2013"} <= set(table.columns)
        assert list(gapminder.regions.columns) == ["Group", "ID"]

    def test_mtb(self):
        from plotclient.sampledata.mtb import obiszow_mtb_xcm
        assert_frame(obiszow_mtb_xcm, ["lon", "lat", "alt"], 900)

    def test_us_cities(self):
        from plotclient.sampledata.us_cities import data
        assert set(data) == {"lat", "lon"} and len(data["lat"]) == len(data["lon"]) > 1000

    def test_us_marriages_divorces(self):
        from plotclient.sampledata.us_marriages_divorces import data
        assert_frame(data, ["Year", "Marriages", "Divorces", "Population", "Marriages_per_1000",
                            "Divorces_per_1000"], 140)
        assert not data.isna().any().any()

    def test_world_cities(self):
        from plotclient.sampledata.world_cities import data
        assert_frame(data, ["name", "lat", "lng"], 40_000)


def test_without_the_extra_one_clear_error(monkeypatch):
    """Where bokeh-sampledata cannot be imported, importing a data module raises a single
    ImportError that names the extra to install."""
    for name in list(sys.modules):
        if name == "bokeh_sampledata" or name.startswith(("bokeh_sampledata.",
                                                          "plotclient.sampledata.")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "bokeh_sampledata", None)  # as if not installed

    with pytest.raises(ImportError) as raised:
        importlib.import_module("plotclient.sampledata.iris")
    message = str(raised.value)
    assert "bokeh-sampledata" in message
    assert "pip install 'plotserver[sampledata]'" in message
    assert raised.value.name == "plotclient.sampledata.iris"

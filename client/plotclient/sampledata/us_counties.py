"""Outlines of the US counties.

``data``: dict keyed by ``(state_fips, county_fips)`` ints, e.g. ``(48, 201)``; each value is
``{"name", "state", "lats", "lons"}``: ``state`` is the lower-case postal code (``"tx"``) and
``lats``/``lons`` are lists of floats tracing the outline, separate parts split by a NaN.
As in 0.10, which needed a download for it.

Adapted: bokeh-sampledata gives ``lats``/``lons`` as numpy arrays (lists here, as in 0.10) and
adds a ``detailed_name`` key that 0.10 did not have (left out). The table takes about half a
second to build, so it is built when ``data`` is first used, not on import.
"""

from . import _source

_us_counties = _source("us_counties")


def _as_0_10(county: dict) -> dict:
    return {"name": county["name"], "state": county["state"],
            "lats": county["lats"].tolist(), "lons": county["lons"].tolist()}


def __getattr__(name: str):
    if name != "data":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    data = {key: _as_0_10(county) for key, county in _us_counties.data.items()}
    globals()["data"] = data
    return data


def __dir__():
    return sorted(set(globals()) | {"data"})

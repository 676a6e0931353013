"""Outlines of the US states and DC.

``data``: dict keyed by the two-letter postal code (``"CA"``, ``"TX"``, ... 51 entries); each
value is ``{"name", "region", "lats", "lons"}``, where ``lats``/``lons`` are lists of floats
tracing the outline, separate parts (islands) split by a NaN. As in 0.10.

Adapted: bokeh-sampledata gives ``lats``/``lons`` as numpy arrays; here they are lists, as 0.10
had them.
"""

from . import _source

_us_states = _source("us_states")

data = {
    code: {"name": state["name"], "region": state["region"],
           "lats": state["lats"].tolist(), "lons": state["lons"].tolist()}
    for code, state in _us_states.data.items()
}

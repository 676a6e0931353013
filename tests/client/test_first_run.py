"""What a new user meets first: show() says where the plot is, PLOTSERVER_URL points scripts
at a server elsewhere, and every Python value a 0.10 script could put in a property or a
column is either sent as bokeh 0.10 sent it or refused naming the model and property."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import requests

from plotclient.errors import ValidationError
from plotclient.io import output_server, show
from plotclient.models import ColumnDataSource, Range1d
from plotclient.plotting import curdoc, cursession, figure

# Isolated from the real home, browser and environment (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("isolated_client")


def stored(server, model) -> dict:
    """The model's attributes as the server holds them."""
    docid = cursession().docid
    reply = requests.get(f"{server.url}/bokeh/bb/{docid}/{model.ref['type']}/{model.id}/",
                         timeout=5)
    reply.raise_for_status()
    return reply.json()


def test_show_without_a_browser_prints_where_the_plot_is(server, capsys):
    output_server("first run", url=server.url + "/")
    p = figure()
    p.line([1, 2, 3], [3, 1, 2])
    show(p)
    url = cursession().object_link(curdoc().context)
    assert f"The plot is at {url}\n" in capsys.readouterr().out
    assert requests.get(url, timeout=5).status_code == 200


def test_plotserver_url_names_the_default_server(server, monkeypatch):
    monkeypatch.setenv("PLOTSERVER_URL", server.url)  # no trailing slash: added
    session = output_server("from the environment")
    assert session.root_url == server.url + "/"
    titles = [d["title"] for d in requests.get(server.url + "/bokeh/userinfo/", timeout=5)
              .json()["docs"]]
    assert "from the environment" in titles


def test_integers_beyond_64_bits_go_as_json_numbers(server):
    """bokeh 0.10's json.dumps wrote their exact digits; orjson alone refuses them."""
    output_server("big ints", url=server.url + "/")
    p = figure(y_range=[0.001, 10**22], y_axis_type="log")
    p.line([1, 2, 3], [1, 10**10, 10**22])
    show(p)
    assert stored(server, p.y_range)["end"] == 1e22
    source = p.renderers[-1].data_source
    assert stored(server, source)["data"]["y"] == [1, 10**10, 1e22]


VALUES = [  # (value, what the server then holds)
    (10**22, 1e22), (-10**30, -1e30), (2**64 - 1, 2**64 - 1), (Decimal("2.5"), 2.5),
    *[(np.dtype(t).type(7), 7) for t in ("int8", "int16", "int32", "int64",
                                         "uint8", "uint16", "uint32", "uint64")],
    *[(np.dtype(t).type(0.5), 0.5) for t in ("float16", "float32", "float64", "longdouble")],
    (np.bool_(True), True), (((1, 2), (3, (4, 5))), [[1, 2], [3, [4, 5]]]), ({3}, [3]),
    (frozenset({4}), [4]),
]


@pytest.mark.parametrize("value, held", VALUES, ids=[repr(v) for v, _ in VALUES])
def test_python_values_in_a_property_and_a_column_round_trip(server, value, held):
    output_server("values", url=server.url + "/")
    source = ColumnDataSource(data={"v": [value]}, tags=[value])
    curdoc().add(source)
    cursession().store_document(curdoc())
    attributes = stored(server, source)
    assert attributes["tags"] == [held]
    column = attributes["data"]["v"]
    # a column goes through numpy first, as in 0.10: ints and bools may come back as numbers
    assert column == [held] or column == [float(held)] or column == [[*held]]


@pytest.mark.parametrize("value", [Fraction(1, 3), 1 + 2j, b"bytes", float("nan")],
                         ids=["Fraction", "complex", "bytes", "nan"])
def test_unsendable_values_are_refused_naming_model_and_property(server, value):
    output_server("refused", url=server.url + "/")
    r = Range1d(start=0, end=1)
    r.tags = [value]
    curdoc().add(r)
    with pytest.raises(ValidationError, match=r"^Range1d\.tags: "):
        cursession().store_document(curdoc())

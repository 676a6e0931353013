"""Assigning a bad value raises ValidationError naming the model and the property;
good values are normalised the way bokeh 0.10 did (MODELS.md 2.4, 2.5, 3.2)."""

from __future__ import annotations

import pytest

from plotclient.errors import ValidationError
from plotclient.models import (Circle, ColumnDataSource, GlyphRenderer, Legend, Line, Plot,
                               PlotContext, Range1d, Rect, Text)
from plotclient.models.widgets import Slider
from plotclient.properties import field, value


@pytest.mark.parametrize("make,where", [
    (lambda: Circle(size=[1, 2]), "Circle.size"),
    (lambda: Circle(size=-1), "Circle.size"),
    (lambda: Rect(width=-0.5), "Rect.width"),
    (lambda: Plot(plot_width="wide"), "Plot.plot_width"),
    (lambda: Plot(background_fill="notacolour"), "Plot.background_fill"),
    (lambda: Plot(toolbar_location="middle"), "Plot.toolbar_location"),
    (lambda: Legend(orientation="center"), "Legend.orientation"),
    (lambda: Line(line_dash="wiggly"), "Line.line_dash"),
    (lambda: Line(line_join="pointy"), "Line.line_join"),
    (lambda: Circle(fill_color=(300, 0, 0)), "Circle.fill_color"),
    (lambda: Circle(x={"fld": "x"}), "Circle.x"),
    (lambda: GlyphRenderer(glyph=ColumnDataSource()), "GlyphRenderer.glyph"),
    (lambda: PlotContext(children=[1]), "PlotContext.children"),
    (lambda: Slider(value="high"), "Slider.value"),
    (lambda: Range1d(start="a"), "Range1d.start"),
    (lambda: Plot(title=3), "Plot.title"),
])
def test_bad_values_name_model_and_property(make, where):
    with pytest.raises(ValidationError) as info:
        make()
    assert str(info.value).startswith(where + ": expected ")
    assert isinstance(info.value, ValueError)


def test_message_shows_the_value():
    with pytest.raises(ValidationError, match=r"Circle\.size: expected .*number.*, got \[1, 2\]"):
        Circle().size = [1, 2]


def test_assignment_after_construction_is_validated_too():
    c = Circle()
    with pytest.raises(ValidationError):
        c.line_width = [1]
    assert c.line_width == 1  # unchanged


def test_unknown_attributes_are_attribute_errors():
    with pytest.raises(AttributeError, match="unexpected attribute 'colour' to Circle, similar attributes are"):
        Circle(colour="red")
    with pytest.raises(AttributeError):
        Line().fill_color = "red"


@pytest.mark.parametrize("make,name,cls", [
    (lambda: Circle(update=5), "update", "Circle"),
    (lambda: Circle(select=None), "select", "Circle"),
    (lambda: Plot(add_glyph=1), "add_glyph", "Plot"),
    (lambda: Circle(properties=[]), "properties", "Circle"),
    (lambda: Circle(_values={}), "_values", "Circle"),
    (lambda: setattr(Circle(), "vm_serialize", None), "vm_serialize", "Circle"),
    (lambda: setattr(Circle(), "ref", {}), "ref", "Circle"),
])
def test_class_attributes_that_are_not_properties_cannot_be_set(make, name, cls):
    """PLOTTING.md 2.1/3.2: only properties may be given; a method name must not shadow
    the method on the instance."""
    with pytest.raises(AttributeError, match=f"unexpected attribute '{name}' to {cls}"):
        make()
    c = Circle()
    c.update(size=3)  # still the method
    assert c.size == 3 and callable(Circle().update)


def test_python_properties_with_setters_can_be_set():
    class Marked(Circle):
        @property
        def doubled(self):
            return self.size * 2

        @doubled.setter
        def doubled(self, v):
            self.size = v / 2

        @property
        def read_only(self):
            return 1

    m = Marked(doubled=10)
    assert m.size == 5 and m.doubled == 10
    with pytest.raises(AttributeError, match="'read_only' to Marked"):
        m.read_only = 2
    m._scratch = 1  # private names stay available to the code
    assert m._scratch == 1


def test_spec_dicts_are_copied():
    spec = {"field": "r", "units": "screen"}
    a, b = Circle(radius=spec), Circle(radius=spec)
    assert a.radius == spec and a.radius is not spec and a.radius is not b.radius
    spec["field"] = "changed"
    a.radius["units"] = "data"
    assert b.vm_serialize()["radius"] == {"field": "r", "units": "screen"}
    colour = {"value": "red"}
    assert Circle(fill_color=colour).fill_color is not colour


@pytest.mark.parametrize("dash,expected", [
    ("solid", []), ("dashed", [6]), ("dotted", [2, 4]), ("dotdash", [2, 4, 6, 4]),
    ("dashdot", [6, 4, 2, 4]), ("4 2", [4, 2]), ([3, 1], [3, 1]),
])
def test_dash_patterns(dash, expected):
    assert Line(line_dash=dash).vm_serialize()["line_dash"] == expected


@pytest.mark.parametrize("given,sent", [
    ("red", {"value": "red"}), ("Red", {"value": "Red"}), ("#00ff00", {"value": "#00ff00"}),
    ("#f00", {"field": "#f00"}), ("colors", {"field": "colors"}),
    ((255, 0, 0), {"value": "rgb(255, 0, 0)"}), ((0, 0, 255, 0.5), {"value": "rgba(0, 0, 255, 0.5)"}),
    (None, None), ({"field": "c"}, {"field": "c"}),
])
def test_color_specs(given, sent):
    assert Circle(fill_color=given).vm_serialize()["fill_color"] == sent


def test_plain_colours_send_tuples_as_arrays():
    assert Plot(background_fill=(10, 20, 30)).vm_serialize()["background_fill"] == [10, 20, 30]


def test_number_and_distance_specs():
    attrs = Circle(x=1, y="ycol", size=5, radius={"value": 2, "units": "screen"}).vm_serialize()
    assert attrs["x"] == {"value": 1} and attrs["y"] == {"field": "ycol"}
    assert attrs["size"] == {"value": 5, "units": "screen"}
    assert attrs["radius"] == {"value": 2, "units": "screen"}
    assert attrs["radius_units"] == "screen"  # set as a side effect (MODELS.md 3.2)
    assert Circle(radius=0.5).vm_serialize()["radius"] == {"value": 0.5, "units": "data"}
    assert Circle(radius=0.5, radius_units="screen").vm_serialize()["radius"] == {"value": 0.5, "units": "screen"}
    assert Rect(angle=30, angle_units="deg").vm_serialize()["angle"] == {"value": 30, "units": "deg"}
    assert Circle(angle=1).vm_serialize()["angle"] == {"value": 1}  # markers: no units


def test_string_and_font_size_specs():
    assert Text(text="col").vm_serialize()["text"] == {"field": "col"}
    assert Text(text=["abc"]).vm_serialize()["text"] == {"value": "abc"}
    assert Text(text=value("abc")).vm_serialize()["text"] == {"value": "abc"}
    with pytest.warns(DeprecationWarning):
        assert Text(text_font_size="10pt").vm_serialize()["text_font_size"] == {"value": "10pt"}
    assert Text(text_font_size=value("10pt")).vm_serialize()["text_font_size"] == {"value": "10pt"}
    assert Text(text_font_size="sizes").vm_serialize()["text_font_size"] == {"field": "sizes"}
    assert field("a") == {"field": "a"} and value(1) == {"value": 1}


def test_none_is_sent_as_null():
    attrs = Circle(line_color=None, fill_alpha=None).vm_serialize()
    assert attrs["line_color"] is None and attrs["fill_alpha"] is None

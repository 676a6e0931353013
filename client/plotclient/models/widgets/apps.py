"""SimpleApp and the other Python-only registered names (MODELS.md 4.16, 4.17)."""

from ...model import Model
from ...properties import Dict, Either, Instance, List, String
from .base import Widget


class SimpleApp(Widget):
    objects = Dict(String, Either(String, Instance(Model)))
    widget_list = List(Instance(Widget))
    layout = Instance("BaseBox")

"""Browser-side callbacks (MODELS.md 4.15)."""

from ..model import Model
from ..properties import Dict, Instance, String


class Callback(Model, abstract=True):
    pass


class CustomJS(Callback):
    args = Dict(String, Instance(Model), help="name -> model available inside code")
    code = String(help="JavaScript function body; receives cb_obj (and cb_data)")


class OpenURL(Callback):
    url = String("http://", help="URL template; @column is replaced from the selected row")

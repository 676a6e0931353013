"""Markup, tabs, dialogs and icons (MODELS.md 4.16)."""

from ...properties import Bool, Either, Enum, Float, Instance, Int, List, String
from .base import Widget


class Markup(Widget, abstract=True):
    pass


class Paragraph(Markup):
    text = String()
    width = Int(500)
    height = Int(400)


class PreText(Paragraph):
    pass


class Panel(Widget):
    title = String()
    child = Instance(Widget, help="the widget/plot shown in the tab")
    closable = Bool(False)


class Tabs(Widget):
    tabs = List(Instance(Panel))
    active = Int(0)
    callback = Instance("Callback")


class Dialog(Widget):
    visible = Bool(False)
    closable = Bool(True)
    title = String()
    content = Either(String, Instance("BaseBox"))
    buttons = List(Instance("Button"))
    buttons_box = Instance("BaseBox")

    def __init__(self, **kwargs):
        # the buttons are shown in an HBox sent as buttons_box
        if "buttons" in kwargs and "buttons_box" not in kwargs:
            from .layouts import HBox
            kwargs["buttons_box"] = HBox(children=list(kwargs["buttons"]))
        super().__init__(**kwargs)


class AbstractIcon(Widget, abstract=True):
    pass


class Icon(AbstractIcon):
    flip = Enum("horizontal", "vertical", default=None)
    size = Float()
    spin = Bool(False)

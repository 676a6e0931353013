"""Buttons and groups (MODELS.md 4.16 "Buttons", "Groups"), with 0.10's on_click."""

from ...properties import Bool, Enum, Instance, Int, List, String, Tuple
from .._enums import BUTTON_TYPES
from .base import Widget


class AbstractButton(Widget, abstract=True):
    label = String("Button")
    type = Enum(*BUTTON_TYPES, help="Bootstrap-like button flavour")
    icon = Instance("AbstractIcon")
    callback = Instance("Callback")


class Button(AbstractButton):
    clicks = Int(0, help="click counter incremented by the browser")

    def on_click(self, handler):
        """Call handler() when the browser reports a click (merged from the server)."""
        self.on_change("clicks", lambda obj, attr, old, new: handler())


class Toggle(AbstractButton):
    active = Bool(False)

    def on_click(self, handler):
        """Call handler(active) when the toggle state changes."""
        self.on_change("active", lambda obj, attr, old, new: handler(new))


class Dropdown(AbstractButton):
    menu = List(Tuple(String, String), help="[label, value] items")
    value = String()
    default_value = String()

    def on_click(self, handler):
        """Call handler(value) when a menu item is chosen."""
        self.on_change("value", lambda obj, attr, old, new: handler(new))


class AbstractGroup(Widget, abstract=True):
    labels = List(String, help="one label per button/checkbox")

    def on_click(self, handler):
        """Call handler(active) when the selection changes."""
        self.on_change("active", lambda obj, attr, old, new: handler(new))


class Group(AbstractGroup, abstract=True):
    inline = Bool(False)


class ButtonGroup(AbstractGroup, abstract=True):
    type = Enum(*BUTTON_TYPES)


class CheckboxGroup(Group):
    active = List(Int, help="indices of the checked boxes")


class RadioGroup(Group):
    active = Int(help="index of the selected button")


class CheckboxButtonGroup(ButtonGroup):
    active = List(Int)


class RadioButtonGroup(ButtonGroup):
    active = Int()

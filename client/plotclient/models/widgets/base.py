"""The abstract Widget base (Plot is a Widget too in 0.10)."""

from ...model import Model
from ...properties import Bool


class Widget(Model, abstract=True):
    disabled = Bool(False, help="shown greyed out / not interactive")

"""Layout widgets (MODELS.md 4.16 "Layouts")."""

from ...properties import Either, Instance, Int, List, String
from .base import Widget


class Layout(Widget, abstract=True):
    width = Int()
    height = Int()


class BaseBox(Layout, abstract=True):
    children = List(Instance(Widget), help="ordered child widgets/plots")

    def __init__(self, *children, **kwargs):
        # HBox(a, b) is allowed as well as HBox(children=[a, b])
        if children:
            if "children" in kwargs:
                raise ValueError("give children positionally or as a keyword, not both")
            kwargs["children"] = list(children)
        super().__init__(**kwargs)


class HBox(BaseBox):
    pass


class VBox(BaseBox):
    pass


class VBoxForm(VBox):
    pass


class _AppBox(BaseBox, abstract=True):
    """SimpleApp layouts: children may be names of SimpleApp objects."""

    app = Instance("SimpleApp")
    children = List(Either(String, Instance(Widget)))


class AppHBox(_AppBox, HBox):
    pass


class AppVBox(_AppBox, VBox):
    pass


class AppVBoxForm(_AppBox, VBoxForm):
    pass

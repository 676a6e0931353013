"""Data tables, their columns, cell formatters and editors (MODELS.md 4.16)."""

from ...model import Model
from ...properties import Bool, Color, Either, Enum, Float, Instance, Int, List, String, new
from .._enums import NUMERAL_LANGUAGES, ROUNDING
from .base import Widget


class CellFormatter(Model, abstract=True):
    pass


class StringFormatter(CellFormatter):
    font_style = Enum("normal", "italic", "bold")
    text_align = Enum("left", "right", "center")
    text_color = Color()


class NumberFormatter(StringFormatter):
    format = String("0,0")
    language = Enum(*NUMERAL_LANGUAGES, default="en")
    rounding = Enum(*ROUNDING)


class BooleanFormatter(CellFormatter):
    icon = Enum("check", "check-circle", "check-circle-o", "check-square", "check-square-o")


class DateFormatter(CellFormatter):
    format = String("yy M d")


class CellEditor(Model, abstract=True):
    pass


class StringEditor(CellEditor):
    completions = List(String)


class TextEditor(CellEditor):
    pass


class SelectEditor(CellEditor):
    options = List(String)


class PercentEditor(CellEditor):
    pass


class CheckboxEditor(CellEditor):
    pass


class IntEditor(CellEditor):
    step = Int(1)


class NumberEditor(CellEditor):
    step = Float(0.01)


class TimeEditor(CellEditor):
    pass


class DateEditor(CellEditor):
    pass


class TableColumn(Model):
    field = String(help="data column shown")
    title = String(help="header text")
    width = Int(300)
    formatter = Instance(CellFormatter, default=new(StringFormatter))
    editor = Instance(CellEditor, default=new(StringEditor))
    sortable = Bool(True)
    default_sort = Enum("ascending", "descending")


class TableWidget(Widget, abstract=True):
    source = Instance("DataSource", help="the ColumnDataSource shown")


class DataTable(TableWidget):
    columns = List(Instance(TableColumn))
    width = Int()
    height = Either(Int, Enum("auto"), default=400)
    fit_columns = Bool(True)
    sortable = Bool(True)
    editable = Bool(False)
    selectable = Either(Bool, Enum("checkbox"), default=True)
    row_headers = Bool(True)

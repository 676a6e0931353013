"""Widget models (PLOTTING.md 7): ``from plotclient.models.widgets import Slider, ...``."""

from .base import Widget
from .layouts import Layout, BaseBox, HBox, VBox, VBoxForm, AppHBox, AppVBox, AppVBoxForm
from .inputs import (InputWidget, Slider, TextInput, AutocompleteInput, Select, MultiSelect,
                     DatePicker, DateRangeSlider)
from .buttons import (AbstractButton, Button, Toggle, Dropdown, AbstractGroup, Group,
                      ButtonGroup, CheckboxGroup, RadioGroup, CheckboxButtonGroup,
                      RadioButtonGroup)
from .markups import Markup, Paragraph, PreText, Panel, Tabs, Dialog, AbstractIcon, Icon
from .tables import (CellFormatter, StringFormatter, NumberFormatter, BooleanFormatter,
                     DateFormatter, CellEditor, StringEditor, TextEditor, SelectEditor,
                     PercentEditor, CheckboxEditor, IntEditor, NumberEditor, TimeEditor,
                     DateEditor, TableColumn, TableWidget, DataTable)
from .apps import SimpleApp

__all__ = [name for name in dir() if not name.startswith("_")]

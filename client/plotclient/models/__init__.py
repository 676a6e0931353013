"""Every model type of MODELS.md section 4, importable as ``plotclient.models.X``.

One module per family; importing this package registers all wire types (needed before
loading JSON)."""

from ..model import Model
from .callbacks import Callback, CustomJS, OpenURL
from .sources import (DataSource, ColumnDataSource, RemoteSource, AjaxDataSource,
                      BlazeDataSource, ServerDataSource)
from .ranges import Range, Range1d, DataRange, DataRange1d, FactorRange
from .renderers import Renderer, GlyphRenderer, GuideRenderer
from .glyphs import (Glyph, Line, MultiLine, Patch, Patches, Quad, Rect, Segment, Ray, Oval,
                     Wedge, AnnularWedge, Annulus, Arc, Bezier, Quadratic, Text, Image,
                     ImageRGBA, ImageURL, Gear)
from .markers import (Marker, Asterisk, Circle, CircleCross, CircleX, Cross, Diamond,
                      DiamondCross, InvertedTriangle, Square, SquareCross, SquareX, Triangle, X)
from .tickers import (Ticker, AdaptiveTicker, BasicTicker, LogTicker, FixedTicker,
                      CompositeTicker, SingleIntervalTicker, DaysTicker, MonthsTicker,
                      YearsTicker, CategoricalTicker, DatetimeTicker)
from .formatters import (TickFormatter, BasicTickFormatter, NumeralTickFormatter,
                         PrintfTickFormatter, LogTickFormatter, DatetimeTickFormatter,
                         CategoricalTickFormatter)
from .axes import Axis, ContinuousAxis, LinearAxis, LogAxis, CategoricalAxis, DatetimeAxis, Grid
from .annotations import Annotation, Legend, BoxAnnotation, BoxSelectionOverlay
from .mappers import ColorMapper, LinearColorMapper
from .tools import (ToolEvents, Tool, PanTool, WheelZoomTool, BoxZoomTool, CrosshairTool,
                    ResizeTool, ResetTool, PreviewSaveTool, HelpTool, HoverTool, TapTool,
                    BoxSelectTool, LassoSelectTool, PolySelectTool)
from .plots import PlotContext, PlotList, Plot, GridPlot, MapPlot, GMapPlot, GeoJSPlot, Chart
from .widgets import *  # noqa: F401,F403 - widgets are models too (bokeh.models exports them)
from .other import ChartOptions, CrossFilter, AppLayout

__all__ = [name for name in dir() if not name.startswith("_") and name[0].isupper()]

"""The glyph methods of `Figure` (PLOTTING.md 3): argument processing that turns
``p.circle(x, y, size=[...], color="navy", legend="pts")`` into a GlyphRenderer with a
glyph, a nonselection glyph, a data source and legend/selection-tool bookkeeping."""

from __future__ import annotations

from .models import glyphs as _glyphs, markers as _markers
from .models.annotations import Legend
from .models.renderers import GlyphRenderer
from .models.sources import ColumnDataSource, DataSource
from .models.tools import BoxSelectTool
from .properties import ColorSpec, DataSpec, column_values, is_color_value, is_column_like

DEFAULT_COLOR = "#1f77b4"   # 0.10 uses the first palette colour for every glyph
NONSELECTION_ALPHA = 0.1

# method name -> (glyph class, positional parameters)
GLYPHS = {
    "annular_wedge": (_glyphs.AnnularWedge, ("x", "y", "inner_radius", "outer_radius", "start_angle", "end_angle")),
    "annulus": (_glyphs.Annulus, ("x", "y", "inner_radius", "outer_radius")),
    "arc": (_glyphs.Arc, ("x", "y", "radius", "start_angle", "end_angle")),
    "asterisk": (_markers.Asterisk, ("x", "y")),
    "bezier": (_glyphs.Bezier, ("x0", "y0", "x1", "y1", "cx0", "cy0", "cx1", "cy1")),
    "circle": (_markers.Circle, ("x", "y")),
    "circle_cross": (_markers.CircleCross, ("x", "y")),
    "circle_x": (_markers.CircleX, ("x", "y")),
    "cross": (_markers.Cross, ("x", "y")),
    "diamond": (_markers.Diamond, ("x", "y")),
    "diamond_cross": (_markers.DiamondCross, ("x", "y")),
    "image": (_glyphs.Image, ("image", "x", "y", "dw", "dh")),
    "image_rgba": (_glyphs.ImageRGBA, ("image", "x", "y", "dw", "dh")),
    "image_url": (_glyphs.ImageURL, ("url", "x", "y")),
    "inverted_triangle": (_markers.InvertedTriangle, ("x", "y")),
    "line": (_glyphs.Line, ("x", "y")),
    "multi_line": (_glyphs.MultiLine, ("xs", "ys")),
    "oval": (_glyphs.Oval, ("x", "y", "width", "height")),
    "patch": (_glyphs.Patch, ("x", "y")),
    "patches": (_glyphs.Patches, ("xs", "ys")),
    "quad": (_glyphs.Quad, ("left", "right", "top", "bottom")),
    "quadratic": (_glyphs.Quadratic, ("x0", "y0", "x1", "y1", "cx", "cy")),
    "ray": (_glyphs.Ray, ("x", "y", "length", "angle")),
    "rect": (_glyphs.Rect, ("x", "y", "width", "height")),
    "segment": (_glyphs.Segment, ("x0", "y0", "x1", "y1")),
    "square": (_markers.Square, ("x", "y")),
    "square_cross": (_markers.SquareCross, ("x", "y")),
    "square_x": (_markers.SquareX, ("x", "y")),
    "text": (_glyphs.Text, ("x", "y", "text")),
    "triangle": (_markers.Triangle, ("x", "y")),
    "wedge": (_glyphs.Wedge, ("x", "y", "radius", "start_angle", "end_angle")),
    "x": (_markers.X, ("x", "y")),
}

MARKERS = ("asterisk", "circle", "circle_cross", "circle_x", "cross", "diamond", "diamond_cross",
           "inverted_triangle", "square", "square_x", "square_cross", "triangle", "x")
MARKER_ALIASES = {"*": "asterisk", "+": "cross", "o": "circle", "ox": "circle_x", "o+": "circle_cross"}

_RENDERER_KEYWORDS = ("name", "x_range_name", "y_range_name", "level")


def _take_color_alpha(glyph_cls, kwargs: dict, prefix: str, default_alpha: float) -> dict:
    """Step 3/4 of PLOTTING.md 3.2: `color`/`alpha` (with `prefix`) supply the glyph's
    fill/line colours and fill/line/text alphas unless those are given; text colour
    defaults to black.  Only members the glyph has are returned (and popped)."""
    props = glyph_cls._properties
    result = {}
    color = kwargs.pop(prefix + "color", DEFAULT_COLOR)
    for name in ("fill_color", "line_color"):
        if name in props:
            result[name] = kwargs.pop(prefix + name, color)
    if "text_color" in props:
        result["text_color"] = kwargs.pop(prefix + "text_color", "black")
    alpha = kwargs.pop(prefix + "alpha", default_alpha)
    for name in ("fill_alpha", "line_alpha", "text_alpha"):
        if name in props:
            result[name] = kwargs.pop(prefix + name, alpha)
    return result


def _columns_from_sequences(glyph_cls, values: dict, source: ColumnDataSource,
                            taken: frozenset = frozenset(), prefix: str = "") -> None:
    """Step 6: every sequence given for a dataspec becomes a column named after the
    property, and the property becomes that column's name.  A name in `taken` gets
    `prefix` in front (see `make_glyph`)."""
    props = glyph_cls._properties
    for name, val in list(values.items()):
        prop = props.get(name)
        if not isinstance(prop, DataSpec) or not is_column_like(val):
            continue
        if isinstance(prop, ColorSpec) and isinstance(val, tuple) and prop.accepts(val):
            continue  # an (r, g, b) colour, not a column
        if getattr(val, "ndim", 1) > 1:
            raise RuntimeError(f"Columns need to be 1D ({name} is not)")
        if not isinstance(source, ColumnDataSource):
            raise RuntimeError(f"cannot add column {name!r} to a {type(source).__name__}")
        column = prefix + name if name in taken else name
        source.add(column_values(val), name=column)
        values[name] = column


def _fields_read(glyph_cls, values: dict) -> frozenset:
    """The column names that these (processed) glyph values take data from."""
    props = glyph_cls._properties
    fields = set()
    for name, val in values.items():
        prop = props.get(name)
        if not isinstance(prop, DataSpec):
            continue
        if isinstance(val, dict) and isinstance(val.get("field"), str):
            fields.add(val["field"])
        elif isinstance(val, str) and not (isinstance(prop, ColorSpec) and is_color_value(val)):
            fields.add(val)
    return frozenset(fields)


def make_glyph(plot, method: str, args: tuple, kwargs: dict) -> GlyphRenderer:
    """Run one glyph method on `plot` (a Figure); returns the new GlyphRenderer."""
    glyph_cls, params = GLYPHS[method]
    kwargs = dict(kwargs)
    legend = kwargs.pop("legend", None)
    source = kwargs.pop("source", None)
    if source is None:
        source = ColumnDataSource()
    elif not isinstance(source, DataSource):
        source = ColumnDataSource(source)  # a dict or DataFrame, as a convenience
    renderer_kw = {}
    for key in _RENDERER_KEYWORDS:
        val = kwargs.pop(key, None)
        if val:
            renderer_kw[key] = val
    glyph_ca = _take_color_alpha(glyph_cls, kwargs, "", 1.0)
    nonselection_ca = _take_color_alpha(glyph_cls, kwargs, "nonselection_", NONSELECTION_ALPHA)

    if len(args) > len(params):
        raise TypeError(f"{method}() takes at most {len(params)} positional arguments "
                        f"({', '.join(params)}), {len(args)} given")
    for name, val in zip(params, args):
        if name in kwargs:
            raise TypeError(f"{method}() got multiple values for {name!r}")
        kwargs[name] = val
    missing = [name for name in params if name not in kwargs]
    if missing:
        raise RuntimeError(f"Missing required glyph parameters: {', '.join(missing)}")

    _columns_from_sequences(glyph_cls, kwargs, source)
    _columns_from_sequences(glyph_cls, glyph_ca, source)
    # 0.10 named a nonselection colour/alpha column after the property as well, so
    # fill_color=[...] with nonselection_fill_color=[...] overwrote the main glyph's
    # column (and listed "fill_color" twice).  We keep that name when it is free, and
    # use "nonselection_<prop>" when the main glyph reads a column of that name.
    main_fields = _fields_read(glyph_cls, {**kwargs, **glyph_ca})
    _columns_from_sequences(glyph_cls, nonselection_ca, source, main_fields, "nonselection_")

    glyph = glyph_cls(**kwargs, **glyph_ca)
    nonselection_glyph = glyph_cls(**kwargs, **nonselection_ca)
    renderer = GlyphRenderer(data_source=source, glyph=glyph, nonselection_glyph=nonselection_glyph,
                             **renderer_kw)
    if legend:
        _add_to_legend(plot, legend, renderer)
    for tool in plot.tools:
        if isinstance(tool, BoxSelectTool):
            tool.renderers = tool.renderers + [renderer]
    plot.renderers = plot.renderers + [renderer]
    return renderer


def _add_to_legend(plot, label: str, renderer: GlyphRenderer) -> None:
    """Step 9: the plot's one Legend (made on first use) lists the renderer under
    `label`; labels keep first-use order."""
    legends = plot.legend
    if len(legends) > 1:
        raise RuntimeError("the plot has more than one Legend; use legend=None and add "
                           "renderers to the one you want")
    if legends:
        legend = legends[0]
    else:
        legend = Legend(plot=plot)
        plot.renderers = plot.renderers + [legend]
    rows = [(name, list(renderers)) for name, renderers in legend.legends]
    for name, renderers in rows:
        if name == label:
            renderers.append(renderer)
            break
    else:
        rows.append((label, [renderer]))
    legend.legends = rows


def glyph_method(method: str):
    """A Figure method running `make_glyph` for `method` (with a useful docstring)."""
    glyph_cls, params = GLYPHS[method]

    def func(self, *args, **kwargs):
        return make_glyph(self, method, args, kwargs)

    func.__name__ = method
    func.__doc__ = (f"{method}({', '.join(params)}, **kwargs): add a {glyph_cls.__name__} glyph; "
                    "returns its GlyphRenderer (PLOTTING.md 3).")
    return func


def scatter(self, *args, marker: str = "circle", **kwargs):
    """scatter(x, y, marker="circle", **kwargs): one of the marker methods."""
    name = MARKER_ALIASES.get(marker, marker)
    if name not in MARKERS:
        raise ValueError(f"scatter() does not know the marker {marker!r}; markers() prints "
                         "the names it accepts")
    return make_glyph(self, name, args, kwargs)


def markers() -> None:
    """Print the marker names scatter() accepts, then the short forms."""
    print("scatter(marker=...) accepts: " + ", ".join(MARKERS))
    print("short forms: " + ", ".join(f"{alias} = {name}" for alias, name in MARKER_ALIASES.items()))


"""The `Model` base class: properties declared as data, ids, references, the
"changed-only" serialization of MODELS.md 1.4, change callbacks and the type registry.

A subclass declares its properties as class attributes (``size = NumberSpec(4)``) and
may list visual property groups in ``_visuals`` (``(("", "line"), ("title_", "text"))``,
MODELS.md 3.5).  Every concrete subclass is registered under its wire type name
(`_wire_type`), which is the class name unless the class says otherwise
(``view_model="Plot"``); a ``subtype`` (Figure, kept in `_wire_subtype`) is sent in
references and envelopes.  Abstract bases pass ``abstract=True`` and are never put on
the wire.

Only declared properties can be assigned on an instance (plus Python properties that
have a setter, and ``_private`` names used internally): a misspelt or foreign name is
an AttributeError, never a silent new attribute or a shadowed method.
"""

from __future__ import annotations

import difflib
import itertools
import os
import uuid

from .properties import (Property, Int, String, Enum, ColorSpec, NumberSpec, FontSizeSpec,
                         DashPattern, List, Tuple, AngleSpec, DistanceSpec)

__all__ = ["Model", "make_id", "visual_group"]

_simple_ids = itertools.count(1001)


def make_id() -> str:
    """A uuid4 string, or sequential ids from 1001 with BOKEH_SIMPLE_IDS=yes (1.3)."""
    if os.environ.get("BOKEH_SIMPLE_IDS", "").lower() in ("yes", "1", "true"):
        return str(next(_simple_ids))
    return str(uuid.uuid4())


# -- visual property groups (MODELS.md 3.5) ---------------------------------------------

_TEXT_ALIGN = ("left", "right", "center")
_TEXT_BASELINE = ("bottom", "top", "middle", "alphabetic", "hanging")


def visual_group(kind: str, prefix: str = "") -> dict[str, Property]:
    """The properties of one group ("line", "fill" or "text") with their Python
    defaults; the colour/width/alpha/size members are dataspecs."""
    if kind == "line":
        props = {
            "line_color": ColorSpec("black"),
            "line_width": NumberSpec(1),
            "line_alpha": NumberSpec(1.0),
            "line_join": Enum("miter", "round", "bevel"),
            "line_cap": Enum("butt", "round", "square"),
            "line_dash": DashPattern(),
            "line_dash_offset": Int(0),
        }
    elif kind == "fill":
        props = {"fill_color": ColorSpec("gray"), "fill_alpha": NumberSpec(1.0)}
    elif kind == "text":
        props = {
            "text_font": String("Helvetica"),
            "text_font_size": FontSizeSpec("12pt"),
            "text_font_style": Enum("normal", "italic", "bold"),
            "text_color": ColorSpec("#444444"),
            "text_alpha": NumberSpec(1.0),
            "text_align": Enum(*_TEXT_ALIGN),
            "text_baseline": Enum(*_TEXT_BASELINE),
        }
    else:
        raise ValueError(f"unknown visual group {kind!r}")
    return {prefix + name: prop for name, prop in props.items()}


class _Unset:
    def __repr__(self):
        return "<unset>"


_UNSET = _Unset()


def _same(a, b) -> bool:
    """Equality that never raises (numpy arrays compare element-wise)."""
    if a is b:
        return True
    try:
        return bool(a == b)
    except Exception:
        return False


def _collect_models(value, out: list) -> None:
    """Append every model found inside `value` (lists, tuples, dicts) to `out`."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Model):
            out.append(item)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def _refs_to_json(value):
    """Replace models by their reference dicts, inside containers too."""
    if isinstance(value, Model):
        return value.ref
    if isinstance(value, (list, tuple)):
        return [_refs_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _refs_to_json(v) for k, v in value.items()}
    return value


class Model:
    """Base of every plot object (bokeh 0.10's PlotObject)."""

    _registry: dict[str, type] = {}
    _subtypes: dict[tuple[str, str], type] = {}
    _properties: dict[str, Property] = {}
    _visuals: tuple = ()
    _wire_type = "Model"        # the "type" written in references and envelopes
    _wire_subtype = None        # the optional "subtype" (Figure, Chart)
    _is_abstract = True

    # common properties of every model
    name = String(help="a name to find the object by (select)")
    tags = List(help="arbitrary values to find the object by (select)")

    def __init_subclass__(cls, abstract: bool = False, view_model: str | None = None,
                          subtype: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._is_abstract = abstract
        cls._wire_type = view_model or cls.__name__
        cls._wire_subtype = subtype
        # visual groups declared on this class become ordinary class attributes
        for prefix, kind in cls.__dict__.get("_visuals", ()):
            for name, prop in visual_group(kind, prefix).items():
                if name not in cls.__dict__:
                    prop.__set_name__(cls, name)
                    setattr(cls, name, prop)
        props: dict[str, Property] = {}
        for klass in reversed(cls.__mro__):
            for name, attr in vars(klass).items():
                if isinstance(attr, Property):
                    props[name] = attr
                elif name in props:
                    del props[name]  # a subclass replaced the property by something else
        cls._properties = props
        cls._ref_props = tuple(n for n, p in props.items() if p.holds_refs())
        cls._model_defaults = tuple(n for n, p in props.items() if p.makes_models())
        if not abstract:
            if subtype:
                Model._subtypes[(cls._wire_type, subtype)] = cls
            else:
                Model._registry[cls._wire_type] = cls

    # -- construction ---------------------------------------------------------------------
    def __init__(self, **kwargs):
        self._init_state(kwargs.pop("id", None) or kwargs.pop("_id", None))
        for name in self._model_defaults:
            if name not in kwargs:
                self._values[name] = self._properties[name].default_value()
        for key, val in kwargs.items():
            if key.startswith("_"):  # private names are for the code, not for keywords
                raise AttributeError(self._unexpected(key))
            setattr(self, key, val)

    def _init_state(self, model_id: str | None = None) -> None:
        object.__setattr__(self, "_id", model_id or make_id())
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_assigned", set())
        object.__setattr__(self, "_callbacks", {})
        object.__setattr__(self, "_extra", {})   # loaded attributes this class lacks
        object.__setattr__(self, "_dirty", True)

    @classmethod
    def _blank(cls, model_id: str) -> "Model":
        """An instance without defaults, for loading from JSON (no fresh sub-models)."""
        obj = cls.__new__(cls)
        obj._init_state(model_id)
        return obj

    # -- registry --------------------------------------------------------------------------
    @classmethod
    def class_for(cls, type_name: str, subtype: str | None = None, abstract_ok: bool = False):
        """The class registered for a wire type (and subtype); abstract classes by name
        only if `abstract_ok`."""
        if subtype is not None:
            found = Model._subtypes.get((type_name, subtype))
            if found is not None:
                return found
        found = Model._registry.get(type_name)
        if found is None and abstract_ok:
            found = _find_subclass(Model, type_name)
        if found is None:
            raise KeyError(f"unknown model type {type_name!r}")
        return found

    @classmethod
    def properties(cls) -> list[str]:
        return list(cls._properties)

    # -- identity ----------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._id

    @property
    def ref(self) -> dict:
        """The reference object of MODELS.md 1.2."""
        ref = {"type": self._wire_type, "id": self._id}
        if self._wire_subtype:
            ref["subtype"] = self._wire_subtype
        return ref

    def __repr__(self):
        return f"{type(self).__name__}(id={self._id!r})"

    # -- attribute access --------------------------------------------------------------------
    def __setattr__(self, name, value):
        if name.startswith("_") or name in self._properties or _has_setter(type(self), name):
            object.__setattr__(self, name, value)
            return
        # anything else - an unknown name, a method (`update`), a glyph method of Figure
        # (`text`) - would only shadow the class attribute on this instance
        raise AttributeError(self._unexpected(name))

    def _unexpected(self, name: str) -> str:
        similar = difflib.get_close_matches(name, self._properties, n=5)
        text = f"unexpected attribute {name!r} to {type(self).__name__}"
        if similar:
            return f"{text}, similar attributes are {', '.join(similar)}"
        return f"{text}, possible attributes are {', '.join(sorted(self._properties))}"

    def _get_property(self, name: str):
        try:
            return self._values[name]
        except KeyError:
            pass
        prop = self._properties[name]
        value = prop.default_value()
        if prop.container:
            # keep the fresh container so that in-place edits (ds.data['y'] = ...) stick
            self._values[name] = value
        return value

    def _set_property(self, name: str, value) -> None:
        prop = self._properties[name]
        value = prop.validate(value, type(self).__name__)
        old = self._values.get(name, _UNSET)
        self._values[name] = value
        self._assigned.add(name)
        self._dirty = True
        if isinstance(value, dict) and "units" in value and isinstance(prop, (AngleSpec, DistanceSpec)):
            units_name = f"{name}_units"
            if units_name in self._properties:  # 3.2: a units key sets <prop>_units too
                setattr(self, units_name, value["units"])
        if self._callbacks.get(name):
            if old is _UNSET:
                old = prop.default_value()
            if not _same(old, value):
                self.trigger(name, old, value)

    def update(self, **kwargs) -> None:
        for key, val in kwargs.items():
            setattr(self, key, val)

    def changed_properties(self) -> set[str]:
        """Names of the properties ever assigned (the "changed-only" set)."""
        return set(self._assigned)

    # -- change callbacks --------------------------------------------------------------------
    def on_change(self, attr: str, callback, callbackname: str | None = None) -> None:
        """Call ``callback(model, attr, old, new)`` (or ``getattr(callback,
        callbackname)(model, attr, old, new)``, the 0.10 form) when `attr` changes,
        locally or through a merge from the server."""
        if attr not in self._properties:
            raise AttributeError(self._unexpected(attr))
        self._callbacks.setdefault(attr, []).append((callback, callbackname))

    def trigger(self, attr: str, old, new) -> None:
        for callback, callbackname in list(self._callbacks.get(attr, ())):
            if callbackname is not None:
                getattr(callback, callbackname)(self, attr, old, new)
            else:
                callback(self, attr, old, new)

    # -- references ---------------------------------------------------------------------------
    def references(self) -> set:
        """Every model reachable from this one, itself included."""
        seen: set = set()
        stack = [self]
        while stack:
            model = stack.pop()
            if model in seen:
                continue
            seen.add(model)
            for name in model._ref_props:
                value = model._values.get(name)
                if value is not None:
                    _collect_models(value, stack)
        return seen

    def select(self, selector):
        """Models reachable from this one that match `selector` (a generator;
        see plotclient.query)."""
        from .query import find
        return find(self.references(), selector)

    def select_one(self, selector):
        from .query import select_one
        return select_one(self.references(), selector)

    # -- serialization -------------------------------------------------------------------------
    def vm_serialize(self, changed_only: bool = True) -> dict:
        """The ``attributes`` of this model's envelope, without ``doc`` (MODELS.md 1.4):
        every property ever assigned, plus every container and reference property."""
        attrs = {}
        for name, prop in self._properties.items():
            if changed_only and name not in self._assigned and not prop.always_sent:
                continue
            value = self._get_property(name)
            if value is not None:
                value = prop.to_json(value, self)
                if prop.holds_refs():
                    value = _refs_to_json(value)
            attrs[name] = value
        for name, value in self._extra.items():
            attrs[name] = value
        attrs["id"] = self._id
        return attrs

    def to_envelope(self, docid: str | None = None) -> dict:
        attrs = self.vm_serialize()
        if docid is not None:
            attrs["doc"] = docid
        envelope = {"type": self._wire_type, "id": self._id}
        if self._wire_subtype:
            envelope["subtype"] = self._wire_subtype
        envelope["attributes"] = attrs
        return envelope

    def _load_attributes(self, attrs: dict, events: bool) -> None:
        """Set attributes that came from JSON (references already resolved), marking them
        assigned; fire change callbacks when `events` (used by Document.load/merge)."""
        for name, value in attrs.items():
            if name in ("id", "doc"):
                continue
            prop = self._properties.get(name)
            if prop is None:
                self._extra[name] = value
                continue
            if isinstance(prop, Tuple) and isinstance(value, list):
                value = tuple(value)
            old = self._values.get(name, _UNSET)
            self._values[name] = value
            self._assigned.add(name)
            if events and self._callbacks.get(name):
                if old is _UNSET:
                    old = prop.default_value()
                if not _same(old, value):
                    self.trigger(name, old, value)


def _has_setter(cls, name: str) -> bool:
    """True if `name` is a Python property of `cls` that can be assigned."""
    attr = getattr(cls, name, None)
    return isinstance(attr, property) and attr.fset is not None


def _find_subclass(root, name):
    for sub in root.__subclasses__():
        if sub.__name__ == name:
            return sub
        found = _find_subclass(sub, name)
        if found is not None:
            return found
    return None


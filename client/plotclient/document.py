"""`Document`: a PlotContext plus every model reachable from it (PLOTTING.md 4.1,
MODELS.md 1.1-1.5).

The document knows its models by id.  `dump()` writes them as envelopes; `load()` and
`merge()` read envelopes (from the server or a file) back: models that already exist
are updated in place (their `on_change` callbacks fire for changed attributes), new ones
are created without running their constructors, so loading an axis does not invent a
second ticker.
"""

from __future__ import annotations

import uuid

from . import models as _models  # noqa: F401 - registers every wire type for loading
from . import figure as _figure  # noqa: F401 - registers the Figure subtype
from .model import Model
from .models.plots import PlotContext

__all__ = ["Document", "DeserializationError"]

_CONTEXT_TYPES = ("PlotContext", "PlotList")


class DeserializationError(ValueError):
    """JSON that cannot become models: an unknown type, a dangling reference."""


def _is_ref(value) -> bool:
    """A reference object is recognised by shape, as BokehJS does (MODELS.md 1.2)."""
    return (isinstance(value, dict) and "id" in value and "type" in value
            and len(value) == (3 if "subtype" in value else 2))


def _check_one_context(envelopes) -> list:
    """The PlotContext envelopes among `envelopes` (at most one is allowed)."""
    contexts = [e for e in envelopes if e.get("type") in _CONTEXT_TYPES]
    if len(contexts) > 1:
        raise DeserializationError(f"a document has exactly one PlotContext; got {len(contexts)}")
    return contexts


class Document:
    def __init__(self, json_objs=None):
        self.docid = str(uuid.uuid4())
        self.autoadd = True     # figure() adds new plots to the document
        self.autostore = True   # layouts push at once when there is a session
        self._models: dict[str, Model] = {}
        self._current_plot = None
        self._context = PlotContext()
        self._models[self._context.id] = self._context
        if json_objs:
            self.load(*json_objs, dirty=True)

    # -- the root ---------------------------------------------------------------------------
    @property
    def context(self) -> PlotContext:
        return self._context

    @context.setter
    def context(self, value: PlotContext) -> None:
        self._models.pop(self._context.id, None)
        self._context = value
        self._models[value.id] = value

    # -- membership ---------------------------------------------------------------------------
    def add(self, *objs) -> None:
        """Make `objs` top-level objects of the document (appended to the PlotContext's
        children unless already there) and register everything they reference."""
        children = list(self._context.children)
        for obj in objs:
            if not isinstance(obj, Model):
                raise ValueError(f"only models can be added to a document, not {obj!r}")
            if not any(obj is child for child in children):
                children.append(obj)
            self._register(obj.references())
        if len(children) != len(self._context.children):
            self._context.children = children

    def _register(self, models) -> None:
        for model in models:
            self._models[model.id] = model

    def _refresh(self) -> None:
        """Register models that became reachable since they were added (glyphs added to
        a plot after figure() put the plot in the document)."""
        self._register(self._context.references())

    def clear(self) -> None:
        """Empty the PlotContext (keeping its id) and forget every other model."""
        self._context.children = []
        self._models = {self._context.id: self._context}
        self._current_plot = None

    def prune(self) -> None:
        """Keep only the models reachable from the PlotContext."""
        self._models = {m.id: m for m in self._context.references()}

    def get(self, model_id: str):
        """The model with this id, or None."""
        found = self._models.get(model_id)
        if found is None:
            self._refresh()
            found = self._models.get(model_id)
        return found

    def models(self) -> list:
        self._refresh()
        return list(self._models.values())

    def select(self, selector=None, **kwargs) -> list:
        from .query import find, normalize
        return list(find(self.models(), normalize(selector, **kwargs)))

    def select_one(self, selector=None, **kwargs):
        from .query import normalize, select_one
        return select_one(self.models(), normalize(selector, **kwargs))

    # -- writing --------------------------------------------------------------------------------
    def dump(self, *models) -> list[dict]:
        """Envelopes (MODELS.md 1.1) with ``doc`` = this document's id: of `models`, or of
        every model of the document when none are given."""
        if not models:
            models = self.models()
        return [model.to_envelope(self.docid) for model in models]

    # -- reading --------------------------------------------------------------------------------
    def load(self, *envelopes, events: str = "existing", dirty: bool = False) -> list:
        """Create or update models from envelopes; returns them in envelope order.

        `events`: "existing" fires `on_change` callbacks of models that already existed,
        "all" also of new ones, "none" fires nothing.  Loaded models are marked clean
        (they came from the server) unless `dirty`.  A PlotContext with another id becomes
        the document's PlotContext."""
        if events not in ("existing", "all", "none"):
            raise ValueError(f"events must be 'existing', 'all' or 'none', got {events!r}")
        self._refresh()
        _check_one_context(envelopes)
        created: dict[str, Model] = {}
        targets = [self._target(envelope, created) for envelope in envelopes]
        resolved = [(model, self._resolve_attributes(model, attrs, created), existed)
                    for model, attrs, existed in targets]
        self._register(created.values())
        for model, values, existed in resolved:
            self._apply(model, values, events == "all" or (events == "existing" and existed), dirty)
        return [model for model, _, _ in resolved]

    def _target(self, envelope: dict, created: dict) -> tuple:
        """Step 1 of `load`: (model, attributes, existed) for one envelope; a model the
        document lacks is created blank and put in `created`."""
        model_id = envelope.get("id") or envelope.get("attributes", {}).get("id")
        if not model_id:
            raise DeserializationError(f"envelope without an id: {envelope!r:.200}")
        model = self._models.get(model_id) or created.get(model_id)
        existed = model is not None
        if model is None:
            try:
                cls = Model.class_for(envelope["type"], envelope.get("subtype"))
            except KeyError as exc:
                raise DeserializationError(str(exc.args[0])) from None
            model = cls._blank(model_id)
            created[model_id] = model
        return model, envelope.get("attributes", {}), existed

    def _resolve_attributes(self, model: Model, attrs: dict, created: dict) -> dict:
        """Step 2 of `load`: the attributes with reference objects replaced by models
        (only for properties that can hold references, and for unknown attributes)."""
        values = {}
        for name, val in attrs.items():
            prop = model._properties.get(name)
            values[name] = self._resolve(val, created) if prop is None or prop.holds_refs() else val
        return values

    def _resolve(self, value, created: dict):
        if _is_ref(value):
            found = created.get(value["id"]) or self._models.get(value["id"])
            if found is None:
                raise DeserializationError(
                    f"reference to {value['type']} {value['id']} which is not in the document")
            return found
        if isinstance(value, list):
            return [self._resolve(v, created) for v in value]
        if isinstance(value, dict):
            return {k: self._resolve(v, created) for k, v in value.items()}
        return value

    def _apply(self, model: Model, values: dict, fire: bool, dirty: bool) -> None:
        """Step 3 of `load`: set the resolved attributes (firing callbacks if `fire`);
        a loaded PlotContext becomes the document's."""
        model._load_attributes(values, fire)
        model._dirty = dirty
        if isinstance(model, PlotContext) and model is not self._context:
            self.context = model

    def merge(self, envelopes) -> list:
        """Take in a server's document: adopt its PlotContext id (our top-level children
        that the server lacks are kept, after the server's), create or update the other
        models, and fire `on_change` for changed attributes of existing models."""
        envelopes = list(envelopes)
        contexts = _check_one_context(envelopes)
        if contexts:
            server = contexts[0]
            server_id = server.get("id") or server["attributes"]["id"]
            attrs = dict(server.get("attributes", {}))
            server_children = list(attrs.get("children", []))
            known = {ref.get("id") for ref in server_children if isinstance(ref, dict)}
            local = [c for c in self._context.children if c.id not in known]
            attrs["children"] = server_children + [c.ref for c in local]
            if server_id != self._context.id:
                self._adopt_context_id(server_id)
            envelopes[envelopes.index(server)] = dict(server, id=server_id, attributes=attrs)
        loaded = self.load(*envelopes, events="existing")
        if contexts and local:
            self._context._dirty = True  # the server does not know our children yet
        return loaded

    def _adopt_context_id(self, new_id: str) -> None:
        self._models.pop(self._context.id, None)
        self._context._id = new_id
        self._models[new_id] = self._context

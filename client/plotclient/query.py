"""Selector matching for `select()` (PLOTTING.md section 5, bokeh 0.10's bokeh.query).

A selector is a dict; every key must match:

* ``"type": Cls`` - isinstance match; ``{"type": {IN: [A, B]}}`` (a plain value is
  compared with a ``type`` property, e.g. Button.type);
* ``"tags": "t"`` or ``["a", "b"]`` - membership in / intersection with ``obj.tags``;
* ``OR: [selector, ...]`` - any of the selectors;
* any other key - attribute equality, or an operator dict (``{"size": {GT: 4}}``), or a
  nested selector matched against the model the attribute references; a method
  attribute (e.g. ``layout``) is called with the value and the context ``{"plot": p}``.
"""

from __future__ import annotations

import operator

__all__ = ["OR", "IN", "GT", "LT", "EQ", "GEQ", "LEQ", "NEQ", "match", "find", "select_one"]


class _Operator:
    def __init__(self, name, test):
        self.name, self.test = name, test

    def __repr__(self):
        return self.name


OR = _Operator("OR", None)
IN = _Operator("IN", lambda value, choices: value in choices)
GT = _Operator("GT", operator.gt)
LT = _Operator("LT", operator.lt)
EQ = _Operator("EQ", operator.eq)
GEQ = _Operator("GEQ", operator.ge)
LEQ = _Operator("LEQ", operator.le)
NEQ = _Operator("NEQ", operator.ne)

_MISSING = object()


def match(obj, selector: dict, context: dict | None = None) -> bool:
    from .model import Model
    for key, wanted in selector.items():
        if key is OR:
            if not any(match(obj, sub, context) for sub in wanted):
                return False
        elif key == "type" and (isinstance(wanted, type) or _is_operator_dict(wanted)):
            if isinstance(wanted, dict):
                if not all(_operator_holds(op, obj, arg, types=True) for op, arg in wanted.items()):
                    return False
            elif not isinstance(obj, wanted):
                return False
        elif key == "tags":
            tags = getattr(obj, "tags", None) or []
            if isinstance(wanted, str):
                if wanted not in tags:
                    return False
            elif not set(wanted) & set(tags):
                return False
        else:
            actual = getattr(obj, key, _MISSING)
            if actual is _MISSING:
                return False
            if callable(actual) and not isinstance(actual, Model):
                if not actual(wanted, context or {}):
                    return False
            elif _is_operator_dict(wanted):
                if not all(_operator_holds(op, actual, arg) for op, arg in wanted.items()):
                    return False
            elif isinstance(wanted, dict) and isinstance(actual, Model):
                if not match(actual, wanted, context):
                    return False
            elif not _equal(actual, wanted):
                return False
    return True


def _is_operator_dict(value) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, _Operator) for k in value)


def _operator_holds(op, actual, arg, types=False) -> bool:
    if types and op is IN:
        return any(isinstance(actual, t) for t in arg)
    try:
        return bool(op.test(actual, arg))
    except TypeError:
        return False


def _equal(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def normalize(selector=None, **kwargs) -> dict:
    """Accept a dict, a name string, a model class, or keywords (PLOTTING.md 5)."""
    if selector is not None and kwargs:
        raise TypeError("select() takes a selector or keywords, not both")
    if selector is None:
        if not kwargs:
            raise TypeError("select() needs a selector")
        return dict(kwargs)
    if isinstance(selector, str):
        return {"name": selector}
    if isinstance(selector, type):
        return {"type": selector}
    if isinstance(selector, dict):
        return selector
    raise TypeError(f"select() cannot use {selector!r} as a selector")


def find(objs, selector: dict, context: dict | None = None):
    """A generator of the objects matching `selector`."""
    for obj in objs:
        if match(obj, selector, context):
            yield obj


def select_one(objs, selector: dict, context: dict | None = None):
    """The single match, None, or DataIntegrityException for several."""
    from .errors import DataIntegrityException
    found = list(find(objs, selector, context))
    if len(found) > 1:
        raise DataIntegrityException(f"found more than one object matching {selector}")
    return found[0] if found else None

"""Sample data sets for examples, under the names bokeh 0.10's ``bokeh.sampledata`` used.

Each data set is a module: ``from plotclient.sampledata.iris import flowers``. The data come
from the ``bokeh-sampledata`` package, an optional extra of plotserver::

    pip install 'plotserver[sampledata]'

Everything ships inside that package: nothing is downloaded (0.10's
``bokeh.sampledata.download()`` step is gone; stocks, glucose, us_counties, ... simply load).
The data sets keep their own licences and credits, which bokeh-sampledata documents.

Modules: autompg, autompg2, browsers, daylight, degrees, gapminder, glucose, iris, les_mis,
mtb, olympics2014, periodic_table, population, sprint, stocks, unemployment,
unemployment1948, us_cities, us_counties, us_holidays, us_marriages_divorces, us_states,
world_cities. Each module's docstring lists its attributes and where their shape had to be
adapted to stay as 0.10 had it.

Not provided: 0.10's ``project_funding`` (bokeh-sampledata does not carry it; 0.10 fetched it
from the network on import).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ("INSTALL_HINT",)

INSTALL_HINT = "pip install 'plotserver[sampledata]'"


def _source(name: str) -> ModuleType:
    """Import ``bokeh_sampledata.<name>``; if that cannot be done, raise one ImportError that
    says which extra to install (the only place this check is made)."""
    try:
        importlib.import_module("bokeh_sampledata")
    except ImportError as exc:
        raise _missing(name, "") from exc
    try:
        return importlib.import_module(f"bokeh_sampledata.{name}")
    except ImportError as exc:
        if exc.name == f"bokeh_sampledata.{name}":
            detail = f" (the installed bokeh-sampledata has no data set {name!r}: upgrade it)"
        else:
            detail = f" (bokeh-sampledata's dependency {exc.name or exc.msg!r} is missing)"
        raise _missing(name, detail) from exc


def _missing(name: str, detail: str) -> ImportError:
    return ImportError(
        f"plotclient.sampledata needs the bokeh-sampledata package{detail}: {INSTALL_HINT}",
        name=f"{__name__}.{name}")

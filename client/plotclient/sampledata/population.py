"""World population by country, sex and five-year age group (UN WPP 2012), 1950-2100.

``load_population()`` returns a DataFrame with columns ``LocID``, ``Location``, ``Year``,
``Sex`` (``Male``/``Female``), ``AgeGrp`` (e.g. ``"0-4"``), ``AgeGrpStart`` and ``Value``
(persons). As 0.10's function returned it (0.10 needed a download); each call returns a fresh
copy, as 0.10's did. The row index is 0..n-1 rather than 0.10's positions in the raw file.
"""

from . import _source

_population = _source("population")


def load_population():
    """The population table, a new DataFrame on each call."""
    return _population.data.copy()

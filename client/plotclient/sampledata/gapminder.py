"""Gapminder indicators per country, 1964-2013.

``fertility`` (children per woman), ``life_expectancy`` (years), ``population`` (persons):
DataFrames indexed by ``Country``, one column per year named by the year as a string
(``"1964"`` ... ``"2013"``). ``regions``: DataFrame indexed by ``Country``, columns ``Group``
(region) and ``ID``. As in 0.10, which needed a download.
"""

from . import _source

_gapminder = _source("gapminder")

fertility = _gapminder.fertility
life_expectancy = _gapminder.life_expectancy
population = _gapminder.population
regions = _gapminder.regions

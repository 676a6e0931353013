"""Percentage of US bachelor's degrees earned by women, by field and year.

``xyvalues``: DataFrame, columns ``Year`` and one per field (``Agriculture``, ``Architecture``,
``Art and Performance``, ``Biology``, ``Business``, ``Communications and Journalism``,
``Computer Science``, ``Education``, ``Engineering``, ``English``, ``Foreign Languages``,
``Health Professions``, ``Math and Statistics``, ``Physical Sciences``, ``Psychology``,
``Public Administration``, ``Social Sciences and History``). 0.10's name; bokeh-sampledata
calls the same table ``data``.
"""

from . import _source

xyvalues = _source("degrees").data

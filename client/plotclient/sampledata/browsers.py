"""Browser market share, November 2013.

``browsers_nov_2013``: DataFrame, columns ``Version`` (e.g. ``"Chrome 31"``), ``Share``
(percent), ``Browser`` and ``VersionNumber`` (string, ``"0"`` when none).
``icons``: dict of 32x32 PNG bytes for ``Chrome``, ``Firefox``, ``Safari``, ``Opera``, ``IE``.
As in 0.10.
"""

from . import _source

_browsers = _source("browsers")

browsers_nov_2013 = _browsers.browsers_nov_2013
icons = _browsers.icons

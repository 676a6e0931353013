"""Co-occurrence of the characters of Les Miserables.

``data``: dict with ``nodes`` (list of ``{"name", "group"}``, 77 characters) and ``links``
(list of ``{"source", "target", "value"}``, indexes into ``nodes``). Same shape as 0.10; the
current data number the groups from 0 where 0.10's file started at 1.
"""

from . import _source

data = _source("les_mis").data

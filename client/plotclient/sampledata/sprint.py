"""Olympic 100 m sprint medallists.

``sprint``: DataFrame, columns ``Name``, ``Country``, ``Medal`` (GOLD, SILVER, BRONZE),
``Time`` (seconds) and ``Year``. As in 0.10.
"""

from . import _source

sprint = _source("sprint").sprint

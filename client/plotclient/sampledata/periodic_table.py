"""The periodic table of the elements.

``elements``: DataFrame, one row per element (118 in the current data; 0.10 had 117), columns
``atomic number``, ``symbol``, ``name``, ``atomic mass``, ``CPK``, ``electronic configuration``,
``electronegativity``, ``atomic radius``, ``ion radius``, ``van der Waals radius``, ``IE-1``,
``EA``, ``standard state``, ``bonding type``, ``melting point``, ``boiling point``,
``density``, ``metal``, ``year discovered``, ``group``, ``period``. Same columns as 0.10.
"""

from . import _source

elements = _source("periodic_table").elements

"""Route of a mountain bike race near Obiszow, Poland.

``obiszow_mtb_xcm``: DataFrame, columns ``lon``, ``lat`` (degrees) and ``alt`` (metres).
As in 0.10.
"""

from . import _source

obiszow_mtb_xcm = _source("mtb").obiszow_mtb_xcm

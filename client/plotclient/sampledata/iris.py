"""Fisher's iris flower measurements.

``flowers``: DataFrame, 150 rows, columns ``sepal_length``, ``sepal_width``, ``petal_length``,
``petal_width`` (cm, floats) and ``species`` (setosa, versicolor, virginica). As in 0.10.
"""

from . import _source

flowers = _source("iris").flowers

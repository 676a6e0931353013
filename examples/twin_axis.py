"""Two y axes on one plot: the blue line is measured against a second range,
shown by an extra axis on the left."""

import numpy as np

from plotclient.models import LinearAxis, Range1d
from plotclient.plotting import figure, output_server, show

x = np.arange(-2 * np.pi, 2 * np.pi, 0.1)
y = np.sin(x)
y2 = np.linspace(0, 100, len(x))

output_server("twin_axis")

p = figure(x_range=(-6.5, 6.5), y_range=(-1.1, 1.1), min_border=80)
p.circle(x, y, fill_color="red", line_color="black", size=5)

p.extra_y_ranges = {"foo": Range1d(start=0, end=100)}
p.circle(x, y2, fill_color="blue", line_color="navy", size=5, y_range_name="foo")
p.add_layout(LinearAxis(y_range_name="foo"), "left")

show(p)

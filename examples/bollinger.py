"""A band between two random series drawn as one patch, on a datetime axis."""

import numpy as np

from plotclient.plotting import figure, output_server, show

np.random.seed(0)
n = 100
t = np.arange(1, n + 1)  # milliseconds since the epoch: a datetime axis labels them "20ms"
upper = np.random.randint(100, 150, size=n)
lower = upper - 100

# One closed outline: along the upper band, then back along the lower one.
band_x = np.append(t, t[::-1])
band_y = np.append(upper, lower[::-1])

output_server("bollinger")

p = figure(title="Bollinger Bands", x_axis_type="datetime", plot_width=800)
p.patch(band_x, band_y, color="#7570b3", fill_alpha=0.2)
p.grid.grid_line_alpha = 0.4

show(p)

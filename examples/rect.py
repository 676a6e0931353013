"""Rectangles three ways: fixed size in screen pixels, width and height in data
units that vary per point, and rotated."""

import numpy as np

from plotclient.plotting import figure, output_server, show, vplot

x = np.linspace(0, 4 * np.pi, 80)
y = np.sin(x)

output_server("rect")

p1 = figure(title="width/height screen units")
p1.rect(x, y, 6, 4, color="#ff5533", width_units="screen", height_units="screen")

p2 = figure(title="variable width/height")
p2.rect(x, y, x / 60 + 0.02, 0.2, color="#9fbf5f", line_color="#759f48")

p3 = figure(title="angle")
p3.rect(x, y, 0.12, 0.11, angle=-0.5, color="#3333aa", alpha=0.6)

show(vplot(p1, p2, p3))

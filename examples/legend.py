"""Legends: one entry per label, showing each labelled glyph (several glyphs may
share a label, as a line with markers on it)."""

import numpy as np

from plotclient.plotting import figure, output_server, show, vplot

x = np.linspace(0, 4 * np.pi, 100)
y = np.sin(x)

output_server("legend")

tools = "pan,wheel_zoom,box_zoom,box_select,reset,save"

p1 = figure(title="Legend Example", tools=tools)
p1.circle(x, y, size=4, legend="sin(x)")
p1.circle(x, 2 * y, size=4, color="orange", legend="2*sin(x)")
p1.circle(x, 3 * y, size=4, color="green", legend="3*sin(x)")

p2 = figure(title="Another Legend Example", tools=tools)
p2.circle(x, y, size=4, legend="sin(x)")
p2.line(x, y, legend="sin(x)")
p2.line(x, 2 * y, line_dash=[4, 4], line_color="orange", line_width=2, legend="2*sin(x)")
p2.square(x, 3 * y, size=5, fill_color=None, line_color="green", legend="3*sin(x)")
p2.line(x, 3 * y, line_color="green", legend="3*sin(x)")

show(vplot(p1, p2))

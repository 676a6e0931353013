"""The same sine samples four times, as circles and as squares, with the
selection tools in the toolbar."""

import numpy as np

from plotclient.plotting import figure, output_server, show, vplot

x = np.linspace(0, 4 * np.pi, 80)
y = np.sin(x)

output_server("scatter")

tools = "pan,wheel_zoom,box_zoom,box_select,reset,save"

plots = []
for marker, color in [("circle", "magenta"), ("circle", "red"), ("square", "green"),
                      ("square", "blue")]:
    p = figure(tools=tools)
    p.scatter(x, y, marker=marker, size=4 if marker == "circle" else 5, color=color)
    plots.append(p)

show(vplot(*plots))

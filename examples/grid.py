"""Four small plots of the same sine data in a grid with one shared toolbar,
leaving two cells empty."""

import numpy as np

from plotclient.plotting import figure, gridplot, output_server, show

x = np.linspace(0, 4 * np.pi, 50)
y = np.sin(x)

output_server("grid")

tools = "pan,wheel_zoom,box_zoom,reset,save"

s1 = figure(title="line", plot_width=300, plot_height=300, tools=tools)
s1.line(x, y, color="gold", line_width=3)

s2 = figure(title="annular wedge", plot_width=300, plot_height=300, tools=tools)
s2.annular_wedge(x, y, 8, 17, 0.6, 4.1, color="navy", alpha=0.5,
                 inner_radius_units="screen", outer_radius_units="screen")

s3 = figure(title="bezier", plot_width=300, plot_height=300, tools=tools)
s3.bezier(x, y, x + 0.4, y, x + 0.1, y + 0.2, x - 0.1, y - 0.2, line_color="olive",
          line_width=2)

s4 = figure(title="quad", plot_width=300, plot_height=300, tools=tools)
s4.quad(x, x - 0.2, y, y - 0.2, color="tomato", alpha=0.4)

show(gridplot([[s1, None, s2], [s3, s4, None]]))

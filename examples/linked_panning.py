"""Three plots sharing their x range: panning or zooming one moves the others.
The first two share their y range too."""

import numpy as np

from plotclient.plotting import figure, gridplot, output_server, show

n = 300
x = np.linspace(0, 4 * np.pi, n)

output_server("linked_panning")

tools = "pan,wheel_zoom,box_zoom,resize,save,reset"

s1 = figure(plot_width=350, plot_height=350, tools=tools)
s1.circle(x, np.sin(x), size=4)

s2 = figure(plot_width=350, plot_height=350, tools=tools, x_range=s1.x_range,
            y_range=s1.y_range)
s2.circle(x, np.cos(x), size=4)

s3 = figure(plot_width=350, plot_height=350, tools=tools, x_range=s1.x_range)
s3.circle(x, np.sin(x) + np.cos(x), size=4)

show(gridplot([[s1, s2, s3]]))

"""Two plots sharing one data source: a box or lasso selection in either plot
selects the same points in the other."""

import numpy as np

from plotclient.plotting import ColumnDataSource, figure, gridplot, output_server, show

n = 300
x = np.linspace(0, 4 * np.pi, n)
source = ColumnDataSource(data=dict(x=x, y1=np.sin(x), y2=np.cos(x)))

output_server("linked_brushing")

tools = "pan,wheel_zoom,box_zoom,box_select,lasso_select,reset,save"

left = figure(plot_width=350, plot_height=350, tools=tools)
left.circle("x", "y1", source=source, size=4)

right = figure(plot_width=350, plot_height=350, tools=tools)
right.circle("x", "y2", source=source, size=4)

show(gridplot([[left, right]]))

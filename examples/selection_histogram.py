"""A scatter plot of three clusters with a histogram of each coordinate along
its sides; the histograms share the scatter plot's ranges."""

import numpy as np

from plotclient.models.widgets import Paragraph
from plotclient.plotting import figure, hplot, output_server, show, vplot

np.random.seed(0)
x = np.concatenate([np.random.normal(250, 50, 4000), np.random.normal(550, 10, 1000),
                    np.random.normal(480, 100, 2500)])
y = np.concatenate([np.random.normal(50, 10, 4000), np.random.normal(40, 10, 1000),
                    np.random.normal(100, 10, 2500)])

output_server("selection_histogram")

TOOLS = "pan,wheel_zoom,box_select,lasso_select"

p = figure(tools=TOOLS, plot_width=600, plot_height=600, min_border=10, min_border_left=50)
p.scatter(x, y, size=3, color="#3a5785", alpha=0.6)

# histogram of x, under the scatter plot
counts, edges = np.histogram(x, bins=20)
top = counts.max() * 1.1
below = figure(toolbar_location=None, plot_width=p.plot_width, plot_height=200,
               x_range=p.x_range, y_range=(-top, top), min_border=10, min_border_left=50)
below.quad(bottom=0, left=edges[:-1], right=edges[1:], top=counts, color="white",
           line_color="#3a5785")

# histogram of y, on its right, lying on its side
counts, edges = np.histogram(y, bins=20)
top = counts.max() * 1.1
side = figure(toolbar_location=None, plot_width=200, plot_height=p.plot_height,
              x_range=(-top, top), y_range=p.y_range, min_border=10, min_border_left=50)
side.quad(left=0, bottom=edges[:-1], top=edges[1:], right=counts, color="white",
          line_color="#3a5785")
side.ygrid.grid_line_color = None
below.xgrid.grid_line_color = None

show(vplot(hplot(p, side), hplot(below, Paragraph(width=200))))

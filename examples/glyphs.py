"""One small plot per glyph type, all drawing the same nine points on a
parabola; the markers grow from left to right."""

import numpy as np

from plotclient.plotting import figure, output_server, show, vplot

x = np.linspace(-2, 2, 9)
y = x ** 2
sizes = np.linspace(10, 20, 9)

# small shapes around each point, for the multi-point glyphs
pentagon = np.linspace(0, 2 * np.pi, 6)[:-1] + np.pi / 2
house = pentagon[[2, 1, 0, 4, 3]]  # a pentagon without its bottom edge
house_xs = [list(xx + 0.12 * np.cos(house)) for xx in x]
house_ys = [list(yy + 0.12 * np.sin(house)) for yy in y]
penta_xs = [list(xx + 0.12 * np.cos(pentagon)) for xx in x]
penta_ys = [list(yy + 0.12 * np.sin(pentagon)) for yy in y]

output_server("glyphs")

plots = []


def plot(title):
    p = figure(title=title)
    plots.append(p)
    return p


plot("annular_wedge").annular_wedge(x, y, 0.06, 0.15, 0.6, 4.1, color="#8888ee")
plot("annulus").annulus(x, y, 0.08, 0.15, color="#7fc97f")
plot("arc").arc(x, y, 0.15, 0.6, 4.1, color="#beaed4", line_width=2)
plot("bezier").bezier(x, y, x + 0.2, y, x + 0.1, y + 0.1, x - 0.1, y - 0.1,
                      color="#d95f02", line_width=2)
plot("circle").circle(x, y, radius=0.1, color="#3288bd")
plot("line").line(x, y, color="#f46d43")
plot("multi_line").multi_line(house_xs, house_ys, color="#8073ac", line_width=2)
plot("oval").oval(x, y, 0.1, 0.2, angle=-0.7, color="#1d91c0")
plot("patch").patch(x, y, color="#a6cee3")
plot("patches").patches(penta_xs, penta_ys, color="#fb9a99")
plot("quad").quad(x - 0.1, x, y, y - 0.1, color="#b3de69")
plot("quadratic").quadratic(x, y, x + 0.2, y, x + 0.1, y + 0.1, color="#4daf4a",
                            line_width=3)
plot("ray").ray(x, y, 45, -0.7, color="#fb8072", line_width=2)
plot("rect").rect(x, y, 0.08, 0.16, color="#cab2d6")
plot("segment").segment(x, y, x - 0.1, y - 0.1, color="#f4a582", line_width=3)
plot("square").square(x, y, size=sizes, color="#74add1")
plot("wedge").wedge(x, y, 0.15, 0.6, 4.1, color="#b3de69")

plot("circle_x").scatter(x, y, marker="circle_x", size=sizes, line_color="#dd1c77",
                         fill_color=None)
plot("triangle").scatter(x, y, marker="triangle", size=sizes, color="#99d594", line_width=2)
plot("circle").scatter(x, y, marker="o", size=sizes, color="#80b1d3", line_width=3)
plot("cross").scatter(x, y, marker="cross", size=sizes, color="#e6550d", line_width=2)
plot("diamond").scatter(x, y, marker="diamond", size=sizes, color="#1c9099", line_width=2)
plot("inverted_triangle").scatter(x, y, marker="inverted_triangle", size=sizes,
                                  color="#de2d26", line_width=2)
plot("square_x").scatter(x, y, marker="square_x", size=sizes, fill_color=None,
                         line_color="#fdae6b", line_width=2)
plot("asterisk").scatter(x, y, marker="asterisk", size=sizes, line_color="#f0027f",
                         line_width=2)
plot("square_cross").scatter(x, y, marker="square_cross", size=sizes, fill_color=None,
                             line_color="#7fc97f", line_width=2)
plot("diamond_cross").scatter(x, y, marker="diamond_cross", size=sizes, fill_color=None,
                              line_color="#386cb0", line_width=2)
plot("circle_cross").scatter(x, y, marker="circle_cross", size=sizes, fill_color=None,
                             line_color="#fb8072", line_width=2)

show(vplot(*plots))

"""Box plots of six groups on a categorical x axis: quartile boxes, whiskers at
1.5 IQR and the outliers beyond them."""

import numpy as np

from plotclient.plotting import figure, output_server, show

np.random.seed(0)
groups = ["a", "b", "c", "d", "e", "f"]
samples = {g: np.random.randn(150) + shift for g, shift in zip(groups, [0, 0, 1, 1, 2, 2])}

q1 = [np.percentile(samples[g], 25) for g in groups]
q2 = [np.percentile(samples[g], 50) for g in groups]
q3 = [np.percentile(samples[g], 75) for g in groups]
upper = [b + 1.5 * (b - a) for a, b in zip(q1, q3)]
lower = [a - 1.5 * (b - a) for a, b in zip(q1, q3)]

out_x, out_y = [], []
for g, lo, hi in zip(groups, lower, upper):
    for v in samples[g]:
        if v < lo or v > hi:
            out_x.append(g)
            out_y.append(v)

output_server("boxplot")

p = figure(tools="save", x_range=groups, background_fill="#efe8e2")

# whiskers: a stem and a short cap at each end
p.segment(groups, upper, groups, q3, line_color="black", line_width=2)
p.segment(groups, lower, groups, q1, line_color="black", line_width=2)
p.rect(groups, upper, 0.2, 0.01, line_color="black")
p.rect(groups, lower, 0.2, 0.01, line_color="black")

# the two halves of each box, split at the median
p.rect(groups, [(a + b) / 2 for a, b in zip(q2, q3)], 0.7, [b - a for a, b in zip(q2, q3)],
       fill_color="#e08e79", line_color="black", line_width=2)
p.rect(groups, [(a + b) / 2 for a, b in zip(q1, q2)], 0.7, [b - a for a, b in zip(q1, q2)],
       fill_color="#3b8686", line_color="black", line_width=2)

p.circle(out_x, out_y, size=6, color="#f38630", fill_alpha=0.6)

p.xgrid.grid_line_color = None
p.ygrid.grid_line_color = "white"
p.ygrid.grid_line_width = 2
p.xaxis.major_label_text_font_size = "12pt"

show(p)

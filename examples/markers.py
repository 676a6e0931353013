"""Every marker type of scatter(), ten random points each, with its name (and
its one-character alias) written underneath."""

import numpy as np

from plotclient.plotting import figure, output_server, show

np.random.seed(0)

# (marker, label, column centre, row centre)
MARKERS = [
    ("circle_cross", "circle_cross / o+", 2.5, 7.5), ("square_cross", "square_cross", 4.5, 7.5),
    ("diamond", "diamond", 6.5, 7.5), ("cross", "cross / +", 8.5, 7.5),
    ("circle_x", "circle_x / ox", 2.5, 4.5), ("square_x", "square_x", 4.5, 4.5),
    ("inverted_triangle", "inverted_triangle", 6.5, 4.5), ("x", "x", 8.5, 4.5),
    ("circle", "circle / o", 2.5, 1.5), ("square", "square", 4.5, 1.5),
    ("triangle", "triangle", 6.5, 1.5), ("asterisk", "asterisk / *", 8.5, 1.5),
]

output_server("markers")

p = figure(title="markers.py example")
for marker, label, cx, cy in MARKERS:
    xs = cx + np.random.uniform(-0.5, 0.5, 10)
    ys = cy + np.random.uniform(-0.5, 0.5, 10)
    p.scatter(xs, ys, marker=marker, size=12, line_color="#6666ee", fill_color="#ee6666",
              fill_alpha=0.5)
    p.text([cx], [cy - 0.8], [label], text_color="#449944", text_align="center",
           text_font_size="10pt")

show(p)

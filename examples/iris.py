"""Petal length against petal width for three species of iris. The measurements
are made up here (rounded to a tenth of a centimetre like the real ones), in
clusters where the three species lie."""

import numpy as np

from plotclient.plotting import figure, output_server, show

np.random.seed(0)
# species: mean and spread of length and width, how much they go together, colour
SPECIES = {
    "setosa": (1.46, 0.17, 0.25, 0.1, 0.3, "red"),
    "versicolor": (4.26, 0.47, 1.33, 0.2, 0.8, "green"),
    "virginica": (5.55, 0.55, 2.03, 0.27, 0.3, "blue"),
}

length, width, colors = [], [], []
for mean_l, sd_l, mean_w, sd_w, corr, color in SPECIES.values():
    a, b = np.random.normal(size=(2, 50))
    length += list(np.round(mean_l + sd_l * a, 1))
    width += list(np.clip(np.round(mean_w + sd_w * (corr * a + np.sqrt(1 - corr ** 2) * b), 1),
                          0.1, None))
    colors += [color] * 50

output_server("iris")

p = figure(title="Iris Morphology", x_axis_label="Petal Length", y_axis_label="Petal Width")
p.circle(length, width, color=colors, fill_alpha=0.2, size=10)

show(p)

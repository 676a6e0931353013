"""Stacked areas: ten series piled on top of each other, one patch per layer,
coloured with the Spectral10 palette."""

import numpy as np

from plotclient.palettes import Spectral10
from plotclient.plotting import figure, output_server, show

np.random.seed(0)
n = 20
x = np.arange(n)
scale = np.random.uniform(0.3, 1.2, size=n)  # shared by all layers: they swell together
layers = [np.random.randint(30, 100, size=n) * scale for _ in range(10)]

tops = np.cumsum(layers, axis=0)
bottoms = np.vstack([np.zeros(n), tops[:-1]])

xs = [list(np.append(x, x[::-1])) for _ in range(10)]
ys = [list(np.append(top, bottom[::-1])) for top, bottom in zip(tops, bottoms)]

output_server("brewer")

p = figure()
p.patches(xs, ys, fill_color=Spectral10, line_color=None, fill_alpha=0.8)

show(p)

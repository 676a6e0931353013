"""A 2-D function drawn as an image, coloured with the Spectral11 palette."""

import numpy as np

from plotclient.plotting import figure, output_server, show

n = 500
x = np.linspace(0, 10, n)
y = np.linspace(0, 10, n)
xx, yy = np.meshgrid(x, y)
d = np.sin(xx) * np.cos(yy)

output_server("image")

p = figure(x_range=(0, 10), y_range=(0, 10))
p.image(image=[d], x=[0], y=[0], dw=[10], dh=[10], palette="Spectral11")

show(p)

"""An RGBA image built pixel by pixel: red grows upwards, blue to the right."""

import numpy as np

from plotclient.plotting import figure, output_server, show

n = 20
img = np.empty((n, n), dtype=np.uint32)
view = img.view(dtype=np.uint8).reshape((n, n, 4))
for i in range(n):      # rows, bottom to top
    for j in range(n):  # columns, left to right
        view[i, j, 0] = int(i / n * 255)
        view[i, j, 1] = 158
        view[i, j, 2] = int(j / n * 255)
        view[i, j, 3] = 255

output_server("image_rgba")

p = figure(x_range=(0, 10), y_range=(0, 10))
p.image_rgba(image=[img], x=[0], y=[0], dw=[10], dh=[10])

show(p)

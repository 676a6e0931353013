"""A sine curve whose amplitude breathes while a straight line stays put: each
store_objects() call redraws every open page. Stops after four updates."""

import time

import numpy as np

from plotclient.plotting import cursession, figure, output_server, show

x = np.linspace(0, 4 * np.pi, 80)
y = np.sin(x)

output_server("line_animate")

p = figure()
p.line(x, y, color="blue", name="sine")
p.line(x, x / (2 * np.pi) - 1, color="red", line_alpha=0.8)
show(p)

source = p.select(dict(name="sine"))[0].data_source
for step in range(1, 5):
    source.data["y"] = np.cos(0.095 * step) * y
    cursession().store_objects(source)
    time.sleep(0.1)

"""The breathing sine curve of line_animate, with Start and Stop buttons above
the plot (here the script itself runs four updates and stops)."""

import time

import numpy as np

from plotclient.models.widgets import Button
from plotclient.plotting import cursession, figure, hplot, output_server, show, vplot

x = np.linspace(0, 4 * np.pi, 80)
y = np.sin(x)

output_server("line_animate_widget")

start = Button(label="Start", type="success")
stop = Button(label="Stop", type="danger")

p = figure()
p.line(x, y, color="blue", name="sine")
p.line(x, x / (2 * np.pi) - 1, color="#990000", line_alpha=0.8)

show(vplot(hplot(start, stop), p))

source = p.select(dict(name="sine"))[0].data_source
for step in range(1, 5):
    source.data["y"] = np.cos(0.05 * step) * y
    cursession().store_objects(source)
    time.sleep(0.1)

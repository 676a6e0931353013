"""Streaming: the sine curve grows by one point per update, pushed with
store_objects(). Stops after four updates."""

import time

import numpy as np

from plotclient.plotting import cursession, figure, output_server, show

x = np.linspace(0, 4 * np.pi, 200)
step = x[1] - x[0]

output_server("simple_stream")

p = figure(title="Simple streaming example")
p.line(x, np.sin(x), color="#1c1c9c", line_width=2, name="sine")
show(p)

source = p.select(dict(name="sine"))[0].data_source
for _ in range(4):
    new_x = source.data["x"][-1] + step
    source.data["x"] = np.append(source.data["x"], new_x)
    source.data["y"] = np.append(source.data["y"], np.sin(new_x))
    cursession().store_objects(source)
    time.sleep(0.1)

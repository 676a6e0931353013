"""A single sine curve: the simplest plotserver script."""

import numpy as np

from plotclient.plotting import figure, output_server, show

x = np.linspace(0, 4 * np.pi, 100)
y = np.sin(x)

output_server("line")

p = figure(title="simple line example")
p.line(x, y, color="#1c1c9c", line_width=2)

show(p)

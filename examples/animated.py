"""A ring of annular wedges whose shape turns around the ring, one wedge per
update: each store_objects() call redraws every open page. The animation stops
after four updates so the script ends."""

import time

import numpy as np

from plotclient.plotting import cursession, figure, output_server, show

N = 48
STEPS = 4  # updates after show()
wedge = 2 * np.pi / N

angles = np.arange(N) * wedge
start, end = angles, angles + wedge


def ring(turn):
    """Inner and outer radii with the ring's shape turned by `turn` radians: an
    off-centre circle that swells three times on its way round."""
    a = start - turn
    inner = 7.0 - 0.35 * np.cos(a) + 1.0 * np.sin(a)
    outer = inner + 0.6 + 2.8 * (1 + np.sin(3 * a + np.pi / 4)) / 2
    return inner, outer


blues = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]
# light to dark and back again, all the way round; the first wedge is white
colors = ["#ffffff"] + [blues[i] for i in ([0, 1, 2, 3, 4, 3, 2, 1] * N)[:N - 1]]

output_server("animated")

inner, outer = ring(-STEPS * wedge)
p = figure(x_range=(-11, 11), y_range=(-11, 11))
p.annular_wedge(0, 0, inner, outer, start, end, fill_color=colors, line_color="black",
                name="ring")
show(p)

source = p.select(dict(name="ring"))[0].data_source
for step in range(STEPS - 1, -1, -1):
    source.data["inner_radius"], source.data["outer_radius"] = ring(-step * wedge)
    cursession().store_objects(source)
    time.sleep(0.1)

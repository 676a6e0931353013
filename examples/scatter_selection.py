"""Box selection that updates on mouse-up or while dragging, and a glyph with
its own look for selected points."""

import numpy as np

from plotclient.models import BoxSelectTool, Square
from plotclient.plotting import figure, output_server, show, vplot

x = np.linspace(0, 4 * np.pi, 80)
y = np.sin(x)

output_server("scatter_selection")

TOOLS = "pan,wheel_zoom,box_zoom,reset,save"

p1 = figure(title="selection on mouseup", tools=TOOLS)
p1.circle(x, y, color="red", size=5)
p1.add_tools(BoxSelectTool(select_every_mousemove=False, renderers=p1.renderers[-1:]))

p2 = figure(title="selection on mousemove", tools=TOOLS)
p2.square(x, y, color="green", size=5)
p2.add_tools(BoxSelectTool(select_every_mousemove=True, renderers=p2.renderers[-1:]))

p3 = figure(title="default highlight", tools=TOOLS + ",box_select")
p3.circle(x, y, color="magenta", size=5)

p4 = figure(title="custom highlight", tools=TOOLS + ",box_select")
squares = p4.square(x, y, color="blue", size=5)
squares.selection_glyph = Square(fill_color="orange", line_color="orange")

show(vplot(p1, p2, p3, p4))

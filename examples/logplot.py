"""Curves from sqrt(x) to 10^(x^2) on a logarithmic y axis."""

import numpy as np

from plotclient.plotting import figure, output_server, show

x = np.linspace(0.1, 5, 80)

output_server("logplot")

p = figure(title="log axis example", y_axis_type="log", y_range=(0.001, 1e22))

p.line(x, np.sqrt(x), line_color="tomato", line_dash="dotdash", legend="y=sqrt(x)")

p.line(x, x, legend="y=x")
p.circle(x, x, size=4, legend="y=x")

p.line(x, x ** 2, line_color="#4daf4a", legend="y=x**2")
p.circle(x, x ** 2, size=4, fill_color="white", line_color="#4daf4a", legend="y=x**2")

p.line(x, 10 ** x, line_color="gold", line_width=2, legend="y=10^x")
p.line(x, x ** x, line_color="indigo", line_width=2, line_dash="dotted", legend="y=x^x")
p.line(x, 10 ** (x ** 2), line_color="coral", line_width=2, line_dash="dashed",
       legend="y=10^(x^2)")

show(p)

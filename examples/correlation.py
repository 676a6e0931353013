"""Two made-up stocks: their prices over the last year on a datetime axis, and
one against the other in a scatter plot."""

import datetime as dt

import numpy as np

from plotclient.plotting import figure, output_server, show, vplot

np.random.seed(0)
days = 300
today = dt.date.today()
dates = [today - dt.timedelta(days=days - i) for i in range(days)]

acme = 1.1 * np.exp(np.cumsum(np.random.normal(0, 0.025, days)
                              + 0.008 * np.sin(np.linspace(0, 5 * np.pi, days))))
choam = np.exp(np.cumsum(np.random.normal(-0.004, 0.025, days)))

output_server("correlation")

tools = "pan,wheel_zoom,box_zoom,reset,save"

prices = figure(title="Stock Returns", x_axis_type="datetime", tools=tools)
prices.line(dates, acme, color="#1f78b4", legend="ACME")
prices.line(dates, choam, color="#fb9a99", legend="CHOAM")
prices.grid.grid_line_alpha = 0.3

scatter = figure(title="ACME / CHOAM Correlations", tools=tools)
scatter.circle(acme, choam, size=4, color="#a6cee3", legend="close")
scatter.grid.grid_line_alpha = 0.3

show(vplot(prices, scatter))

"""plotserver: a plot server that speaks the bokeh-server 0.10 protocol."""

__version__ = "0.1.0"

"""Density against atomic weight for the elements hydrogen to lead, each
circle coloured by the element's melting point (blue: low, red: high) and
labelled with its symbol."""

import numpy as np

from plotclient.plotting import figure, output_server, show

# symbol, atomic weight (amu), density (g/cm^3), melting point (K)
ELEMENTS = """
H 1.008 0.00009 14 | Li 6.94 0.534 454 | Be 9.012 1.85 1560
B 10.81 2.34 2349 | C 12.011 2.267 3800 | N 14.007 0.00125 63 | O 15.999 0.00143 54
F 18.998 0.0017 53 | Ne 20.18 0.0009 25 | Na 22.99 0.971 371 | Mg 24.305 1.738 923
Al 26.982 2.698 933 | Si 28.085 2.329 1687 | P 30.974 1.82 317 | S 32.06 2.067 388
Cl 35.45 0.0032 172 | Ar 39.948 0.0018 84 | K 39.098 0.862 337 | Ca 40.078 1.54 1115
Sc 44.956 2.989 1814 | Ti 47.867 4.54 1941 | V 50.942 6.11 2183 | Cr 51.996 7.15 2180
Mn 54.938 7.44 1519 | Fe 55.845 7.874 1811 | Co 58.933 8.86 1768 | Ni 58.693 8.912 1728
Cu 63.546 8.96 1358 | Zn 65.38 7.134 693 | Ga 69.723 5.907 303 | Ge 72.63 5.323 1211
As 74.922 5.776 1090 | Se 78.971 4.809 494 | Br 79.904 3.122 266 | Kr 83.798 0.0037 116
Rb 85.468 1.532 312 | Sr 87.62 2.64 1050 | Y 88.906 4.469 1799 | Zr 91.224 6.506 2128
Nb 92.906 8.57 2750 | Mo 95.95 10.28 2896 | Tc 98 11.5 2430 | Ru 101.07 12.37 2607
Rh 102.91 12.41 2237 | Pd 106.42 12.02 1828 | Ag 107.87 10.501 1235 | Cd 112.41 8.69 594
In 114.82 7.31 430 | Sn 118.71 7.287 505 | Sb 121.76 6.685 904 | Te 127.6 6.232 723
I 126.9 4.93 387 | Xe 131.29 0.0059 161 | Cs 132.91 1.873 302 | Ba 137.33 3.594 1000
La 138.91 6.145 1193 | Ce 140.12 6.77 1068 | Pr 140.91 6.773 1208 | Nd 144.24 7.007 1297
Pm 145 7.26 1315 | Sm 150.36 7.52 1345 | Eu 151.96 5.243 1099 | Gd 157.25 7.895 1585
Tb 158.93 8.229 1629 | Dy 162.5 8.55 1680 | Ho 164.93 8.795 1734 | Er 167.26 9.066 1802
Tm 168.93 9.321 1818 | Yb 173.05 6.965 1097 | Lu 174.97 9.84 1925 | Hf 178.49 13.31 2506
Ta 180.95 16.654 3290 | W 183.84 19.25 3695 | Re 186.21 21.02 3459 | Os 190.23 22.59 3306
Ir 192.22 22.56 2719 | Pt 195.08 21.45 2041 | Au 196.97 19.3 1337 | Hg 200.59 13.534 234
Tl 204.38 11.85 577 | Pb 207.2 11.34 601
"""
rows = [item.split() for item in ELEMENTS.replace("\n", "|").split("|") if item.strip()]
symbols = [r[0] for r in rows]
weight = np.array([float(r[1]) for r in rows])
density = np.array([float(r[2]) for r in rows])
melting = np.array([float(r[3]) for r in rows])

# ColorBrewer's red-blue scale, from blue (cold) to red (hot)
palette = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
           "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"]
bins = ((melting - melting.min()) / (melting.max() - melting.min()) * 10).round().astype(int)
colors = [palette[b] for b in bins]

output_server("elements")

p = figure(title="Density vs Atomic Weight of Elements (colored by melting point)",
           plot_width=1200, toolbar_location="left", background_fill="#cccccc",
           tools="pan,wheel_zoom,box_zoom,reset,resize,save",
           x_axis_label="atomic weight (amu)", y_axis_label="density (g/cm^3)")
p.circle(weight, density, size=12, fill_color=colors, line_color="black", fill_alpha=0.8)
p.text(weight, density + 0.3, symbols, text_font_size="9pt", text_color="#333333",
       text_align="center", text_baseline="bottom")
p.grid.grid_line_color = "white"

show(p)

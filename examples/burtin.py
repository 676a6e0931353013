"""Will Burtin's 1951 chart of how well three antibiotics work against sixteen
bacteria, drawn as a radial bar chart. A bar is longer the smaller the minimum
inhibitory concentration (MIC, in micrograms per ml), i.e. the better the drug."""

import numpy as np

from plotclient.plotting import figure, output_server, show

# bacterium, penicillin, streptomycin, neomycin, gram stain (Burtin 1951)
TABLE = [
    ("Mycobacterium tuberculosis", 800, 5, 2, "negative"),
    ("Salmonella schottmuelleri", 10, 0.8, 0.09, "negative"),
    ("Proteus vulgaris", 3, 0.1, 0.1, "negative"),
    ("Klebsiella pneumoniae", 850, 1.2, 1, "negative"),
    ("Brucella abortus", 1, 2, 0.02, "negative"),
    ("Pseudomonas aeruginosa", 850, 2, 0.4, "negative"),
    ("Escherichia coli", 100, 0.4, 0.1, "negative"),
    ("Salmonella (Eberthella) typhosa", 1, 0.4, 0.008, "negative"),
    ("Aerobacter aerogenes", 870, 1, 1.6, "negative"),
    ("Brucella antracis", 0.001, 0.01, 0.007, "positive"),
    ("Streptococcus fecalis", 1, 1, 0.1, "positive"),
    ("Staphylococcus aureus", 0.03, 0.03, 0.001, "positive"),
    ("Staphylococcus albus", 0.007, 0.1, 0.001, "positive"),
    ("Streptococcus hemolyticus", 0.001, 14, 10, "positive"),
    ("Streptococcus viridans", 0.005, 10, 40, "positive"),
    ("Diplococcus pneumoniae", 0.005, 11, 10, "positive"),
]
DRUGS = [("Penicillin", "#0d3362"), ("Streptomycin", "#c64737"), ("Neomycin", "black")]
GRAM = {"positive": "#aeaeb8", "negative": "#e69584"}

INNER, OUTER = 80.0, 290.0  # radii of the ring, in data units
LOW, HIGH = 1000.0, 0.001   # MIC at the inner and at the outer edge


def radius(mic):
    """Radius for a MIC: log scale, stretched towards the outside."""
    share = np.log10(LOW / np.asarray(mic, dtype=float)) / np.log10(LOW / HIGH)
    return INNER + (OUTER - INNER) * share ** 1.4


n = len(TABLE)
slot = 2 * np.pi / (n + 1)          # one slot per bacterium, plus a free one at the top
centers = np.pi / 2 - slot * (np.arange(n) + 1)  # clockwise from the top

output_server("burtin")

p = figure(plot_width=800, plot_height=800, x_axis_type=None, y_axis_type=None,
           x_range=(-420, 420), y_range=(-420, 420), min_border=0,
           background_fill="#f0e1d2", outline_line_color="black")

# the ring: one wedge per bacterium, coloured by its gram stain
p.annular_wedge(0, 0, INNER, OUTER, centers - slot / 2, centers + slot / 2,
                color=[GRAM[row[4]] for row in TABLE])

# the MIC scale: white circles with their labels in the free slot
ticks = [1000 / 10 ** k for k in range(1, 7)]  # 100 ... 0.001
p.circle(np.zeros(len(ticks)), np.zeros(len(ticks)), radius=radius(ticks), fill_color=None,
         line_color="white")
p.text(np.zeros(len(ticks)), radius(ticks), [str(t) for t in ticks], text_font_size="8pt",
       text_align="center", text_baseline="middle")

# three bars per bacterium
bar = slot / 7
for i, (drug, color) in enumerate(DRUGS):
    mics = [row[1 + i] for row in TABLE]
    mid = centers + (1 - i) * 1.5 * bar
    p.annular_wedge(0, 0, INNER, radius(mics), mid - bar / 2, mid + bar / 2, color=color)

# black separators between the bacteria
edges = centers + slot / 2
p.segment(INNER * np.cos(edges), INNER * np.sin(edges), (OUTER + 15) * np.cos(edges),
          (OUTER + 15) * np.sin(edges), line_color="black")

# the names, written along the radius and centred on the outer edge
label_angles = np.where(np.cos(centers) < 0, centers + np.pi, centers)
p.text(OUTER * np.cos(centers), OUTER * np.sin(centers), [row[0] for row in TABLE],
       angle=label_angles, text_font_size="9pt", text_align="center", text_baseline="middle")

# legends: the drugs in the middle, the gram stains at the bottom
legend_y = [18, 0, -18]
p.rect([-40] * 3, legend_y, 30, 13, color=[c for _, c in DRUGS])
p.text([-15] * 3, legend_y, [d for d, _ in DRUGS], text_font_size="9pt", text_align="left",
       text_baseline="middle")
p.circle([-40, -40], [-370, -390], radius=5, color=list(GRAM.values()))
p.text([-30, -30], [-370, -390], ["Gram-" + g for g in GRAM], text_font_size="7pt",
       text_align="left", text_baseline="middle")

show(p)

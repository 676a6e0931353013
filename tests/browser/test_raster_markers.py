"""Scatters drawn as a raster (plotserver/static/js/core/raster.js) look like the same scatters
drawn by the vector path, to a person: each test publishes a scatter with plotclient, reads the
plot's frame as the raster draws it, then again with the raster threshold out of reach (the
vector path: one canvas path per style group), and compares the two pictures.

Why these tolerances.  The raster places every marker within 1/4 device pixel of its centre
(2 x 2 sub-pixel phases), so single antialiased edge pixels may differ by a good part of their
coverage, and where markers overlap their edges combine as 1 - (1 - a)(1 - b) rather than as
the exact union of the shapes.  A person does not see single edge pixels but ink at the scale
of a few pixels, so the pictures are compared:
  * pixel by pixel, allowing a few edge pixels to differ: all but EDGE_SHARE of the frame's
    pixels within EDGE_LEVELS (channel levels 0-255; 64 = a quarter of a fully covered edge
    pixel);
  * averaged over 4 x 4 device-pixel blocks (about a millimetre at ratio 1), every block within
    BLOCK_SHARE of the contrast between marker and background: a quarter-pixel shift of the
    edge of a marker crossing a block moves up to 1/4 x 8 px of 16 px of ink, 12.5 %;
  * at the centres of markers no other marker touches (the colour a person reads a point by),
    within CENTRE_LEVELS (rounding of translucent colours);
  * as background: pixels farther than the marker's reach from every centre are untouched in
    both.
Each test saves tests/browser/screenshots/raster-<name>.png: raster | vector | difference
(x4, inverted: white where equal)."""

from __future__ import annotations

import base64
import io
import math

import numpy as np
import pytest
from PIL import Image

from plotclient.plotting import curdoc, cursession, figure, output_server, show

from .browser_helpers import (VIEWPORT, canvas_hash, page_problems, plot_info, save_screenshot,
                              wait_drawn)

BLUE = (0x1F, 0x77, 0xB4)
EDGE_LEVELS = 64
EDGE_SHARE = 0.01
BLOCK_SHARE = 0.15
CENTRE_LEVELS = 8
RNG_SEED = 20151020


@pytest.fixture(autouse=True)
def quiet_client(plotclient_env):
    """Every test runs plotclient like a user's script (see conftest.plotclient_env)."""


# Page side: draw the plot again, as a raster or with the threshold out of reach (vector), and
# return the frame's device pixels as a PNG data URL plus how many groups the raster drew.
SNAPSHOT_JS = """async ({ vector }) => {
  const loader = document.querySelector('script[type="module"][src$="/js/bokeh.js"]');
  const raster = await import(new URL('core/raster.js', loader.src).href);
  raster.rasterOptions.minItems = vector ? Infinity : raster.RASTER_MIN_ITEMS;
  const before = raster.rasterStats.groups;
  await window.plotserver.redraw();
  const drawn = raster.rasterStats.groups - before;
  raster.rasterOptions.minItems = raster.RASTER_MIN_ITEMS;
  const plot = window.plotserver.plots()[0];
  const canvas = document.querySelector(plot.canvasSelector);
  const ratio = canvas.width / parseFloat(canvas.style.width);
  const f = plot.frame;
  const crop = document.createElement('canvas');
  crop.width = Math.round(f.width * ratio);
  crop.height = Math.round(f.height * ratio);
  crop.getContext('2d').drawImage(canvas, Math.round(f.left * ratio), Math.round(f.top * ratio),
    crop.width, crop.height, 0, 0, crop.width, crop.height);
  return { png: crop.toDataURL('image/png'), drawn, ratio };
}"""


def publish(server, title, xs, ys, marker="circle", selected=None, **style):
    """A 500x400 scatter with fixed ranges -4..4 published with plotclient; returns the URL
    show() opens."""
    output_server(title, url=server.url + "/")
    p = figure(plot_width=500, plot_height=400, x_range=(-4, 4), y_range=(-4, 4))
    renderer = getattr(p, marker)(xs, ys, **style)
    if selected is not None:
        renderer.data_source.selected = {"0d": {"flag": False, "indices": []},
                                         "1d": {"indices": selected}, "2d": {"indices": []}}
    show(p)
    return cursession().object_link(curdoc().context)


def snapshot(page, vector):
    shot = page.evaluate(SNAPSHOT_JS, {"vector": vector})
    data = base64.b64decode(shot["png"].split(",", 1)[1])
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(np.int16)
    return pixels, shot["drawn"], shot["ratio"]


def cloud(n, spread=1.0, seed=RNG_SEED):
    """n points of a normal cloud (dense middle, sparse fringe) around the origin."""
    rng = np.random.default_rng(seed)
    return rng.normal(scale=spread, size=n), rng.normal(scale=spread, size=n)


def device_centres(xs, ys, frame, ratio):
    """Device pixel coordinates of data points inside the frame crop (ranges -4..4)."""
    sx = (np.asarray(xs) + 4) / 8 * frame["width"] * ratio
    sy = (4 - np.asarray(ys)) / 8 * frame["height"] * ratio
    return sx, sy


def far_from_points(shape, sx, sy, reach):
    """Mask of pixels whose centre is farther than `reach` device px from every point."""
    h, w = shape
    near = np.zeros((h, w), dtype=bool)
    ix = np.floor(sx).astype(int)
    iy = np.floor(sy).astype(int)
    r = int(math.ceil(reach)) + 1
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            px = ix + dx
            py = iy + dy
            # Distance from the point to the pixel's centre.
            d = np.hypot(px + 0.5 - sx, py + 0.5 - sy)
            ok = (d <= reach) & (px >= 0) & (px < w) & (py >= 0) & (py < h)
            near[py[ok], px[ok]] = True
    return ~near


def differences(raster, vector):
    """Per-pixel largest channel difference, and the same of 4 x 4 block means."""
    diff = np.abs(raster[..., :3] - vector[..., :3]).max(axis=2)
    h, w = diff.shape
    h4, w4 = h // 4 * 4, w // 4 * 4

    def blocks(image):
        return image[:h4, :w4, :3].reshape(h4 // 4, 4, w4 // 4, 4, 3).mean(axis=(1, 3))

    block = np.abs(blocks(raster) - blocks(vector)).max(axis=2)
    return diff, block


def save_side_by_side(page, name, raster, vector):
    """raster | vector | inverted 4x difference, shown in the page and screenshotted."""
    diff = np.abs(raster[..., :3] - vector[..., :3]).max(axis=2)
    shown = (255 - np.clip(diff * 4, 0, 255)).astype(np.uint8)
    images = [Image.fromarray(raster.astype(np.uint8)), Image.fromarray(vector.astype(np.uint8)),
              Image.fromarray(shown, "L").convert("RGBA")]
    urls = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        urls.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode())
    h, w = raster.shape[:2]
    page.set_viewport_size({"width": 3 * w + 40, "height": h + 40})
    cells = "".join(f'<figure style="margin:0 5px"><img src="{u}" width="{w}" height="{h}" '
                    f'style="display:block;image-rendering:pixelated"><figcaption>{c}</figcaption></figure>'
                    for u, c in zip(urls, ["raster", "vector", "difference x4"]))
    page.set_content(f'<body style="margin:5px;display:flex;font:12px sans-serif">{cells}</body>')
    save_screenshot(page, f"raster-{name}")
    page.set_viewport_size(VIEWPORT)


def isolated(sx, sy, shape, distance):
    """Which points have no other point within `distance` (device px, a box: conservative)."""
    h, w = shape
    counts = np.zeros((h + 1, w + 1), dtype=np.int32)
    ix = np.clip(np.floor(sx).astype(int), -1, w)
    iy = np.clip(np.floor(sy).astype(int), -1, h)
    inside = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
    np.add.at(counts, (iy[inside] + 1, ix[inside] + 1), 1)
    table = counts.cumsum(axis=0).cumsum(axis=1)
    r = int(math.ceil(distance))
    x0 = np.clip(ix - r, 0, w)
    x1 = np.clip(ix + r + 1, 0, w)
    y0 = np.clip(iy - r, 0, h)
    y1 = np.clip(iy + r + 1, 0, h)
    around = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    # Points near the frame's edge may have neighbours outside it: leave them out.
    away = (ix >= r) & (ix < w - r) & (iy >= r) & (iy < h - r)
    return inside & away & (around == 1)


def compare(page, name, xs, ys, reach_css, groups=1, colour=BLUE, solid_centre=True):
    """Raster and vector pictures of the open page's plot agree to a person (module
    docstring); returns the measured differences for the report.  `solid_centre` False: the
    marker's centre pixel lies on its inner strokes (1 px lines a quarter-pixel shift moves), so
    its colour is left to the block comparison."""
    raster, drawn, ratio = snapshot(page, vector=False)
    assert drawn == groups, f"the raster drew {drawn} groups, expected {groups}"
    vector, drawn_vector, _ = snapshot(page, vector=True)
    assert drawn_vector == 0
    frame = plot_info(page)["frame"]
    assert page_problems(page) == []
    save_side_by_side(page, name, raster, vector)
    assert (raster[..., 3] == 255).all() and (vector[..., 3] == 255).all()  # the frame is opaque

    diff, block = differences(raster, vector)
    contrast = max(255 - c for c in colour)  # marker colour on the white background
    measured = {"edge_share": round(float((diff > EDGE_LEVELS).mean()), 4), "max": int(diff.max()),
                "mean": round(float(diff.mean()), 2), "block_max": round(float(block.max()), 1),
                "block_limit": round(BLOCK_SHARE * contrast, 1)}
    print(f"\n{name}: {measured}")
    assert measured["edge_share"] <= EDGE_SHARE, measured
    assert measured["block_max"] <= BLOCK_SHARE * contrast, measured

    sx, sy = device_centres(xs, ys, frame, ratio)
    if solid_centre:
        alone = isolated(sx, sy, diff.shape, 2 * reach_css * ratio + 2)
        assert alone.sum() >= 10, "the test should look at some lone markers"
        cx = np.floor(sx[alone]).astype(int)
        cy = np.floor(sy[alone]).astype(int)
        centre = np.abs(raster[cy, cx, :3] - vector[cy, cx, :3]).max(axis=1)
        assert centre.max() <= CENTRE_LEVELS, f"centre colours differ by up to {centre.max()}"

    far = far_from_points(diff.shape, sx, sy, (reach_css + 1) * ratio)
    assert far.sum() > 100, "the test should look at some background too"
    assert (raster[far] == vector[far]).all(), "background differs away from every marker"
    return measured


IDLE_TWICE_JS = "() => new Promise((done) => requestIdleCallback(() => requestIdleCallback(done)))"


def open_page(page, url):
    page.goto(url)
    wait_drawn(page, timeout_ms=60_000)
    # A raster-drawn renderer prepares its selection look in the first idle period (two
    # groups drawn out of sight): let it, so that the groups counted below are the page's.
    page.evaluate(IDLE_TWICE_JS)


def test_dense_circles(page, live_server):
    """200,000 circles of the default style: a dense middle and a sparse fringe."""
    xs, ys = cloud(200_000)
    open_page(page, publish(live_server, "raster-dense", xs, ys, size=4))
    compare(page, "dense-circles", xs, ys, reach_css=2.5)


def test_dense_translucent_circles(page, live_server):
    """fill_alpha 0.5: the outlines show through the fills, everywhere on top of each other."""
    xs, ys = cloud(200_000)
    open_page(page, publish(live_server, "raster-translucent", xs, ys, size=4, fill_alpha=0.5))
    compare(page, "dense-circles-alpha", xs, ys, reach_css=2.5)


def test_sparse_circles_near_the_threshold(page, live_server):
    """Just above the threshold (2,001), spread out (less than half of them inside the ranges):
    single markers whose outlines and fills show."""
    rng = np.random.default_rng(RNG_SEED)
    xs, ys = rng.uniform(-6, 6, 2_100), rng.uniform(-6, 6, 2_100)
    open_page(page, publish(live_server, "raster-sparse", xs, ys, size=8, fill_alpha=0.5))
    compare(page, "sparse-circles", xs, ys, reach_css=4.5)


def test_rotated_squares(page, live_server):
    """Squares at an angle (the vector path needs seconds for more than a few thousand): a
    dense core and lone markers scattered around it."""
    core_x, core_y = cloud(4_000, spread=0.8)
    rng = np.random.default_rng(RNG_SEED)
    xs = np.concatenate([core_x, rng.uniform(-12, 12, 2_000)])
    ys = np.concatenate([core_y, rng.uniform(-12, 12, 2_000)])
    open_page(page, publish(live_server, "raster-squares", xs, ys, marker="square", size=7, angle=0.3,
                            fill_alpha=0.5))
    compare(page, "rotated-squares", xs, ys, reach_css=7 / 2 * math.sqrt(2) + 1)


OTHER_MARKERS = ["asterisk", "circle_cross", "circle_x", "cross", "diamond", "diamond_cross",
                 "inverted_triangle", "square_cross", "square_x", "triangle", "x"]
SOLID_CENTRES = {"diamond", "inverted_triangle", "triangle"}  # no stroke through the centre


@pytest.mark.parametrize("marker", OTHER_MARKERS)
def test_every_marker_shape(page, live_server, marker):
    """Every other marker shape goes through the same sprites (drawn by the canvas with the
    glyph's own path): rotated, with their inner strokes, sparse enough to see each one."""
    rng = np.random.default_rng(RNG_SEED)
    xs, ys = rng.uniform(-12, 12, 2_500), rng.uniform(-12, 12, 2_500)
    open_page(page, publish(live_server, f"raster-{marker}", xs, ys, marker=marker, size=9, angle=0.4,
                            fill_alpha=0.5))
    compare(page, f"marker-{marker}", xs, ys, reach_css=9 / 2 * math.sqrt(2) + 1,
            solid_centre=marker in SOLID_CENTRES)


def test_selection_draws_both_groups_as_rasters(page, live_server):
    """Selected rows in the glyph's style over the others dimmed (alpha 0.2): two raster draws."""
    xs, ys = cloud(100_000)
    selected = [i for i in range(len(xs)) if xs[i] > 0.5]
    open_page(page, publish(live_server, "raster-selection", xs, ys, size=4, selected=selected))
    compare(page, "selection", xs, ys, reach_css=2.5, groups=2)


RASTER_GROUPS_JS = """async () => {
  const loader = document.querySelector('script[type="module"][src$="/js/bokeh.js"]');
  const raster = await import(new URL('core/raster.js', loader.src).href);
  return { groups: raster.rasterStats.groups };
}"""


def test_selection_look_prepared_while_idle_leaves_no_trace(page, live_server):
    """A raster-drawn renderer prepares its selection styles once the page is idle (a made-up
    selection drawn into a scratch canvas): what shows and what is selected stay as they were."""
    xs, ys = cloud(20_000)
    page.goto(publish(live_server, "raster-idle-prepare", xs, ys, size=4))
    wait_drawn(page, timeout_ms=60_000)
    before = canvas_hash(page)  # as first drawn (the preparation may not have run yet)
    page.evaluate(IDLE_TWICE_JS)
    page.wait_for_timeout(200)
    assert canvas_hash(page) == before
    # The page drew its one renderer's markers once (a static page redraws no layer), and two
    # groups out of sight: the made-up selection's two styles. Once only: a redraw adds one.
    assert page.evaluate(RASTER_GROUPS_JS) == {"groups": 3}
    page.evaluate("() => window.plotserver.redraw()")
    page.evaluate(IDLE_TWICE_JS)
    assert page.evaluate(RASTER_GROUPS_JS) == {"groups": 4}
    source = next(m for m in curdoc().context.references() if m.__class__.__name__ ==
                  "ColumnDataSource")
    stored = cursession().pull("ColumnDataSource", source.id)[0]["attributes"]["selected"]
    assert stored["1d"]["indices"] == [] and page_problems(page) == []


def test_device_pixel_ratio_2(browser, live_server):
    """At ratio 2 markers are stamped from sprites drawn at that ratio."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=2)
    page = context.new_page()
    page.console_errors, page.page_errors, page.failed_requests = [], [], []
    try:
        xs, ys = cloud(100_000)
        open_page(page, publish(live_server, "raster-ratio-2", xs, ys, size=4, fill_alpha=0.5))
        compare(page, "ratio-2", xs, ys, reach_css=2.5)
    finally:
        context.close()

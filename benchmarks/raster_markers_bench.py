#!/usr/bin/env python3
"""Draw times of large scatters in headless Chromium: the raster path of core/raster.js against
the vector path (one canvas path per style group), next to the target.

    .venv/bin/python benchmarks/raster_markers_bench.py [--quick]

Target: a full redraw of 1,000,000 uniform markers (one size, one style) on a 600x400 frame
takes <= 20 ms at device pixel ratio 1 (ratio 2 is reported, no target).

Two parts, both in Debian's Chromium (/usr/bin/chromium, the browser tests' flags):

glyph draw -- a plotserver page is opened only to load its modules; the page then builds the
  glyph's evaluated state by hand (screen coordinates, the default plotting style: fill and line
  #1f77b4, line alpha 1, fill alpha 1 or 0.5, size 4) and times one `draw(ctx, g, indices)`
  onto a 680x480 CSS px canvas clipped to the 600x400 frame, as the glyph layer calls it, plus
  a 1-pixel getImageData (Chromium defers canvas work until its pixels are needed; without the
  read the clock would stop before the drawing happened).  Points are a normal cloud (centre of
  the frame, sigma 100 x 70 px: dense middle, sparse fringe) and uniform over the frame.  The
  vector path is timed by setting rasterOptions.minItems (core/raster.js) out of reach: circles
  up to 100,000 (beyond that it takes seconds), squares only around the threshold (Chromium
  fills a path of many squares in time quadratic in their number: 10,000 take ~1 s, 30,000
  ~10 s, 100,000 rotated ones ~106 s).  Median and p95 of the repeats.

full page -- a 1,000,000-point `p.circle(...)` published with plotclient to a plotserver started
  here (free port); the page is opened at device scale factor 1 and 2 and asked for pan-like
  repaints: `plotserver.redraw({remap: true})` (every layer painted again and every glyph mapped
  to the screen again, which is what a pan or zoom frame does) plus the 1-pixel read; timed
  from the call until the read returned, in the page.

The script reports, it does not judge: exit status 0.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "client"))
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TARGET_MS = 20.0

# Page side: build the glyph state and time draws.  Returns [ms, ...].
DRAW_JS = """async ({glyph, n, dist, ratio, fillAlpha, angle, raster, repeats}) => {
  const base = '/bokehjs/static/js/';
  const circle = (await import(base + 'glyphs/circle.js')).default;
  const { MARKERS } = await import(base + 'glyphs/markers.js');
  const { FillVisual, LineVisual } = await import(base + 'core/visuals.js');
  const rasterModule = await import(base + 'core/raster.js');
  const impl = glyph === 'Circle' ? circle : MARKERS[glyph];
  // Seeded points (mulberry32) so that every run draws the same picture.
  let seed = 12345;
  const random = () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const frame = { left: 40, top: 40, width: 600, height: 400 };
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = dist === 'normal' ? 340 + 100 * gauss() : 40 + 600 * random();
    y[i] = dist === 'normal' ? 240 + 70 * gauss() : 40 + 400 * random();
  }
  const attrs = {
    fill_color: { value: '#1f77b4' }, fill_alpha: { value: fillAlpha },
    line_color: { value: '#1f77b4' }, line_alpha: { value: 1 },
  };
  const g = {
    n, s: { x, y }, sd: {}, num: { size: new Float64Array(n).fill(4) },
    angles: { angle: new Float64Array(n).fill(angle) }, frame, pixelRatio: ratio,
    visuals: {
      fill: new FillVisual(attrs, '', undefined, {}, true),
      line: new LineVisual(attrs, '', undefined, {}, true),
    },
  };
  const indices = Array.from({ length: n }, (_, i) => i);
  const canvas = document.createElement('canvas');
  canvas.width = 680 * ratio;
  canvas.height = 480 * ratio;
  const ctx = canvas.getContext('2d');
  const saved = rasterModule.rasterOptions.minItems;
  rasterModule.rasterOptions.minItems = raster ? 0 : Infinity;
  const times = [];
  try {
    for (let r = 0; r < repeats + 2; r++) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.getImageData(0, 0, 1, 1);
      ctx.save();
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.beginPath();
      ctx.rect(frame.left, frame.top, frame.width, frame.height);
      ctx.clip();
      const started = performance.now();
      impl.draw(ctx, g, indices);
      ctx.getImageData(340 * ratio, 240 * ratio, 1, 1);
      const took = performance.now() - started;
      ctx.restore();
      if (r >= 2) times.push(took); // two warm-up draws (JIT, sprites, tables)
    }
  } finally {
    rasterModule.rasterOptions.minItems = saved;
  }
  return times;
}"""

# Page side: pan-like repaints of the whole page.  Returns [ms, ...].
REDRAW_JS = """async (repeats) => {
  const canvas = document.querySelector('canvas.ps-canvas');
  const ctx = canvas.getContext('2d');
  const times = [];
  for (let r = 0; r < repeats + 2; r++) {
    const started = performance.now();
    await window.plotserver.redraw({ remap: true });
    ctx.getImageData(0, 0, 1, 1);
    if (r >= 2) times.push(performance.now() - started);
  }
  return times;
}"""


def stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    median = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return median, p95


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m plotserver --port N` on a free port, in a scratch directory."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = tempfile.mkdtemp(prefix="raster-bench-")
        self.proc = subprocess.Popen([PYTHON, "-m", "plotserver", "--port", str(self.port)],
                                     cwd=self.workdir, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        import requests
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/bokeh/ping", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("plotserver did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)


def publish_scatter(server: Server, n: int) -> str:
    """A 1,000,000-point circle scatter (normal cloud, default style) published with plotclient;
    returns the URL show() opens."""
    os.environ["PLOTCLIENT_BROWSER"] = "none"
    os.environ["PLOTCLIENT_CONFIG_DIR"] = tempfile.mkdtemp(prefix="raster-bench-client-")
    import numpy as np
    from plotclient.plotting import curdoc, cursession, figure, output_server, show

    rng = np.random.default_rng(7)
    output_server("raster-bench", url=server.url + "/")
    p = figure(plot_width=680, plot_height=480, x_range=(-3, 3), y_range=(-3, 3))
    p.circle(rng.normal(size=n), rng.normal(size=n), size=4)
    show(p)
    return cursession().object_link(curdoc().context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 5 if args.quick else 15
    from playwright.sync_api import sync_playwright

    server = Server()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 900, "height": 700}).new_page()
            page.goto(server.url + "/bokeh/")
            print(f"glyph draw, 600x400 frame, size 4, median / p95 ms of {repeats} "
                  f"(target: 1,000,000 at ratio 1 <= {TARGET_MS:g} ms)")
            print(f"{'glyph':<22}{'points':>10} {'cloud':<8}{'ratio':>5}  {'raster':>17}  {'vector':>17}")
            cases = [("Circle", 0.0, 1.0), ("Circle fill_alpha 0.5", 0.0, 0.5), ("Square", 0.0, 1.0)]
            for label, angle, fill_alpha in cases:
                glyph = label.split()[0]
                for n in (100_000, 1_000_000):
                    for dist in ("normal", "uniform"):
                        for ratio in (1, 2):
                            arg = dict(glyph=glyph, n=n, dist=dist, ratio=ratio, fillAlpha=fill_alpha,
                                       angle=angle, raster=True, repeats=repeats)
                            raster = stats(page.evaluate(DRAW_JS, arg))
                            vector = "-"
                            # The vector path: circles up to 100,000 (seconds); squares not at all
                            # here (quadratic in Chromium: 10,000 take ~1 s, 30,000 ~10 s; see below).
                            if n <= 100_000 and glyph == "Circle" and dist == "normal":
                                med, p95 = stats(page.evaluate(DRAW_JS, {**arg, "raster": False,
                                                                         "repeats": max(3, repeats // 3)}))
                                vector = f"{med:7.1f} / {p95:7.1f}"
                            mark = ""
                            if n == 1_000_000 and ratio == 1:
                                mark = "  met" if raster[1] <= TARGET_MS else "  MISSED"
                            print(f"{label:<22}{n:>10,} {dist:<8}{ratio:>5}  "
                                  f"{raster[0]:7.1f} / {raster[1]:7.1f}  {vector:>17}{mark}")
            # Around the threshold (core/raster.js RASTER_MIN_ITEMS = 2001, the first count the
            # vector path draws as one union): is the raster faster from there on?
            print("\naround the threshold, uniform cloud, ratio 1 unless said, median ms raster / vector")
            for glyph, n, ratio in (("Circle", 2_001, 1), ("Circle", 3_000, 1), ("Circle", 5_000, 1),
                                    ("Circle", 10_000, 1), ("Circle", 2_001, 2), ("Square", 2_001, 1),
                                    ("Square", 10_000, 1)):
                arg = dict(glyph=glyph, n=n, dist="uniform", ratio=ratio, fillAlpha=1.0, angle=0.0,
                           raster=True, repeats=repeats)
                raster = stats(page.evaluate(DRAW_JS, arg))[0]
                vector = stats(page.evaluate(DRAW_JS, {**arg, "raster": False, "repeats": 3}))[0]
                print(f"{glyph:<8}{n:>8,}  ratio {ratio}  {raster:7.2f} / {vector:8.2f}")
            page.context.close()

            url = publish_scatter(server, 1_000_000)
            print("\nfull page, 1,000,000 circles (normal cloud), redraw({remap: true}) + read, "
                  f"median / p95 ms of {repeats}")
            for ratio in (1, 2):
                context = browser.new_context(viewport={"width": 900, "height": 700},
                                              device_scale_factor=ratio)
                page = context.new_page()
                page.goto(url)
                page.wait_for_function("() => window.plotserver && window.plotserver.ready", timeout=120_000)
                page.evaluate("() => window.plotserver.ready")
                med, p95 = stats(page.evaluate(REDRAW_JS, repeats))
                print(f"ratio {ratio}: {med:7.1f} / {p95:7.1f}")
                context.close()
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

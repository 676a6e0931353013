"""The renderer's speed-by-design promises, checked in a real browser: the per-column line
reduction draws the same shape as every point, a data push repaints only the layer it changed,
and HiDPI screens get a sharp canvas with the same geometry."""

from __future__ import annotations

import pytest

from plotclient.plotting import curdoc, cursession, figure, output_server, show

from .browser_helpers import colour_near, plot_info, save_screenshot, to_screen, wait_drawn

# Draws `n` points once in full and once reduced (core/m4.js) on two 600 x 400 canvases and
# compares where the line is: every pixel clearly covered by one drawing must be within 1 px
# of a pixel clearly covered by the other.
SAME_SHAPE_JS = """async ([n, kind]) => {
  const { reduceLine, tracePolyline } = await import('/bokehjs/static/js/core/m4.js');
  const W = 600, H = 400;
  const sx = new Float64Array(n), sy = new Float64Array(n);
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) {
    sx[i] = 20 + (i / n) * (W - 40);
    sy[i] = kind === 'noise' ? 20 + random() * (H - 40)
      : 200 + 150 * Math.sin(sx[i] / 50) + (random() - 0.5) * 6;
  }
  const covered = (x, y, length) => {
    const canvas = document.createElement('canvas');
    canvas.width = W; canvas.height = H;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
    ctx.beginPath(); tracePolyline(ctx, x, y, length);
    ctx.strokeStyle = '#1f77b4'; ctx.lineWidth = 1; ctx.stroke();
    const data = ctx.getImageData(0, 0, W, H).data;
    const mask = new Uint8Array(W * H);
    for (let i = 0; i < W * H; i++) mask[i] = data[i * 4] < 200 ? 1 : 0;
    return mask;
  };
  const near = (mask, x, y) => {
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const X = x + dx, Y = y + dy;
      if (X >= 0 && Y >= 0 && X < W && Y < H && mask[Y * W + X]) return true;
    }
    return false;
  };
  const reduced = reduceLine(sx, sy, 1);
  const a = covered(sx, sy, n), b = covered(reduced.x, reduced.y, reduced.length);
  let pixels = 0, onlyFull = 0, onlyReduced = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = y * W + x;
    if (a[i]) { pixels++; if (!near(b, x, y)) onlyFull++; }
    if (b[i] && !near(a, x, y)) onlyReduced++;
  }
  return { kept: reduced.length, pixels, onlyFull, onlyReduced };
}"""


@pytest.mark.parametrize("n", [100_000, 1_000_000])
@pytest.mark.parametrize("kind", ["noise", "signal"])
def test_line_reduction_draws_the_same_shape(page, live_server, n, kind):
    page.goto(live_server.url + "/bokeh/ping")
    result = page.evaluate(SAME_SHAPE_JS, [n, kind])
    assert result["pixels"] > 4000  # the line is really there
    assert result["onlyFull"] == 0 and result["onlyReduced"] == 0, result
    assert result["kept"] <= 4 * 600, result


def test_a_push_repaints_only_the_glyph_layer(page, live_server, plotclient_env):
    output_server("layers", url=live_server.url + "/")
    p = figure(plot_width=400, plot_height=300, x_range=(0, 10), y_range=(0, 10), title="fixed")
    p.circle([1, 5, 9], [1, 5, 9], size=10, name="pts")
    show(p)
    source = p.select(dict(name="pts"))[0].data_source
    page.goto(cursession().object_link(curdoc().context))
    wait_drawn(page)
    before = plot_info(page)["paints"]
    for k in range(3):
        source.data["y"] = [2 + k, 6, 8 - k]
        cursession().store_objects(source)
        page.wait_for_function(f"() => window.plotserver.pushCount >= {k + 1}")
        page.evaluate("() => window.plotserver.nextRender()")
    after = plot_info(page)["paints"]
    assert after["base"] == before["base"] and after["overlay"] == before["overlay"], (before, after)
    assert after["glyphs"] > before["glyphs"]
    plot = plot_info(page)
    for x, y in [(1, 4), (5, 6), (9, 6)]:
        assert colour_near(page, plot["canvasSelector"], *to_screen(page, plot["id"], x, y), "#1f77b4")


def test_hidpi_canvas(browser, live_server, fixture_docs):
    context = browser.new_context(viewport={"width": 900, "height": 700}, device_scale_factor=2)
    try:
        page = context.new_page()
        doc = fixture_docs["seed_line_show"]
        page.goto(f"{live_server.url}/bokeh/doc/{doc.docid}/{doc.child_ids[0]}")
        wait_drawn(page)
        plot = plot_info(page)
        # Twice the backing pixels, the same CSS size and geometry.
        size = page.eval_on_selector(plot["canvasSelector"],
                                     "c => [c.width, c.height, c.clientWidth, c.clientHeight]")
        assert size == [800, 800, 400, 400]
        assert plot["frame"] == {"left": 40, "top": 40, "width": 320, "height": 320}
        for x, y in [(1, 6), (3, 2), (5, 5)]:
            assert colour_near(page, plot["canvasSelector"], *to_screen(page, plot["id"], x, y),
                               "#1f77b4", tol=110)
        save_screenshot(page, "seed_line_hidpi")
    finally:
        context.close()

"""Pages stay what the server holds: a script's store_objects() changes the pixels; a script run
again replaces the document on an open page (dropped objects disappear); a page survives a
server restart; output_file() pages opened from disk and autoload embeds on another origin
draw; the index page links to every document's page."""

from __future__ import annotations

import base64
import functools
import math
import struct
import threading
import time
import zlib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from conftest import ServerProcess
from plotclient.io import reset_output
from plotclient.plotting import (curdoc, cursession, figure, output_file, output_server, push,
                                 save, show)

from .browser_helpers import (canvas_hash, colour_near, index_url, page_problems, plot_info,
                              save_screenshot, show_page_url, to_screen, wait_drawn)

BLUE = "#1f77b4"
RED = "#ff0000"
GREEN = "#00a000"
THIN = 110  # antialiased 1 px lines, see test_drawing.py


@pytest.fixture(autouse=True)
def quiet_client(plotclient_env):
    """Every test here runs plotclient like a user's script (see conftest.plotclient_env)."""


def publish_line(server, title, xs, ys, color=BLUE):
    """The streaming demo's first half: output_server, figure, line, show. Returns (plot, source,
    url of the page show() opens)."""
    output_server(title, url=server.url + "/")
    p = figure(plot_width=400, plot_height=400)
    p.line(xs, ys, name="ex_line", color=color)
    show(p)
    source = p.select(dict(name="ex_line"))[0].data_source
    return p, source, cursession().object_link(curdoc().context)


def line_drawn_through(page, points, colour=BLUE):
    """True when the line's colour shows at every point (False while a point is off the canvas,
    as it is before the ranges have followed new data)."""
    plot = plot_info(page)
    screen = [to_screen(page, plot["id"], x, y) for x, y in points]
    frame = plot["frame"]
    if not all(frame["left"] - 2 <= sx <= frame["left"] + frame["width"] + 2
               and frame["top"] - 2 <= sy <= frame["top"] + frame["height"] + 2 for sx, sy in screen):
        return False
    return all(colour_near(page, plot["canvasSelector"], sx, sy, colour, radius=2, tol=THIN)
               for sx, sy in screen)


def wait_until(page, predicate, timeout=10.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def test_store_objects_changes_the_pixels(page, live_server):
    _, source, url = publish_line(live_server, "live-update", [1, 2, 3, 4, 5], [6, 7, 2, 4, 5])
    page.goto(url)
    wait_drawn(page)
    # Frames are parsed off the main thread (net.js).
    assert page.evaluate("() => window.plotserver.socketKind") == "worker"
    assert line_drawn_through(page, [(1, 6), (3, 2), (5, 5)])
    before = canvas_hash(page)
    pushes = page.evaluate("() => window.plotserver.pushCount")
    # Fixed y range so that the new data is drawn where the old was not.
    source.data["y"] = [2, 3, 7, 6, 2]
    cursession().store_objects(source)
    wait_until(page, lambda: page.evaluate("() => window.plotserver.pushCount") > pushes, what="the push")
    page.evaluate("() => window.plotserver.nextRender()")
    assert canvas_hash(page) != before
    assert line_drawn_through(page, [(1, 2), (3, 7), (5, 2)])
    plot = plot_info(page)
    # The DataRange1d followed the data: y 2..7 padded by 10 %.
    assert plot["y"]["start"] == pytest.approx(1.75) and plot["y"]["end"] == pytest.approx(7.25)
    save_screenshot(page, "live_update")
    assert page_problems(page) == []


@pytest.mark.parametrize("obstacle", ["no Worker", "worker script refused"])
def test_pages_stay_live_where_no_push_worker_can_start(page, live_server, obstacle):
    """Without workers (or with the worker's script refused, as a strict Content-Security-
    Policy would), the socket lives on the page and stores still reach the canvas."""
    if obstacle == "no Worker":
        page.add_init_script("delete window.Worker;")
    else:
        page.route("**/push_worker.js", lambda route: route.fulfill(status=404, body="refused"))
    _, source, url = publish_line(live_server, f"no-worker-{obstacle}", [1, 2, 3], [1, 2, 3])
    page.goto(url)
    wait_drawn(page)
    assert page.evaluate("() => window.plotserver.socketKind") == "page"
    assert line_drawn_through(page, [(1, 1), (3, 3)])
    source.data["y"] = [3, 1, 3]
    cursession().store_objects(source)
    wait_until(page, lambda: line_drawn_through(page, [(1, 3), (2, 1), (3, 3)]), what="the store drawn")


@pytest.mark.parametrize("socket_kind", ["worker", "page"])
def test_large_columns_arrive_as_binary_frames_and_draw(page, live_server, socket_kind):
    """A store of a few thousand points reaches the page as a binary frame (column_frames):
    the page holds exactly the numbers the script sent, and draws them."""
    if socket_kind == "page":
        page.add_init_script("delete window.Worker;")
    n = 3000
    xs = list(range(n))
    _, source, url = publish_line(live_server, f"binary-{socket_kind}", xs, [0.0] * n)
    page.goto(url)
    wait_drawn(page)
    assert page.evaluate("() => window.plotserver.socketKind") == socket_kind
    pushes = page.evaluate("() => window.plotserver.pushCount")
    ys = [math.sin(x / 300) * 5 + x / 1000 for x in xs]
    source.data["y"] = ys
    cursession().store_objects(source)
    wait_until(page, lambda: page.evaluate("() => window.plotserver.pushCount") > pushes, what="the push")
    frame = page.evaluate("() => window.plotserver.lastFrame")
    assert frame["binary"] is True
    assert frame["bytes"] < 3 * n * 8  # int32 x and float64 y, not 60 KB of JSON text
    held = page.evaluate("""(id) => {
      const data = window.plotserver.doc.get(id).attributes.data;
      return {x: Array.from(data.x), y: Array.from(data.y), typed: data.y instanceof Float64Array};
    }""", source.id)
    assert held == {"x": xs, "y": ys, "typed": True}  # every double exactly as sent
    page.evaluate("() => window.plotserver.nextRender()")
    wait_until(page, lambda: line_drawn_through(page, [(x, ys[x]) for x in (0, 450, 1500, 2999)]),
               what="the stored line drawn")
    # The next store re-sends x unchanged: this page got the previous push, so the frame
    # leaves x out (a column delta) and the page keeps the very x column it holds.
    page.evaluate("(id) => { window.__heldX = window.plotserver.doc.get(id).attributes.data.x; }",
                  source.id)
    pushes = page.evaluate("() => window.plotserver.pushCount")
    ys = [math.cos(x / 200) * 4 for x in xs]
    source.data["y"] = ys
    cursession().store_objects(source)
    wait_until(page, lambda: page.evaluate("() => window.plotserver.pushCount") > pushes, what="the push")
    frame = page.evaluate("() => window.plotserver.lastFrame")
    assert frame["binary"] is True and frame["bytes"] < n * 8 + 4096  # y and the header only
    held = page.evaluate("""(id) => {
      const data = window.plotserver.doc.get(id).attributes.data;
      return {sameX: data.x === window.__heldX, y: Array.from(data.y)};
    }""", source.id)
    assert held == {"sameX": True, "y": ys}
    wait_until(page, lambda: line_drawn_through(page, [(x, ys[x]) for x in (0, 450, 1500, 2999)]),
               what="the second stored line drawn")
    # A page that reads the document anew subscribes again, and gets whole columns until
    # its next push (a delta is relative to the previous push, not to what a read got).
    page.evaluate("""async () => {
      await window.plotserver.resync();
      const channel = window.plotserver.channel;
      await Promise.all([...channel.subscriptions.keys()].map((t) => channel.whenAnswered(t, 5000)));
    }""")
    pushes = page.evaluate("() => window.plotserver.pushCount")
    source.data["y"] = [y + 1 for y in ys]
    cursession().store_objects(source)
    wait_until(page, lambda: page.evaluate("() => window.plotserver.pushCount") > pushes, what="the push")
    assert page.evaluate("() => window.plotserver.lastFrame.bytes") > n * 12
    wait_until(page, lambda: line_drawn_through(page, [(x, ys[x] + 1) for x in (0, 450, 1500, 2999)]),
               what="the third stored line drawn")
    assert page_problems(page) == []


def test_a_delta_the_page_cannot_fill_in_makes_it_read_the_document_anew(page, live_server):
    """Should a page's x ever not be what the server thinks it holds (here: cut short from
    the test), the next delta cannot be filled in: the page reads the document again and
    draws what the server holds."""
    n = 3000
    xs = list(range(n))
    _, source, url = publish_line(live_server, "delta-heal", xs, [0.0] * n)
    page.goto(url)
    wait_drawn(page)

    pushes = page.evaluate("() => window.plotserver.pushCount")
    source.data["y"] = [x / 1000 for x in xs]
    cursession().store_objects(source)  # whole columns: the page subscribed after show()'s push
    wait_until(page, lambda: page.evaluate("() => window.plotserver.pushCount") > pushes, what="the push")
    page.evaluate("(id) => { window.plotserver.doc.get(id).attributes.data.x = new Float64Array(5); }",
                  source.id)
    ys = [math.sin(x / 400) * 3 for x in xs]
    source.data["y"] = ys
    cursession().store_objects(source)  # x left out, and what the page holds is 5 long
    wait_until(page, lambda: line_drawn_through(page, [(x, ys[x]) for x in (0, 700, 1600, 2999)]),
               what="the line as the server holds it")
    # Only a new read of the document can have given the page its x back.
    assert page.evaluate("(id) => Array.from(window.plotserver.doc.get(id).attributes.data.x)",
                         source.id) == xs
    assert page_problems(page) == []


def test_many_stores_end_in_the_last_state_and_render_together(page, live_server):
    _, source, url = publish_line(live_server, "burst", list(range(50)), [0] * 50)
    page.goto(url)
    wait_drawn(page)
    before = page.evaluate("() => [window.plotserver.pushCount, window.plotserver.renderCount]")
    # Keep the page busy for a moment while 10 stores arrive: they queue up and are then
    # applied in one burst, which must draw once or twice, not ten times.
    page.evaluate("""() => { setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 400) {}
    }, 0); }""")
    for k in range(1, 11):
        source.data["y"] = [k] * 50
        cursession().store_objects(source)
    wait_until(page, lambda: page.evaluate("() => window.plotserver.pushCount") >= before[0] + 10,
               what="ten pushes")
    wait_until(page, lambda: line_drawn_through(page, [(0, 10), (49, 10)]), what="the last store drawn")
    after = page.evaluate("() => [window.plotserver.pushCount, window.plotserver.renderCount]")
    assert after[0] - before[0] == 10
    assert after[1] - before[1] <= 3, f"{after[1] - before[1]} renders for 10 pushes"


def test_running_a_script_again_replaces_the_document_on_the_open_page(page, live_server):
    _, _, url = publish_line(live_server, "rerun", [1, 2, 3], [1, 2, 3])
    page.goto(url)
    wait_drawn(page)
    assert line_drawn_through(page, [(1, 1), (3, 3)])
    first_ids = set(page.evaluate("() => [...window.plotserver.doc].map(o => o.id)"))
    # The same script, run again with other data: output_server() clears the document and
    # show() points the PlotContext at a new plot of 23 new objects.
    reset_output()
    _, _, url_again = publish_line(live_server, "rerun", [1, 2, 3], [3, 1, 3], color=RED)
    assert url_again == url
    docid = url.split("/")[-2]
    held = requests.get(f"{live_server.url}/bokeh/bokehinfo/{docid}/").json()["all_models"]
    held_ids = {m["attributes"]["id"] for m in held}

    def page_ids():
        return set(page.evaluate("() => [...window.plotserver.doc].map(o => o.id)"))
    wait_until(page, lambda: page_ids() == held_ids, what="the page holding exactly the server's objects")
    assert len(first_ids - held_ids) == 23  # everything of the first run but the PlotContext
    page.evaluate("() => window.plotserver.nextRender()")
    assert page.locator("canvas").count() == 1
    assert line_drawn_through(page, [(1, 3), (2, 1), (3, 3)], RED)
    sources = page.evaluate("() => [...window.plotserver.doc].filter(o => o.type === 'ColumnDataSource').length")
    assert sources == 1
    save_screenshot(page, "rerun")


def test_page_comes_back_after_a_server_restart(page, tmp_path):
    durable = ("--backend", "sqlite", "--sqlite-path", str(tmp_path / "plots.sqlite3"))
    server = ServerProcess(*durable, workdir=tmp_path)
    try:
        _, source, url = publish_line(server, "restart", [1, 2, 3], [1, 3, 2])
        page.goto(url)
        wait_drawn(page)
        assert line_drawn_through(page, [(1, 1), (2, 3), (3, 2)])
        server.stop()
        status = page.locator(".ps-status")
        wait_until(page, lambda: status.get_attribute("data-state") == "disconnected", what="the notice")
        assert status.is_visible() and "disconnected" in status.inner_text()
        save_screenshot(page, "restart_disconnected")
        server = ServerProcess(*durable, workdir=tmp_path, port=server.port)
        wait_until(page, lambda: status.get_attribute("data-state") == "live", timeout=20,
                   what="reconnecting")
        page.evaluate("() => window.plotserver.nextRender()")
        assert not status.is_visible()
        assert line_drawn_through(page, [(1, 1), (2, 3), (3, 2)])
        # And it is live again: the script's next store reaches it.
        source.data["y"] = [2, 1, 3]
        cursession().store_objects(source)
        wait_until(page, lambda: line_drawn_through(page, [(1, 2), (2, 1), (3, 3)]), what="the new data")
        save_screenshot(page, "restart_back")
    finally:
        server.stop()


def test_output_file_page_opened_from_disk(page, live_server, tmp_path):
    output_file(str(tmp_path / "standalone.html"), title="standalone")
    p = figure(plot_width=300, plot_height=300, title="from disk")
    p.circle([1, 2, 3], [3, 1, 2], size=12, color=RED)
    save(p, resources=live_server.url + "/")
    page.goto((tmp_path / "standalone.html").as_uri())
    wait_drawn(page)
    plot = plot_info(page)
    assert plot["title"] == "from disk"
    for x, y in [(1, 3), (2, 1), (3, 2)]:
        assert colour_near(page, plot["canvasSelector"], *to_screen(page, plot["id"], x, y), RED)
    save_screenshot(page, "output_file")
    assert page_problems(page) == []


def test_autoload_embed_on_another_origin(page, live_server, tmp_path):
    p, _, _ = publish_line(live_server, "embedded", [1, 2, 3], [2, 3, 1])
    (tmp_path / "post.html").write_text("<!DOCTYPE html><html><body><h1>An article</h1>"
                                        f"{cursession().autoload_tag(p)}</body></html>")
    (tmp_path / "favicon.ico").write_bytes(b"")
    # The article comes from another web server (another origin: host name and port differ).
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    article_server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=article_server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://localhost:{article_server.server_address[1]}/post.html")
        wait_drawn(page)
        assert line_drawn_through(page, [(1, 2), (2, 3), (3, 1)])
        assert page.locator("h1").inner_text() == "An article"
        # A worker's script must be same-origin with the page: the embed's socket is the page's.
        assert page.evaluate("() => window.plotserver.socketKind") == "page"
        save_screenshot(page, "autoload_embed")
        assert page_problems(page) == []
    finally:
        article_server.shutdown()
        article_server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_index_page_links_to_each_document(page, live_server):
    publish_line(live_server, "linked doc", [1, 2], [2, 1])
    page.goto(index_url(live_server.url))
    link = page.get_by_role("link", name="linked doc")
    assert link.get_attribute("href") == "/bokeh/doc/linked%20doc/show"
    link.click()
    page.wait_for_url(show_page_url(live_server.url, "linked doc").replace(" ", "%20"))
    wait_drawn(page)
    assert line_drawn_through(page, [(1, 2), (2, 1)])
    save_screenshot(page, "index_link")


def test_public_page_draws_and_follows_stores(page, live_server):
    _, source, url = publish_line(live_server, "public view", [1, 2, 3], [3, 1, 2])
    page.goto(url + "?public=true")
    wait_drawn(page)
    assert line_drawn_through(page, [(1, 3), (2, 1), (3, 2)])
    # The page reads through its own temporary copy (PROTOCOL 4.5) and still hears the owner.
    assert page.evaluate("() => window.plotserver.tempDocid").startswith("temporary-")
    source.data["y"] = [1, 3, 1]
    cursession().store_objects(source)
    wait_until(page, lambda: line_drawn_through(page, [(1, 1), (2, 3), (3, 1)]), what="the store")
    save_screenshot(page, "public_page")
    assert page_problems(page) == []


def test_selection_styles_follow_the_source(page, live_server):
    output_server("selection", url=live_server.url + "/")
    p = figure(plot_width=300, plot_height=300, x_range=(0, 4), y_range=(0, 4))
    p.circle([1, 2, 3], [1, 2, 3], size=20, name="pts")
    show(p)
    source = p.select(dict(name="pts"))[0].data_source
    page.goto(cursession().object_link(curdoc().context))
    wait_drawn(page)
    plot = plot_info(page)

    def shade(x, y):
        return colour_near(page, plot["canvasSelector"], *to_screen(page, plot["id"], x, y), BLUE, 1, 12)

    assert all(shade(v, v) for v in (1, 2, 3))
    # Row 1 selected: it keeps the glyph's look, the others take the plotting API's
    # nonselection glyph (the same blue at alpha 0.1: nearly white).
    source.selected = {"0d": {"flag": False, "indices": []}, "1d": {"indices": [1]}, "2d": {"indices": []}}
    cursession().store_objects(source)
    wait_until(page, lambda: not shade(1, 1), what="the selection drawn")
    assert shade(2, 2) and not shade(3, 3)
    faint = (round(31 * 0.1 + 255 * 0.9), round(119 * 0.1 + 255 * 0.9), round(180 * 0.1 + 255 * 0.9))
    assert colour_near(page, plot["canvasSelector"], *to_screen(page, plot["id"], 3, 3), faint, 1, 8)
    save_screenshot(page, "selection")


def test_a_glyph_added_after_show_appears(page, live_server):
    p, _, url = publish_line(live_server, "grows", [1, 2, 3], [1, 2, 3])
    page.goto(url)
    wait_drawn(page)
    # The script adds glyphs to the shown plot and pushes the document again: new objects
    # (renderers, glyphs, sources) and a changed Plot arrive in one push. Neither glyph's
    # module has loaded on the page yet (the markers' is not even preloaded with the page).
    p.circle([1, 3], [3, 1], size=16, color=RED)
    p.square([2], [2.5], size=16, color=GREEN)
    push()
    plot = plot_info(page)

    def markers_drawn():
        return all(colour_near(page, plot["canvasSelector"], *to_screen(page, plot["id"], x, y), colour)
                   for x, y, colour in [(1, 3, RED), (3, 1, RED), (2, 2.5, GREEN)])
    wait_until(page, markers_drawn, what="the new circles and square")
    assert line_drawn_through(page, [(1, 1), (3, 3)])
    save_screenshot(page, "glyph_added")


def test_a_line_page_fetches_its_document_once_and_no_unused_glyph_module(page, live_server):
    """First-paint economy: the page's document request is the one the page itself preloaded,
    and of the glyph modules only those the plot draws (or the page preloads) are fetched."""
    _, _, url = publish_line(live_server, "economy", [1, 2, 3], [3, 1, 2])
    page.goto(url)
    wait_drawn(page)
    assert line_drawn_through(page, [(1, 3), (2, 1), (3, 2)])
    fetched = page.evaluate("""() => performance.getEntriesByType('resource')
        .map((e) => [new URL(e.name).pathname, e.initiatorType])""")
    documents = [kind for path, kind in fetched if "/bokeh/objinfo/" in path]
    assert documents == ["link"], fetched
    glyph_modules = sorted({path.rsplit("/", 1)[1] for path, _ in fetched if "/js/glyphs/" in path})
    assert glyph_modules == ["circle.js", "common.js", "index.js", "line.js"], glyph_modules


def test_pages_under_a_url_prefix(page, tmp_path):
    server = ServerProcess("--url-prefix", "/plots", workdir=tmp_path)
    try:
        _, _, url = publish_line(server, "prefixed", [1, 2, 3], [1, 3, 2])
        assert "/plots/bokeh/doc/" in url
        page.goto(url)
        wait_drawn(page)
        assert line_drawn_through(page, [(1, 1), (2, 3), (3, 2)])
        assert page_problems(page) == []
        page.goto(index_url(server.url))
        assert page.get_by_role("link", name="prefixed").get_attribute("href") == "/plots/bokeh/doc/prefixed/show"
    finally:
        server.stop()


def solid_png(rgb, size=4) -> bytes:
    """A size x size PNG of one colour (written out here: no imaging library needed)."""
    row = b"\x00" + bytes(rgb) * size
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size))
            + chunk(b"IEND", b""))


# The first pixel of a PNG (given as base64), decoded by the browser itself.
DECODE_PIXEL_JS = """async (b64) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
}"""


@pytest.mark.parametrize("cors", [True, False], ids=["cors", "no-cors"])
def test_image_url_is_drawn_once_it_has_loaded(page, live_server, tmp_path, cors):
    (tmp_path / "red.png").write_bytes(solid_png((255, 0, 0)))
    handler = functools.partial(CorsHandler if cors else QuietHandler, directory=str(tmp_path))
    images = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=images.serve_forever, daemon=True).start()
    try:
        output_server("image url", url=live_server.url + "/")
        p = figure(plot_width=300, plot_height=300, x_range=(0, 4), y_range=(0, 4))
        p.image_url(url=[f"http://127.0.0.1:{images.server_address[1]}/red.png"], x=[1], y=[3], w=[2], h=[2])
        show(p)
        page.goto(cursession().object_link(curdoc().context))
        wait_drawn(page)
        plot = plot_info(page)
        box = page.locator(plot["canvasSelector"]).bounding_box()

        def seen(x, y):
            """The colour a person sees there (a screenshot: works on a tainted canvas too)."""
            sx, sy = to_screen(page, plot["id"], x, y)
            shot = page.screenshot(clip={"x": box["x"] + sx, "y": box["y"] + sy, "width": 1, "height": 1})
            return tuple(page.evaluate(DECODE_PIXEL_JS, base64.b64encode(shot).decode()))
        # Anchored at its top left corner (1, 3), 2 x 2 data units: (2, 2) is inside.
        wait_until(page, lambda: seen(2, 2) == (255, 0, 0), what="the loaded image drawn")
        assert seen(3.5, 0.5) == (255, 255, 255)
        # With CORS allowed by the image's server the canvas stays readable by scripts.
        readable = page.evaluate("(s) => { try { document.querySelector(s).getContext('2d')"
                                 ".getImageData(0, 0, 1, 1); return true; } catch (e) { return false; } }",
                                 plot["canvasSelector"])
        assert readable == cors
        save_screenshot(page, f"image_url_{'cors' if cors else 'plain'}")
    finally:
        images.shutdown()
        images.server_close()


class CorsHandler(SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args):
        pass

"""Smoke test of the browser-test infrastructure: every whole-document fixture loads into a live
server (checked by reading it back), and its pages open in Chromium without page errors."""

from __future__ import annotations

import json

import pytest

from .browser_helpers import (FIXTURE_MODELS, NOT_DOCUMENTS, canvas_hash, colour_near,
                              fixture_documents, index_url, object_page_url, page_problems,
                              pixel_at, plot_info, plots, read_document, render_after,
                              save_screenshot, show_page_url, to_screen, wait_drawn)

DOCUMENTS = sorted(fixture_documents())


def test_every_fixture_file_is_a_document_or_named_as_not_one():
    names = {path.stem for path in FIXTURE_MODELS.glob("*.json")}
    not_documents = {name.removesuffix(".json") for name in NOT_DOCUMENTS}
    assert not_documents <= names, "NOT_DOCUMENTS names a file that does not exist"
    assert names - not_documents == set(DOCUMENTS)
    assert len(DOCUMENTS) >= 13


@pytest.mark.parametrize("name", DOCUMENTS)
def test_fixture_document_reads_back_whole(live_server, fixture_docs, name):
    loaded = fixture_docs[name]
    stored = read_document(live_server.url, loaded.docid)
    contexts = [e for e in stored if e["type"] == "PlotContext"]
    assert [c["id"] for c in contexts] == [loaded.plot_context_id]
    children = contexts[0]["attributes"].get("children", [])
    assert [(c["type"], c["id"]) for c in children] == [(c["type"], c["id"]) for c in loaded.children]
    # Every object of the fixture is reachable, with its type, attributes and the server's doc.
    sent = {e["id"]: e for e in loaded.envelopes}
    assert {e["id"]: e["type"] for e in stored} == {i: e["type"] for i, e in sent.items()}
    for envelope in stored:
        attributes = envelope["attributes"]
        assert attributes["doc"] == loaded.docid
        expected = dict(sent[envelope["id"]]["attributes"], doc=loaded.docid)
        assert json.loads(json.dumps(attributes)) == json.loads(json.dumps(expected)), envelope["id"]


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.get_by_text("link to this").wait_for(state="visible")
    settle(page)


def settle(page) -> None:
    """Until the page has loaded its document: `window.plotserver.ready` settled (resolved or
    rejected) when the renderer provides it, else no HTTP request for 500 ms."""
    settled = page.evaluate("""() => {
      const ready = window.plotserver && window.plotserver.ready;
      if (!ready || typeof ready.then !== 'function') return false;
      const settled = ready.then(() => true, () => true);
      return Promise.race([settled, new Promise(r => setTimeout(() => r(false), 5000))]);
    }""")
    if not settled:
        page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_object_pages_open_without_page_errors(page, live_server, fixture_docs, name):
    loaded = fixture_docs[name]
    for objid in [loaded.plot_context_id, *loaded.child_ids]:
        open_page(page, object_page_url(live_server.url, loaded.docid, objid))
        assert page.page_errors == [], page_problems(page)
    save_screenshot(page, f"infrastructure-{name}")


def test_index_and_show_pages_open(page, live_server, fixture_docs):
    page.goto(index_url(live_server.url), wait_until="load")
    settle(page)
    assert page.page_errors == [], page_problems(page)
    page.goto(show_page_url(live_server.url, "seed_line_show"), wait_until="load")
    settle(page)
    assert page.page_errors == [], page_problems(page)


# A stand-in for the renderer's page-side API (window.plotserver), so that the pixel and
# drawing helpers are checked before the renderer provides it: one 200x100 CSS px canvas
# scaled by devicePixelRatio, white, with a red 20x20 square at CSS (50, 40) and a blue pixel
# row drawn on each nextRender().
STAND_IN = """<!DOCTYPE html><html><body style="margin:0">
<canvas id="plot1" style="width:200px;height:100px"></canvas>
<script>
const canvas = document.getElementById('plot1'), r = window.devicePixelRatio;
canvas.width = 200 * r; canvas.height = 100 * r;
const ctx = canvas.getContext('2d');
ctx.scale(r, r);
let waiting = [];
function draw(n) {
  ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, 200, 100);
  ctx.fillStyle = 'rgb(255, 0, 0)'; ctx.fillRect(50, 40, 20, 20);
  ctx.fillStyle = 'rgba(0, 0, 255, 0.5)'; ctx.fillRect(0, 90, n, 1);
  const done = waiting; waiting = []; done.forEach(resolve => resolve());
}
let draws = 0;
window.plotserver = {
  ready: new Promise(resolve => setTimeout(() => { draw(draws++); resolve(); }, 50)),
  nextRender: () => new Promise(resolve => waiting.push(resolve)),
  redraw: () => setTimeout(() => draw(100 * draws++), 30),
  plots: () => [{id: 'p1', canvasSelector: '#plot1', frame: {left: 10, top: 10, width: 180, height: 80},
                 x: {start: 0, end: 10}, y: {start: 0, end: 5},
                 tickLabels: {below: ['0', '5', '10'], left: ['0', '5'], above: [], right: []},
                 legendLabels: []}],
  toScreen: (id, x, y) => [10 + x * 18, 90 - y * 16],
};
</script></body></html>"""


@pytest.mark.parametrize("scale", [1, 2])
def test_drawing_helpers_against_a_stand_in_page(browser, scale):
    context = browser.new_context(viewport={"width": 300, "height": 200}, device_scale_factor=scale)
    try:
        stand_in = context.new_page()
        stand_in.set_content(STAND_IN)
        wait_drawn(stand_in)
        plot = plot_info(stand_in)
        assert plot["id"] == "p1" and plot["canvasSelector"] == "#plot1"
        assert plots(stand_in)[0]["tickLabels"]["below"] == ["0", "5", "10"]
        assert to_screen(stand_in, "p1", 5, 2.5) == (100, 50)
        assert pixel_at(stand_in, "#plot1", 60, 50) == (255, 0, 0, 255)
        assert pixel_at(stand_in, "#plot1", 45, 50) == (255, 255, 255, 255)
        assert colour_near(stand_in, "#plot1", 48, 50, (255, 0, 0))  # 2 px from the square
        assert not colour_near(stand_in, "#plot1", 46, 50, "#ff0000")
        assert colour_near(stand_in, "#plot1", 46, 50, "#ff0000", radius=4)
        assert not colour_near(stand_in, "#plot1", 5, 90, "#0000ff")  # nothing drawn there yet
        before = canvas_hash(stand_in)
        assert canvas_hash(stand_in) == before
        with render_after(stand_in):
            stand_in.evaluate("() => window.plotserver.redraw()")
        # Half-transparent blue over white, as seen.
        assert colour_near(stand_in, "#plot1", 5, 90, (127, 127, 255), radius=0, tol=3)
        assert canvas_hash(stand_in) != before
        with pytest.raises(Exception, match="outside"):
            pixel_at(stand_in, "#plot1", 250, 50)
    finally:
        context.close()

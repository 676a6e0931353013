"""Real-browser helpers: Debian's Chromium driven by Playwright, fixture documents loaded into a
live plotserver, page URLs, screenshots, and pixel probes built on the page-side API of
plotserver's renderer (`window.plotserver`).

Used by tests/browser/conftest.py and by scripts/gallery.py; imports neither pytest nor the
test conftest, so a script can use it with `tests/browser` on sys.path.

The page-side API (provided by plotserver/static/js):

* `window.plotserver.ready`: a Promise resolved after the first complete draw;
* `window.plotserver.nextRender()`: a Promise resolved after the next draw;
* `window.plotserver.plots()`: `[{id, canvasSelector, frame: {left, top, width, height},
  x: {start, end}, y: {start, end}, tickLabels: {below, left, above, right},
  legendLabels}]`; `frame` in CSS px relative to the canvas;
* `window.plotserver.toScreen(plotId, x, y)`: `[sx, sy]`, CSS px relative to that plot's canvas.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

REPO = Path(__file__).resolve().parents[2]
FIXTURE_MODELS = REPO / "tests" / "fixtures" / "models"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
EXAMPLES = REPO / "examples"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
# What every example prints, as bokeh 0.10's scripts did: Session(load_from_config=True) (the
# default of output_server) announces the config file it reads.
EXPECTED_OUTPUT = ("Using saved session configuration for ",
                   "To override, pass 'load_from_config=False' to Session",
                   "The plot is at ")  # show() without a browser says where the plot is


CHROMIUM = "/usr/bin/chromium"
# The machine has no outside network: without these Chromium floods refused connections
# (component updates, sync, QUIC probes...). Playwright adds --headless and gives each launch
# a fresh temporary profile (user-data dir) that it deletes on close.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 900, "height": 700}  # the reference screenshots' viewport

# Fixture files holding a PlotContext but that are not meant as documents, and files without
# one (`fixture_documents()` skips every file without a PlotContext anyway): named so the
# choice is visible.
NOT_DOCUMENTS = {
    "seed_line_store_objects.json":
        "the body of a store_objects() update (one ColumnDataSource of seed_line_show), not a document",
}

DEFAULT_TIMEOUT_MS = 10_000

# Headers the Python client sends on every request (PROTOCOL.md 10.1).
CLIENT_HEADERS = {"BOKEHUSER": "defaultuser", "BOKEHUSER-API-KEY": "nokey",
                  "Content-Type": "application/json"}


class ChromiumMissing(RuntimeError):
    pass


def chromium_missing_message() -> str:
    return (f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(as root: apt-get install -y chromium; `make test` does this itself). "
            "Browser tests are never skipped.")


def check_chromium() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        raise ChromiumMissing(chromium_missing_message())


def launch_chromium(playwright):
    """A headless Chromium (Debian's, through `executable_path`) with the offline flags."""
    check_chromium()
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def new_page(browser, viewport: dict | None = None):
    """A page in a new context (900x700, device scale factor 1) that records its problems:
    `page.console_errors` (console messages of type error, with their location),
    `page.page_errors` (uncaught exceptions and unhandled rejections) and
    `page.failed_requests` (requests that got no answer). The context is `page.context`:
    close it when done."""
    context = browser.new_context(viewport=viewport or VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.console_errors = []
    page.page_errors = []
    page.failed_requests = []

    def on_console(message):
        if message.type == "error":
            location = message.location or {}
            where = f" ({location.get('url', '')}:{location.get('lineNumber', '')})" if location else ""
            page.console_errors.append(message.text + where)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.on("requestfailed", lambda request: page.failed_requests.append(
        f"{request.method} {request.url}: {request.failure}"))
    return page


def page_problems(page) -> list[str]:
    """Everything recorded on `page` that a healthy page does not produce."""
    return ([f"page error: {e}" for e in page.page_errors]
            + [f"console error: {e}" for e in page.console_errors]
            + [f"request failed: {e}" for e in page.failed_requests])


# ---------------------------------------------------------------- fixture documents


@dataclass
class FixtureDocument:
    title: str
    docid: str
    plot_context_id: str
    children: list[dict]  # [{"type": ..., "id": ...}] of the PlotContext, in order
    envelopes: list[dict] = field(repr=False)  # what was sent (ids and docs rewritten)

    @property
    def child_ids(self) -> list[str]:
        return [child["id"] for child in self.children]


def fixture_documents() -> dict[str, list[dict]]:
    """{fixture stem: envelopes} for every file of tests/fixtures/models/ that is a whole
    document (holds exactly one PlotContext and is not in NOT_DOCUMENTS)."""
    documents = {}
    for path in sorted(FIXTURE_MODELS.glob("*.json")):
        if path.name in NOT_DOCUMENTS:
            continue
        envelopes = json.loads(path.read_text())
        if sum(1 for e in envelopes if e.get("type") == "PlotContext") == 1:
            documents[path.stem] = envelopes
    return documents


def rewrite_for_document(envelopes: list[dict], plot_context_id: str, docid: str) -> list[dict]:
    """A copy of `envelopes` whose own PlotContext id is replaced by `plot_context_id` everywhere
    (envelope `id`, `attributes.id`, every reference) and whose every `attributes.doc` is
    `docid`."""
    contexts = [e for e in envelopes if e.get("type") == "PlotContext"]
    if len(contexts) != 1:
        raise ValueError(f"a document holds exactly one PlotContext, these envelopes {len(contexts)}")
    old_id = contexts[0]["id"]
    result = copy.deepcopy(envelopes)

    def walk(value):
        if isinstance(value, dict):
            if value.get("id") == old_id:
                value["id"] = plot_context_id
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(result)
    for envelope in result:
        if "doc" in envelope.get("attributes", {}):
            envelope["attributes"]["doc"] = docid
    if old_id != plot_context_id and old_id in json.dumps(result):
        raise AssertionError(f"PlotContext id {old_id} still appears after the rewrite")
    return result


def load_fixture_document(server_url: str, title: str, envelopes: list[dict]) -> FixtureDocument:
    """Put a fixture document into a live server as the Python client would (PROTOCOL.md
    10.4-10.6): create the document titled `title`, read its PlotContext id, rewrite the
    fixture's PlotContext id and `doc`s to the server's, and bulkupsert the envelopes."""
    http = requests.Session()
    http.headers.update(CLIENT_HEADERS)
    reply = http.post(f"{server_url}/bokeh/doc/", json={"title": title}, timeout=10)
    _check(reply, f"creating document {title!r}")
    docid = next(d["docid"] for d in reply.json()["docs"] if d["title"] == title)
    keys = http.get(f"{server_url}/bokeh/getdocapikey/{docid}", timeout=10)
    _check(keys, "reading the document's api key")
    # Single-user mode ignores the key; a multi-user server wants the read-write key for writes.
    write_headers = {"BOKEH-API-KEY": keys.json()["apikey"]} if "apikey" in keys.json() else {}
    current = http.get(f"{server_url}/bokeh/bb/{docid}/", timeout=10)
    _check(current, "reading the new document")
    plot_context_id = next(e["id"] for e in current.json() if e["type"] == "PlotContext")
    sent = rewrite_for_document(envelopes, plot_context_id, docid)
    reply = http.post(f"{server_url}/bokeh/bb/{docid}/bulkupsert", data=json.dumps(sent),
                      headers=write_headers, timeout=30)
    _check(reply, f"bulkupsert of {len(sent)} envelopes into {title!r}")
    context = next(e for e in sent if e["type"] == "PlotContext")
    children = [{"type": c["type"], "id": c["id"]} for c in context["attributes"].get("children", [])]
    return FixtureDocument(title, docid, plot_context_id, children, sent)


def read_document(server_url: str, docid: str) -> list[dict]:
    """`GET /bokeh/bb/<docid>/`: the envelopes of every object reachable from the PlotContext."""
    reply = requests.get(f"{server_url}/bokeh/bb/{docid}/", headers=CLIENT_HEADERS, timeout=10)
    _check(reply, f"reading document {docid}")
    return reply.json()


def _check(reply: requests.Response, what: str) -> None:
    if reply.status_code != 200:
        raise RuntimeError(f"{what}: {reply.request.method} {reply.url} answered "
                           f"{reply.status_code}: {reply.text[:500]}")


# ---------------------------------------------------------------- page URLs


def object_page_url(server_url: str, docid: str, objid: str) -> str:
    """The single-object page `show()` opens (objid: the PlotContext or one of its children)."""
    return f"{server_url}/bokeh/doc/{docid}/{objid}"


def show_page_url(server_url: str, title: str) -> str:
    return f"{server_url}/bokeh/doc/{quote(title, safe='')}/show"


def index_url(server_url: str) -> str:
    return f"{server_url}/bokeh/"


# ---------------------------------------------------------------- screenshots


def save_screenshot(page, name: str, directory: Path = SCREENSHOTS) -> Path:
    """Writes `<directory>/<name>.png` (default tests/browser/screenshots/) and returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".png")
    page.screenshot(path=str(path))
    return path


# ---------------------------------------------------------------- page-side API


def _timed(promise_js: str, timeout_ms: int, what: str) -> str:
    """JavaScript: `promise_js` raced against a timeout that rejects naming `what`."""
    return (f"Promise.race([Promise.resolve({promise_js}).then(() => true), new Promise((_, reject) => "
            f"setTimeout(() => reject(new Error({json.dumps(what)} + ' after {timeout_ms} ms')), "
            f"{timeout_ms}))])")


def wait_drawn(page, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
    """Waits until `window.plotserver.ready` has resolved (the first complete draw)."""
    try:
        page.wait_for_function("() => !!(window.plotserver && window.plotserver.ready)",
                               timeout=timeout_ms)
    except Exception as exc:
        raise AssertionError(f"window.plotserver.ready did not appear within {timeout_ms} ms "
                             f"on {page.url}") from exc
    page.evaluate(f"() => {_timed('window.plotserver.ready', timeout_ms, 'window.plotserver.ready did not resolve')}")


@contextmanager
def render_after(page, timeout_ms: int = DEFAULT_TIMEOUT_MS):
    """`with render_after(page): <action>` returns once the page has drawn again after the
    action (`window.plotserver.nextRender()` is asked for before the action runs)."""
    page.evaluate("() => { window.__plotserverNextRender = window.plotserver.nextRender(); }")
    yield
    page.evaluate(f"() => {_timed('window.__plotserverNextRender', timeout_ms, 'no render followed')}")


def plots(page) -> list[dict]:
    """`window.plotserver.plots()`: one plain object per drawn plot."""
    return page.evaluate("() => window.plotserver.plots()")


def plot_info(page, plot_id: str | None = None) -> dict:
    """The entry of `plots(page)` with that id (default: the only plot)."""
    found = plots(page)
    if plot_id is None:
        if len(found) != 1:
            raise AssertionError(f"expected one plot, the page has {len(found)}")
        return found[0]
    return next(p for p in found if p["id"] == plot_id)


def to_screen(page, plot_id: str, x, y) -> tuple[float, float]:
    """Data coordinates -> CSS px relative to that plot's canvas."""
    sx, sy = page.evaluate("([id, x, y]) => window.plotserver.toScreen(id, x, y)", [plot_id, x, y])
    return sx, sy


_READ_PIXELS = """([selector, sx, sy, radius]) => {
  const canvas = document.querySelector(selector);
  if (!canvas) throw new Error('no element matches ' + selector);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(selector + ' has no 2d context');
  const ratio = window.devicePixelRatio || 1;
  const cx = Math.floor(sx * ratio), cy = Math.floor(sy * ratio), r = Math.round(radius * ratio);
  const x0 = Math.max(0, cx - r), y0 = Math.max(0, cy - r);
  const x1 = Math.min(canvas.width - 1, cx + r), y1 = Math.min(canvas.height - 1, cy + r);
  if (x1 < x0 || y1 < y0) throw new Error(`(${sx}, ${sy}) is outside ${selector} (${canvas.width}x${canvas.height} px)`);
  const data = ctx.getImageData(x0, y0, x1 - x0 + 1, y1 - y0 + 1).data;
  return Array.from(data);
}"""


def pixel_at(page, canvas_selector: str, sx: float, sy: float) -> tuple[int, int, int, int]:
    """(r, g, b, a) of the canvas pixel at CSS px (sx, sy) relative to the canvas."""
    r, g, b, a = page.evaluate(_READ_PIXELS, [canvas_selector, sx, sy, 0])
    return r, g, b, a


def parse_colour(colour) -> tuple[int, int, int]:
    """(r, g, b) from a tuple or a '#rrggbb' / '#rgb' string."""
    if isinstance(colour, str):
        text = colour.lstrip("#")
        if len(text) == 3:
            text = "".join(c * 2 for c in text)
        return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))
    return tuple(int(c) for c in colour[:3])


def colour_near(page, canvas_selector: str, sx: float, sy: float, rgb, radius: float = 2,
                tol: int = 40) -> bool:
    """True if some canvas pixel within `radius` CSS px of (sx, sy) has colour `rgb` (each channel
    within `tol`), the pixel being taken as seen on a white page (composited over white)."""
    target = parse_colour(rgb)
    data = page.evaluate(_READ_PIXELS, [canvas_selector, sx, sy, radius])
    for i in range(0, len(data), 4):
        alpha = data[i + 3] / 255
        seen = [c * alpha + 255 * (1 - alpha) for c in data[i:i + 3]]
        if all(abs(s - t) <= tol for s, t in zip(seen, target)):
            return True
    return False


def canvas_hash(page, selector: str = "canvas") -> str:
    """A digest of the pixels of every canvas matching `selector`, in document order."""
    images = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).map(
             c => c.width + 'x' + c.height + ':' + c.toDataURL('image/png'))""", selector)
    return hashlib.sha256("\n".join(images).encode()).hexdigest()


# ---------------------------------------------------------------- example scripts


def run_example(script: Path, server_url: str, workdir: Path, timeout_s: float) -> list[str]:
    """Runs one example script as a user would (no browser opened); returns what went wrong:
    a non-zero exit, a timeout, and any output besides EXPECTED_OUTPUT (the first 20 lines of
    it, or the last 40 when the script failed)."""
    python = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
    configdir = workdir / "plotclient-config"
    configdir.mkdir(exist_ok=True)
    env = dict(os.environ, PLOTSERVER_URL=server_url + "/", PLOTCLIENT_BROWSER="none",
               PLOTCLIENT_CONFIG_DIR=str(configdir), PYTHONUNBUFFERED="1")
    try:
        done = subprocess.run([python, str(script)], cwd=workdir, env=env, capture_output=True,
                              text=True, errors="replace", timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        problems = [f"script did not finish within {timeout_s:g} s"]
        output = [exc.stdout, exc.stderr]
        code = None
    else:
        problems = [] if done.returncode == 0 else [f"script exited with {done.returncode}"]
        output = [done.stdout, done.stderr]
        code = done.returncode
    for stream, text in zip(("stdout", "stderr"), output):
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        lines = [line for line in (text or "").strip().splitlines()
                 if not any(line.startswith(known) for known in EXPECTED_OUTPUT)]
        if lines:
            shown = lines if code not in (None, 0) else lines[:20]
            problems.append(f"script {stream}: " + "\n".join(shown[-40:]))
    return problems


def example_page(server_url: str, title: str) -> tuple[str, str, str]:
    """(docid, PlotContext id, page URL) of the document titled `title`, as `show()` opens it."""
    http = requests.Session()
    http.headers.update(CLIENT_HEADERS)
    info = http.get(f"{server_url}/bokeh/userinfo/", timeout=10)
    info.raise_for_status()
    docids = [d["docid"] for d in info.json().get("docs", []) if d.get("title") == title]
    if not docids:
        raise LookupError(f"the server has no document titled {title!r}")
    docid = docids[-1]
    doc = http.get(f"{server_url}/bokeh/bokehinfo/{docid}/", timeout=10)
    doc.raise_for_status()
    context_id = doc.json()["plot_context_ref"]["id"]
    return docid, context_id, object_page_url(server_url, docid, context_id)

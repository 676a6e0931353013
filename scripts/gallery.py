"""`make gallery`: screenshots of plotserver's pages next to the original bokeh-server 0.10's
screenshots of the same documents, in two sections.

Fixtures: starts a plotserver on a free port, loads every whole-document fixture of
tests/fixtures/models/ (titled by its file name), opens the object page of each top-level
child of its PlotContext (the PlotContext's own page for a document without children) in
headless Chromium at 900x700, waits for `window.plotserver.ready` and saves
`gallery/<name>.png`. `<name>` is the reference's naming: the fixture name (`seed_line` for
seed_line_show), with `_<i>` added for the i-th child after the first. The reference PNG of
the same name is copied into `gallery/reference/` so the folder is self-contained.

Examples: runs every `examples/*.py` against a second, fresh server (the venv's python,
PLOTSERVER_URL=<server>/, PLOTCLIENT_BROWSER=none, a private PLOTCLIENT_CONFIG_DIR, 60 s at
most), finds the document titled after the script in `/bokeh/userinfo/`, opens the page its
`show()` would have opened (`/bokeh/doc/<docid>/<PlotContext id>`, from
`/bokeh/bokehinfo/<docid>/`), waits for `window.plotserver.ready` and one more animation frame
and saves the whole page (as the references were saved) as `gallery/examples/<name>.png`,
beside `../shared/reference/examples/<name>.png` (copied to `gallery/examples/reference/`).
A script that fails, times out or prints anything but the two lines every `Session()` prints
is listed with its output.

`gallery/index.html` shows both sections. A run limited to one section (or to some examples)
keeps the other screenshots of the previous run (remembered in `gallery/shots.json`).

    python scripts/gallery.py [--only-fixtures | --only-examples] [--example NAME ...]
                              [--reference DIR] [--examples-reference DIR] [--out DIR]
                              [--timeout SECONDS] [--script-timeout SECONDS]
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser.browser_helpers import (EXAMPLES, ChromiumMissing,  # noqa: E402
                                     FixtureDocument, example_page, fixture_documents,
                                     launch_chromium, load_fixture_document, new_page,
                                     object_page_url, page_problems, run_example,
                                     save_screenshot)
from conftest import ServerProcess  # noqa: E402  (tests/conftest.py)

# Fixture stem -> the reference screenshot's name, where they differ.
REFERENCE_NAMES = {"seed_line_show": "seed_line"}
API_WAIT_S = 2.0  # how long to wait for window.plotserver to appear before giving up on it
SHOTS_FILE = "shots.json"  # what the last run showed, so a partial run keeps the rest


@dataclass
class Shot:
    name: str
    fixture: str  # the fixture stem, or the example script's file name
    objtype: str
    objid: str
    url: str
    drawn: str = ""  # how the wait ended
    seconds: float = 0.0  # page load, draw and screenshot
    problems: list[str] = field(default_factory=list)
    script_seconds: float = 0.0  # examples: how long the script ran


def targets(name: str, doc: FixtureDocument) -> list[tuple[str, str, str]]:
    """(screenshot name, object type, object id) for each page of the document to show."""
    base = REFERENCE_NAMES.get(name, name)
    if not doc.children:
        return [(base, "PlotContext", doc.plot_context_id)]
    return [(base if i == 0 else f"{base}_{i}", child["type"], child["id"])
            for i, child in enumerate(doc.children)]


def wait_for_draw(page, timeout_s: float, settle: str = "timeout") -> str:
    """Waits for `window.plotserver.ready`; without that API, for API_WAIT_S seconds. Then lets
    the last frame reach the screen: 100 ms (`settle="timeout"`) or one more animation frame
    (`settle="frame"`)."""
    try:
        page.wait_for_function("() => !!(window.plotserver && window.plotserver.ready)",
                               timeout=API_WAIT_S * 1000)
    except Exception:
        return f"no window.plotserver.ready: waited {API_WAIT_S:g} s"
    outcome = page.evaluate("""(ms) => Promise.race([
        Promise.resolve(window.plotserver.ready).then(() => 'ready', e => 'ready rejected: ' + e),
        new Promise(r => setTimeout(() => r('ready did not resolve within ' + ms / 1000 + ' s'), ms))])""",
                            int(timeout_s * 1000))
    if settle == "frame":
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
    else:
        page.wait_for_timeout(100)
    return outcome


# ---------------------------------------------------------------- fixtures


def shoot_fixtures(browser, server_url: str, out: Path, timeout_s: float) -> list[Shot]:
    documents = {name: load_fixture_document(server_url, name, envelopes)
                 for name, envelopes in fixture_documents().items()}
    shots: list[Shot] = []
    for fixture, doc in documents.items():
        for name, objtype, objid in targets(fixture, doc):
            shot = Shot(name, fixture, objtype, objid, object_page_url(server_url, doc.docid, objid))
            page = new_page(browser)
            started = time.monotonic()
            try:
                page.goto(shot.url, wait_until="load")
                shot.drawn = wait_for_draw(page, timeout_s)
                save_screenshot(page, name, out)
            except Exception as exc:  # one bad page must not stop the gallery
                shot.drawn = f"failed: {exc}".splitlines()[0]
                try:
                    save_screenshot(page, name, out)
                except Exception:
                    pass
            shot.seconds = time.monotonic() - started
            shot.problems = page_problems(page)
            page.context.close()
            shots.append(shot)
            flag = f" ({len(shot.problems)} problems)" if shot.problems else ""
            print(f"gallery: {name}.png  {shot.drawn}{flag}")
    return shots


# ---------------------------------------------------------------- examples


def example_scripts(names: list[str] | None = None) -> list[Path]:
    scripts = sorted(EXAMPLES.glob("*.py"))
    if names:
        known = {s.stem: s for s in scripts}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise SystemExit(f"gallery: no examples/{unknown[0]}.py")
        scripts = [known[n] for n in names]
    return scripts


def shoot_examples(browser, server_url: str, out: Path, workdir: Path, scripts: list[Path],
                   timeout_s: float, script_timeout_s: float) -> list[Shot]:
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Shot] = []
    for script in scripts:
        name = script.stem
        shot = Shot(name, script.name, "PlotContext", "", "")
        started = time.monotonic()
        shot.problems = run_example(script, server_url, workdir, script_timeout_s)
        shot.script_seconds = time.monotonic() - started
        (out / f"{name}.png").unlink(missing_ok=True)
        try:
            _, shot.objid, shot.url = example_page(server_url, name)
        except Exception as exc:
            shot.drawn = f"no page: {exc}".splitlines()[0]
        if shot.url:
            page = new_page(browser)
            started = time.monotonic()
            try:
                page.goto(shot.url, wait_until="load")
                shot.drawn = wait_for_draw(page, timeout_s, settle="frame")
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            except Exception as exc:  # one bad page must not stop the gallery
                shot.drawn = f"failed: {exc}".splitlines()[0]
                try:
                    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                except Exception:
                    pass
            shot.seconds = time.monotonic() - started
            shot.problems += page_problems(page)
            page.context.close()
        shots.append(shot)
        flag = f" ({len(shot.problems)} problems)" if shot.problems else ""
        print(f"gallery: examples/{name}.png  script {shot.script_seconds:.1f} s, "
              f"{shot.drawn}{flag}")
    return shots


# ---------------------------------------------------------------- index


def copy_references(source: Path, target: Path) -> dict[str, Path]:
    references: dict[str, Path] = {}
    if not source.is_dir():
        print(f"gallery: no reference folder {source}; showing plotserver's pages only",
              file=sys.stderr)
        return references
    target.mkdir(parents=True, exist_ok=True)
    for png in sorted(source.glob("*.png")):
        shutil.copyfile(png, target / png.name)
        references[png.stem] = png
    return references


def section_html(shots: list[Shot], references: set[str], prefix: str, anchor: str,
                 describe) -> str:
    def img(src: str, alt: str) -> str:
        return f'<a href="{html.escape(src)}"><img src="{html.escape(src)}" alt="{html.escape(alt)}"></a>'

    rows = []
    for shot in shots:
        reference = (img(f"{prefix}reference/{shot.name}.png", f"reference {shot.name}")
                     if shot.name in references else '<p class="none">no reference screenshot</p>')
        problems = "".join(f"<li><pre>{html.escape(p)}</pre></li>" for p in shot.problems)
        rows.append(f"""<section id="{anchor}{html.escape(shot.name)}">
<h3>{html.escape(shot.name)}</h3>
<p class="meta">{describe(shot)}</p>
{f'<ul class="problems">{problems}</ul>' if problems else ''}
<div class="pair">
<figure><div class="frame">{img(f"{prefix}{shot.name}.png", f"plotserver {shot.name}")}</div>
<figcaption>plotserver</figcaption></figure>
<figure><div class="frame">{reference}</div>
<figcaption>bokeh-server 0.10 (reference)</figcaption></figure></div>
</section>""")
    shown = {shot.name for shot in shots}
    unmatched = sorted(references - shown)
    extra = ("<p>Reference screenshots without a page here: "
             + ", ".join(f'<a href="{prefix}reference/{html.escape(n)}.png">{html.escape(n)}</a>'
                         for n in unmatched) + "</p>") if unmatched else ""
    nav = " ".join(f'<a href="#{anchor}{html.escape(s.name)}">{html.escape(s.name)}</a>' for s in shots)
    return f"<nav>{nav}</nav>\n{extra}\n" + "".join(rows)


def write_index(out: Path, fixtures: list[Shot], examples: list[Shot], fixture_refs: set[str],
                example_refs: set[str], server_url: str) -> Path:
    def fixture_meta(shot: Shot) -> str:
        return (f"fixture <code>{html.escape(shot.fixture)}.json</code>, {html.escape(shot.objtype)} "
                f"<code>{html.escape(shot.objid)}</code>; {html.escape(shot.drawn)} ({shot.seconds:.1f} s)")

    def example_meta(shot: Shot) -> str:
        return (f'script <a href="../examples/{html.escape(shot.fixture)}"><code>examples/'
                f'{html.escape(shot.fixture)}</code></a> ran {shot.script_seconds:.1f} s; page '
                f"<code>{html.escape(shot.url.split('/bokeh/', 1)[-1]) if shot.url else '-'}</code>; "
                f"{html.escape(shot.drawn)} ({shot.seconds:.1f} s)")

    index = out / "index.html"
    index.write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>plotserver gallery</title>
<style>
body {{ font-family: sans-serif; margin: 1em 2em; color: #222; }}
.pair {{ display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }}
figure {{ margin: 0; }}
.frame {{ max-height: 1400px; overflow-y: auto; }}
img {{ width: 450px; border: 1px solid #bbb; }}
figcaption, .meta {{ font-size: 0.85em; color: #555; }}
.problems {{ color: #a00; font-size: 0.85em; }}
.problems pre {{ white-space: pre-wrap; margin: 0; }}
.none {{ width: 450px; height: 350px; border: 1px dashed #bbb; display: flex; align-items: center;
         justify-content: center; color: #888; margin: 0; }}
nav a {{ margin-right: 0.8em; }}
</style></head><body>
<h1>plotserver gallery</h1>
<p>Each page of plotserver (left, {html.escape(server_url)} at {time.strftime("%Y-%m-%d %H:%M")})
next to the original bokeh-server 0.10's page for the same document (right). Viewport 900x700.</p>
<p><a href="#fixtures">Fixture documents</a> ({len(fixtures)}) &middot;
<a href="#examples">Example scripts</a> ({len(examples)})</p>
<h2 id="fixtures">Fixture documents</h2>
<p>The whole-document fixtures of <code>tests/fixtures/models/</code>, one page per top-level
child (the viewport only).</p>
{section_html(fixtures, fixture_refs, "", "", fixture_meta) if fixtures else "<p>Not run.</p>"}
<h2 id="examples">Example scripts</h2>
<p>Each <code>examples/*.py</code> run against the server; the page its <code>show()</code> opens
(the document's PlotContext), the whole page saved, like the references.</p>
{section_html(examples, example_refs, "examples/", "example-", example_meta) if examples else "<p>Not run.</p>"}
</body></html>
""")
    return index


def load_previous(out: Path) -> dict[str, list[Shot]]:
    try:
        data = json.loads((out / SHOTS_FILE).read_text())
        return {section: [Shot(**s) for s in data.get(section, [])] for section in ("fixtures", "examples")}
    except (OSError, ValueError, TypeError):
        return {"fixtures": [], "examples": []}


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--only-fixtures", action="store_true", help="the fixture section only")
    only.add_argument("--only-examples", action="store_true", help="the examples section only")
    parser.add_argument("--example", action="append", metavar="NAME",
                        help="run only this example (repeatable; implies --only-examples)")
    parser.add_argument("--reference", type=Path, default=REPO.parent / "shared" / "reference",
                        help="folder of the fixtures' reference PNGs (default: ../shared/reference)")
    parser.add_argument("--examples-reference", type=Path,
                        default=REPO.parent / "shared" / "reference" / "examples",
                        help="folder of the examples' reference PNGs "
                             "(default: ../shared/reference/examples)")
    parser.add_argument("--out", type=Path, default=REPO / "gallery", help="output folder")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="seconds to wait for window.plotserver.ready on each page")
    parser.add_argument("--script-timeout", type=float, default=60.0,
                        help="seconds an example script may run")
    args = parser.parse_args(argv)
    if args.example and args.only_fixtures:
        parser.error("--example cannot be combined with --only-fixtures")
    do_fixtures = not (args.only_examples or args.example)
    do_examples = not args.only_fixtures

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    previous = load_previous(out)
    if do_fixtures:
        for old in out.glob("*.png"):
            old.unlink()
    fixture_refs = set(copy_references(args.reference, out / "reference")) if do_fixtures else {
        p.stem for p in (out / "reference").glob("*.png")}
    examples_out = out / "examples"
    scripts = example_scripts(args.example) if do_examples else []
    if do_examples:
        examples_out.mkdir(exist_ok=True)
        if not args.example:
            for old in examples_out.glob("*.png"):
                old.unlink()
        example_refs = set(copy_references(args.examples_reference, examples_out / "reference"))
    else:
        example_refs = {p.stem for p in (examples_out / "reference").glob("*.png")}

    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    fixture_shots = previous["fixtures"]
    example_shots = previous["examples"]
    server_urls = []
    with tempfile.TemporaryDirectory(prefix="plotserver-gallery-") as workdir:
        with sync_playwright() as playwright:
            try:
                browser = launch_chromium(playwright)
            except ChromiumMissing as exc:
                print(f"gallery: {exc}", file=sys.stderr)
                return 1
            if do_fixtures:
                server = ServerProcess(workdir=Path(workdir))
                try:
                    server_urls.append(server.url)
                    fixture_shots = shoot_fixtures(browser, server.url, out, args.timeout)
                finally:
                    server.stop()
            if do_examples:
                # A server of their own: fixture documents have titles like "image" too.
                examples_dir = Path(workdir) / "examples"
                examples_dir.mkdir()
                server = ServerProcess(workdir=examples_dir)
                try:
                    server_urls.append(server.url)
                    fresh = shoot_examples(browser, server.url, examples_out, examples_dir,
                                           scripts, args.timeout, args.script_timeout)
                finally:
                    server.stop()
                if args.example:  # keep the other examples of the previous run
                    ran = {s.name for s in fresh}
                    kept = [s for s in example_shots if s.name not in ran
                            and (examples_out / f"{s.name}.png").exists()]
                    example_shots = sorted(kept + fresh, key=lambda s: s.name)
                else:
                    example_shots = fresh
            browser.close()
    fixture_shots = [s for s in fixture_shots if (out / f"{s.name}.png").exists() or do_fixtures]
    (out / SHOTS_FILE).write_text(json.dumps(
        {"fixtures": [asdict(s) for s in fixture_shots], "examples": [asdict(s) for s in example_shots]},
        indent=1))
    index = write_index(out, fixture_shots, example_shots, fixture_refs, example_refs,
                        " and ".join(server_urls))
    elapsed = time.monotonic() - started
    if do_fixtures:
        missing = [s.name for s in fixture_shots if s.name not in fixture_refs]
        print(f"gallery: {len(fixture_shots)} fixture screenshots, "
              f"{len(fixture_shots) - len(missing)} with a reference")
    if do_examples:
        failed = [s.name for s in example_shots if s.problems]
        print(f"gallery: {len(example_shots)} example screenshots, "
              f"{sum(s.name in example_refs for s in example_shots)} with a reference"
              + (f"; problems in {', '.join(failed)}" if failed else ""))
    print(f"gallery: done in {elapsed:.1f} s; open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

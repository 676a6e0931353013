"""Every script in examples/ (one per picture in ../shared/reference/examples/, written for
plotclient) runs against a live plotserver as a user would run it, and the page its show()
opens draws without errors: every plot has a frame, tick labels on its axes and something painted in the
frame. `make gallery` puts the same pages next to the original's pictures for a person to
compare; this test keeps them from breaking."""

from __future__ import annotations

import pytest

from .browser_helpers import (EXAMPLES, example_page, page_problems, plots, run_example,
                              save_screenshot, wait_drawn)

SCRIPTS = sorted(EXAMPLES.glob("*.py"))

# Counts non-white pixels inside a plot's frame (below 250 in some channel).
PAINTED_JS = """([selector, f]) => {
  const canvas = document.querySelector(selector);
  const ratio = window.devicePixelRatio || 1;
  const d = canvas.getContext('2d').getImageData(Math.ceil(f.left * ratio) + 2, Math.ceil(f.top * ratio) + 2,
    Math.floor(f.width * ratio) - 4, Math.floor(f.height * ratio) - 4).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) n++;
  return n;
}"""


def test_there_is_an_example_for_every_reference_picture():
    assert len(SCRIPTS) == 26


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_example_script_draws(page, live_server, tmp_path, script):
    assert run_example(script, live_server.url, tmp_path, timeout_s=60) == []
    _, _, url = example_page(live_server.url, script.stem)
    page.goto(url)
    wait_drawn(page)
    save_screenshot(page, "example_" + script.stem)
    assert page_problems(page) == []
    drawn = plots(page)
    assert drawn, "no plot on the page"
    for plot in drawn:
        frame = plot["frame"]
        assert frame["width"] > 0 and frame["height"] > 0, plot
        if plot["axes"]:  # burtin's polar chart has none
            assert any(plot["tickLabels"].values()), f"plot {plot['id']} has no tick labels"
        painted = page.evaluate(PAINTED_JS, [plot["canvasSelector"], frame])
        assert painted > 50, f"plot {plot['id']} has (almost) nothing in its frame"

"""The interaction tools on live pages, driven like a person drives them (mouse, wheel, touch):
pan moves what is drawn by the dragged amount, the wheel zooms about the cursor, box zoom
and reset set and restore the ranges, hover shows the row under the cursor, box / lasso /
poly / tap selections highlight exactly the points inside and reach the server, a Python
script and a second page, plots sharing a range move together, save downloads a PNG, help
opens the README."""

from __future__ import annotations

import struct

import pytest
import requests

from plotclient.models import ColumnDataSource, HoverTool
from plotclient.plotting import curdoc, cursession, figure, gridplot, output_server, show

from .browser_helpers import (colour_near, new_page, page_problems, plot_info, plots,
                              read_document, save_screenshot, to_screen, wait_drawn)

BLUE = "#1f77b4"
WHITE = "#ffffff"
TOOLS = "pan,wheel_zoom,box_zoom,box_select,lasso_select,poly_select,tap,reset,resize,hover,crosshair,save,help"


@pytest.fixture(autouse=True)
def quiet_client(plotclient_env):
    """plotclient runs as a user's script (see conftest.plotclient_env)."""


# A 6 x 5 grid of points: x = 1..6, y = 1..5, one row each, labelled for the tooltips.
GRID = [(x, y) for y in range(1, 6) for x in range(1, 7)]


def publish(server, title, make_plot):
    """output_server(title); make_plot() -> the plot (or layout) to show; returns the page URL."""
    output_server(title, url=server.url + "/")
    shown = make_plot()
    show(shown)
    return cursession().object_link(curdoc().context)


def grid_scatter(tools=TOOLS, **kw):
    source = ColumnDataSource(data=dict(
        x=[p[0] for p in GRID], y=[p[1] for p in GRID], label=[f"p{i}" for i in range(len(GRID))]))
    p = figure(plot_width=500, plot_height=400, tools=tools, x_range=(0, 7), y_range=(0, 6), **kw)
    p.circle("x", "y", source=source, size=14, color=BLUE)
    return p, source


def open_page(page, url):
    page.goto(url)
    wait_drawn(page)
    return plot_info(page)


def origin(page, plot):
    """Page coordinates of the plot canvas's top left corner."""
    box = page.locator(plot["canvasSelector"]).bounding_box()
    return box["x"], box["y"]


def page_point(page, plot, x, y):
    """Page coordinates of data point (x, y)."""
    ox, oy = origin(page, plot)
    sx, sy = to_screen(page, plot["id"], x, y)
    return ox + sx, oy + sy


def settle(page):
    """Two animation frames: what the last input asked for has been drawn."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def drag(page, start, end, steps=8):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=steps)
    page.mouse.up()
    settle(page)


def choose_tool(page, tool_type):
    """Click the toolbar button of a drag or tap tool; it shows as the active one."""
    button = page.locator(f'.ps-tool[data-tool="{tool_type}"]').first
    button.click()
    assert "ps-active" in button.get_attribute("class")


def selected_rows(server, docid, source_id):
    for envelope in read_document(server.url, docid):
        if envelope["id"] == source_id:
            return envelope["attributes"]["selected"]["1d"]["indices"]
    raise AssertionError(f"no source {source_id} in the document")


def wait_for_selected(server, docid, source_id, expected, page):
    deadline_ms = 5000
    step_ms = 50
    for _ in range(deadline_ms // step_ms):
        if sorted(selected_rows(server, docid, source_id)) == expected:
            return
        page.wait_for_timeout(step_ms)
    assert sorted(selected_rows(server, docid, source_id)) == expected


def label_strip(page, plot):
    """Darkness (255 - grey) of each canvas column, summed over the tick label band below the
    frame: what a person sees of the x axis's labels."""
    f = plot["frame"]
    return page.evaluate("""([selector, top, height]) => {
      const canvas = document.querySelector(selector);
      const data = canvas.getContext('2d').getImageData(0, top, canvas.width, height).data;
      const columns = new Array(canvas.width).fill(0);
      for (let i = 0; i < data.length; i += 4) {
        const grey = (data[i] + data[i + 1] + data[i + 2]) / 3 * data[i + 3] / 255 + 255 * (1 - data[i + 3] / 255);
        columns[(i / 4) % canvas.width] += 255 - grey;
      }
      return columns;
    }""", [plot["canvasSelector"], int(f["top"] + f["height"] + 8), 14])


def best_shift(before, after, limit=120):
    """The horizontal shift (px) that makes `after` look most like `before` moved."""
    def mismatch(shift):
        pairs = [(before[i], after[i + shift]) for i in range(len(before)) if 0 <= i + shift < len(after)]
        return sum(abs(a - b) for a, b in pairs) / max(1, len(pairs))
    return min(range(-limit, limit + 1), key=mismatch)


def shows(page, plot, x, y, colour, tol=40):
    sx, sy = to_screen(page, plot["id"], x, y)
    return colour_near(page, plot["canvasSelector"], sx, sy, colour, radius=1, tol=tol)


def is_dimmed(page, plot, x, y):
    """The marker at (x, y) is drawn in the nonselection style (alpha 0.1 over white)."""
    sx, sy = to_screen(page, plot["id"], x, y)
    return (not colour_near(page, plot["canvasSelector"], sx, sy, BLUE, radius=1, tol=40)
            and not colour_near(page, plot["canvasSelector"], sx, sy, WHITE, radius=0, tol=3))


# ---------------------------------------------------------------- navigation

def test_pan_moves_the_picture_and_the_tick_labels_by_the_dragged_amount(page, live_server):
    p, _ = grid_scatter()
    plot = open_page(page, publish(live_server, "tools-pan", lambda: p))
    assert plot["tools"]["active"]["drag"] == "PanTool"
    before_ticks = {v: to_screen(page, plot["id"], v, 0)[0] for v in (1, 2, 3)}
    labels_before = label_strip(page, plot)
    start = page_point(page, plot, 3.5, 3.5)
    drag(page, start, (start[0] + 70, start[1] - 40))
    after = plot_info(page)
    # The point drawn at data (2, 2) is now 70 px right and 40 px up.
    sx, sy = to_screen(page, plot["id"], 2, 2)  # where (2, 2) maps now
    old_sx = before_ticks[2]
    assert abs(sx - (old_sx + 70)) < 0.6
    assert shows(page, after, 2, 2, BLUE)
    # Nothing is left where the point was before the drag.
    assert colour_near(page, after["canvasSelector"], sx - 70, sy + 40, WHITE, radius=0, tol=3)
    # The x range moved by 70 px worth of data, the y range by 40 px worth.
    assert after["x"]["start"] == pytest.approx(0 - 70 * 7 / after["frame"]["width"], abs=0.02)
    assert after["y"]["start"] == pytest.approx(0 - 40 * 6 / after["frame"]["height"], abs=0.02)
    # Tick labels follow the data: the band of x labels looks moved 70 px to the right, and
    # a label for -1 has come into view.
    assert abs(to_screen(page, plot["id"], 1, 0)[0] - (before_ticks[1] + 70)) < 0.6
    assert best_shift(labels_before, label_strip(page, after)) == 70
    assert "-1" in after["tickLabels"]["below"] and "-1" not in plot["tickLabels"]["below"]
    save_screenshot(page, "tools-pan")
    assert page_problems(page) == []


def test_wheel_zooms_about_the_cursor_and_box_zoom_and_reset(page, live_server):
    p, _ = grid_scatter()
    plot = open_page(page, publish(live_server, "tools-zoom", lambda: p))
    # Whole pixels: Chromium reports mouse positions in whole CSS px.
    cursor = tuple(round(c) for c in page_point(page, plot, 2, 4))
    page.mouse.move(*cursor)
    page.mouse.wheel(0, -100)  # one notch away from the user: zoom in by 1/6
    settle(page)
    zoomed = plot_info(page)
    assert zoomed["x"]["end"] - zoomed["x"]["start"] == pytest.approx(7 * 5 / 6, rel=1e-6)
    assert zoomed["y"]["end"] - zoomed["y"]["start"] == pytest.approx(6 * 5 / 6, rel=1e-6)
    # The data under the cursor stayed under it.
    under = zoomed["x"]["start"] + (cursor[0] - origin(page, zoomed)[0] - zoomed["frame"]["left"]) \
        * (zoomed["x"]["end"] - zoomed["x"]["start"]) / zoomed["frame"]["width"]
    before = 0 + (cursor[0] - origin(page, plot)[0] - plot["frame"]["left"]) * 7 / plot["frame"]["width"]
    assert under == pytest.approx(before, abs=1e-6)
    # The page did not scroll.
    assert page.evaluate("() => window.scrollY") == 0

    choose_tool(page, "BoxZoomTool")
    a = page_point(page, zoomed, 1.5, 4.5)
    b = page_point(page, zoomed, 3.5, 1.5)
    drag(page, a, b)
    boxed = plot_info(page)
    assert boxed["x"]["start"] == pytest.approx(1.5, abs=0.02) and boxed["x"]["end"] == pytest.approx(3.5, abs=0.02)
    assert boxed["y"]["start"] == pytest.approx(1.5, abs=0.02) and boxed["y"]["end"] == pytest.approx(4.5, abs=0.02)
    labels = [float(text) for text in boxed["tickLabels"]["below"]]
    assert len(labels) >= 3 and all(1.5 <= v <= 3.5 for v in labels)
    # The rubber band is gone once the zoom is done.
    assert page.locator(".ps-tool-marks path").count() == 0

    page.locator('.ps-tool[data-tool="ResetTool"]').click()
    settle(page)
    reset = plot_info(page)
    assert (reset["x"], reset["y"]) == ({"start": 0, "end": 7}, {"start": 0, "end": 6})
    assert page_problems(page) == []


def test_plots_sharing_a_range_pan_together(page, live_server):
    def two_plots():
        left = figure(plot_width=300, plot_height=300, tools="pan,wheel_zoom,reset", x_range=(0, 10))
        left.line([0, 5, 10], [0, 5, 0])
        right = figure(plot_width=300, plot_height=300, tools="pan,wheel_zoom,reset",
                       x_range=left.x_range, y_range=(0, 100))
        right.circle([2, 8], [20, 80], size=10)
        return gridplot([[left, right]])

    page.goto(publish(live_server, "tools-linked", two_plots))
    wait_drawn(page)
    left, right = plots(page)
    start = page_point(page, left, 5, 2.5)
    drag(page, start, (start[0] - 60, start[1]))
    left2, right2 = (plot_info(page, left["id"]), plot_info(page, right["id"]))
    shift = 60 * 10 / left["frame"]["width"]
    assert left2["x"]["start"] == pytest.approx(shift, abs=0.03)
    # The other plot shows the same x range (it is the same range object), its own y is untouched.
    assert right2["x"] == left2["x"]
    assert right2["y"] == right["y"]
    # The grid's single toolbar drives both: a reset restores both.
    assert page.locator(".ps-toolbar").count() == 1
    page.locator('.ps-tool[data-tool="ResetTool"]').click()
    settle(page)
    assert plot_info(page, right["id"])["x"] == {"start": 0, "end": 10}
    assert page_problems(page) == []


def test_touch_drag_pans_and_pinch_zooms(browser, live_server):
    p, _ = grid_scatter()
    url = publish(live_server, "tools-touch", lambda: p)
    context = browser.new_context(viewport={"width": 900, "height": 700}, device_scale_factor=1,
                                  has_touch=True, is_mobile=False)
    try:
        page = context.new_page()
        plot = open_page(page, url)
        cdp = context.new_cdp_session(page)

        def touch(kind, points):
            cdp.send("Input.dispatchTouchEvent", {
                "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

        x0, y0 = page_point(page, plot, 3.5, 3)
        touch("touchStart", [(x0, y0)])
        for step in range(1, 9):
            touch("touchMove", [(x0 + 10 * step, y0)])
        touch("touchEnd", [])
        settle(page)
        panned = plot_info(page)
        assert panned["x"]["start"] == pytest.approx(-80 * 7 / plot["frame"]["width"], abs=0.03)
        assert panned["y"]["start"] == pytest.approx(plot["y"]["start"], abs=1e-9)

        # Two fingers spreading from 100 px apart to 200 px apart: twice as close.
        cx, cy = page_point(page, panned, 3, 3)
        touch("touchStart", [(cx - 50, cy), (cx + 50, cy)])
        for step in range(1, 11):
            touch("touchMove", [(cx - 50 - 5 * step, cy), (cx + 50 + 5 * step, cy)])
        touch("touchEnd", [])
        settle(page)
        pinched = plot_info(page)
        assert pinched["x"]["end"] - pinched["x"]["start"] == pytest.approx(3.5, rel=0.02)
        assert page_point(page, pinched, 3, 3)[0] == pytest.approx(cx, abs=1)
    finally:
        context.close()


# ---------------------------------------------------------------- inspection

def test_hover_shows_the_row_under_the_cursor_and_crosshair_follows(page, live_server):
    def make():
        p, _ = grid_scatter(tools="hover,crosshair")
        p.select(dict(type=HoverTool))[0].tooltips = [
            ("label", "@label"), ("position", "(@x, @y)"), ("row", "$index")]
        return p

    plot = open_page(page, publish(live_server, "tools-hover", make))
    page.mouse.move(*page_point(page, plot, 4, 2))
    settle(page)
    tooltip = page.locator(".ps-tooltip")
    assert tooltip.is_visible()
    row = GRID.index((4, 2))
    assert tooltip.inner_text().split() == ["label:", f"p{row}", "position:", "(4,", "2)", "row:", str(row)]
    assert [hit["row"] for hit in plot_info(page)["tools"]["hovered"]] == [row]
    # The crosshair is drawn through the cursor.
    assert page.locator(".ps-tool-marks path.ps-mark-line").count() == 1
    save_screenshot(page, "tools-hover")
    # Between points there is no tooltip; outside the plot neither, nor a crosshair.
    page.mouse.move(*page_point(page, plot, 4.5, 2.5))
    settle(page)
    assert not tooltip.is_visible()
    page.mouse.move(5, 5)
    settle(page)
    assert page.locator(".ps-tool-marks path").count() == 0
    # The hover button switches hovering off.
    page.locator('.ps-tool[data-tool="HoverTool"]').click()
    page.mouse.move(*page_point(page, plot, 4, 2))
    settle(page)
    assert not tooltip.is_visible()
    assert page_problems(page) == []


def test_hover_on_a_line_reports_the_segment_start(page, live_server):
    def make():
        p = figure(plot_width=400, plot_height=300, tools="hover", x_range=(0, 10), y_range=(0, 10))
        p.line([1, 5, 9], [1, 9, 1], line_width=3)
        return p

    plot = open_page(page, publish(live_server, "tools-hover-line", make))
    page.mouse.move(*page_point(page, plot, 3, 5))  # on the first segment
    settle(page)
    assert page.locator(".ps-tooltip").inner_text().split()[:2] == ["index:", "0"]
    page.mouse.move(*page_point(page, plot, 7, 5))  # on the second
    settle(page)
    assert page.locator(".ps-tooltip").inner_text().split()[:2] == ["index:", "1"]


# ---------------------------------------------------------------- selection

def test_box_select_highlights_exactly_the_points_inside_and_reaches_server_script_and_pages(
        page, live_server, browser):
    p, source = grid_scatter()
    url = publish(live_server, "tools-select", lambda: p)
    docid = curdoc().docid
    plot = open_page(page, url)
    second = new_page(browser)
    try:
        other = open_page(second, url)
        choose_tool(page, "BoxSelectTool")
        drag(page, page_point(page, plot, 1.5, 4.5), page_point(page, plot, 4.5, 2.5))
        inside = sorted(i for i, (x, y) in enumerate(GRID) if 1.5 <= x <= 4.5 and 2.5 <= y <= 4.5)
        assert len(inside) == 6
        for i, (x, y) in enumerate(GRID):
            if i in inside:
                assert shows(page, plot, x, y, BLUE), (x, y)
            else:
                assert is_dimmed(page, plot, x, y), (x, y)
        save_screenshot(page, "tools-box-select")
        wait_for_selected(live_server, docid, source._id, inside, page)
        # A Python script reading the document sees the selection.
        cursession().load_document(curdoc())
        assert sorted(source.selected["1d"]["indices"]) == inside
        # The other page shows it too.
        for _ in range(100):
            if is_dimmed(second, other, 1, 1):
                break
            second.wait_for_timeout(50)
        assert is_dimmed(second, other, 1, 1) and shows(second, other, 2, 3, BLUE)
        assert page_problems(second) == []

        # Shift adds to the selection; a click on empty space with the tap tool clears it.
        drag(page, page_point(page, plot, 5.5, 1.5), page_point(page, plot, 6.5, 0.5))
        page.keyboard.down("Shift")
        drag(page, page_point(page, plot, 0.5, 5.5), page_point(page, plot, 1.5, 4.5))
        page.keyboard.up("Shift")
        wait_for_selected(live_server, docid, source._id, sorted([GRID.index((6, 1)), GRID.index((1, 5))]), page)
    finally:
        second.context.close()
    assert page_problems(page) == []


def test_lasso_poly_and_tap_select(page, live_server):
    p, source = grid_scatter()
    url = publish(live_server, "tools-lasso", lambda: p)
    docid = curdoc().docid
    plot = open_page(page, url)
    # A lasso around a triangle whose corners are (0.5, 0.5), (4.3, 0.5), (0.5, 4.3): the
    # points with x + y <= 4 are inside, the next diagonal (x + y = 5) is outside.
    choose_tool(page, "LassoSelectTool")
    corners = [(0.5, 0.5), (4.3, 0.5), (0.5, 4.3)]
    path = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1]):
        path += [(ax + (bx - ax) * t / 10, ay + (by - ay) * t / 10) for t in range(10)]
    page.mouse.move(*page_point(page, plot, *path[0]))
    page.mouse.down()
    for x, y in path[1:] + [path[0]]:
        page.mouse.move(*page_point(page, plot, x, y))
    page.mouse.up()
    settle(page)
    inside = sorted(i for i, (x, y) in enumerate(GRID) if x + y <= 4)
    wait_for_selected(live_server, docid, source._id, inside, page)
    for i, (x, y) in enumerate(GRID):
        assert (shows(page, plot, x, y, BLUE) if i in inside else is_dimmed(page, plot, x, y)), (x, y)
    geometries = next(e for e in read_document(live_server.url, docid) if e["type"] == "ToolEvents")
    assert geometries["attributes"]["geometries"][-1]["type"] == "poly"

    # Poly select: click three corners, close with a double click.
    choose_tool(page, "PolySelectTool")
    for x, y in [(5.5, 5.5), (6.5, 5.5), (6.5, 3.5)]:
        page.mouse.click(*page_point(page, plot, x, y))
    page.mouse.dblclick(*page_point(page, plot, 5.5, 3.5))
    wait_for_selected(live_server, docid, source._id, sorted([GRID.index((6, 5)), GRID.index((6, 4))]), page)

    # Tap: one point.
    choose_tool(page, "TapTool")
    page.mouse.click(*page_point(page, plot, 3, 3))
    wait_for_selected(live_server, docid, source._id, [GRID.index((3, 3))], page)
    assert page_problems(page) == []


# ---------------------------------------------------------------- save, resize, help

def test_save_downloads_a_png_of_the_plot_and_help_opens_the_readme(browser, live_server):
    p, _ = grid_scatter()
    url = publish(live_server, "tools-save", lambda: p)
    context = browser.new_context(viewport={"width": 900, "height": 700}, device_scale_factor=1,
                                  accept_downloads=True)
    try:
        page = context.new_page()
        open_page(page, url)
        with page.expect_download() as download_info:
            page.locator('.ps-tool[data-tool="PreviewSaveTool"]').click()
        download = download_info.value
        assert download.suggested_filename.endswith(".png")
        data = open(download.path(), "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (500, 400)

        with context.expect_page() as popup_info:
            page.locator('.ps-tool[data-tool="HelpTool"]').click()
        popup = popup_info.value
        popup.wait_for_load_state()
        assert popup.url == live_server.url + "/plotserver/help"
        assert "plotserver" in popup.locator(".ps-readme").inner_text()
        assert requests.get(live_server.url + "/plotserver/help", timeout=10).status_code == 200
    finally:
        context.close()


def test_resize_tool_changes_the_plot_size_and_reset_restores_it(page, live_server):
    p, _ = grid_scatter()
    plot = open_page(page, publish(live_server, "tools-resize", lambda: p))
    choose_tool(page, "ResizeTool")
    ox, oy = origin(page, plot)
    drag(page, (ox + 480, oy + 380), (ox + 580, oy + 430))
    resized = plot_info(page)
    assert resized["size"] == {"width": 600, "height": 450}
    assert page.locator(plot["canvasSelector"]).bounding_box()["width"] == 600
    page.locator('.ps-tool[data-tool="ResetTool"]').click()
    settle(page)
    assert plot_info(page)["size"] == {"width": 500, "height": 400}

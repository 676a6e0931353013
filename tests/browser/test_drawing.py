"""What a person sees on the page of each fixture document: glyph pixels where the data and the
ranges put them, the tick labels of the original (MODELS.md 5.10, checked against
../shared/reference/*.png), legends, layouts and widgets. Every test saves a screenshot in
tests/browser/screenshots/ to look at beside the reference."""

from __future__ import annotations

import json

import pytest

from .browser_helpers import (FIXTURE_MODELS, colour_near, object_page_url, page_problems,
                              pixel_at, plot_info, plots, save_screenshot, to_screen, wait_drawn)

BLUE = "#1f77b4"
WHITE = (255, 255, 255)
# Thin strokes are antialiased: a 1 px diagonal line covers no pixel fully, so its pixels are
# only "clearly that colour" (white is 224 and the grid grey 173 channel steps from BLUE).
THIN = 110


def over_white(rgb, alpha):
    """The colour a translucent fill shows on a white background."""
    return tuple(round(c * alpha + 255 * (1 - alpha)) for c in rgb)


def open_document(page, server, doc, child=0, name=None, expected_problems=()):
    page.goto(object_page_url(server.url, doc.docid, doc.child_ids[child]))
    wait_drawn(page)
    save_screenshot(page, name or doc.title)
    problems = [p for p in page_problems(page) if not any(e in p for e in expected_problems)]
    assert problems == [], problems


def assert_colour(page, plot, x, y, rgb, radius=2, tol=40):
    sx, sy = to_screen(page, plot["id"], x, y)
    assert colour_near(page, plot["canvasSelector"], sx, sy, rgb, radius, tol), (
        f"expected {rgb} near data ({x}, {y}) = screen ({sx:.1f}, {sy:.1f}); "
        f"pixel there is {pixel_at(page, plot['canvasSelector'], sx, sy)}")


def assert_not_colour(page, plot, x, y, rgb, radius=1, tol=40):
    sx, sy = to_screen(page, plot["id"], x, y)
    assert not colour_near(page, plot["canvasSelector"], sx, sy, rgb, radius, tol), (
        f"did not expect {rgb} near data ({x}, {y}) = screen ({sx:.1f}, {sy:.1f})")


def test_seed_line(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["seed_line_show"], name="seed_line")
    plot = plot_info(page)
    # DataRange1d: x 1..5 and y 2..7 padded by 10 % (MODELS.md 5.5 worked example).
    assert plot["x"]["start"] == pytest.approx(0.8) and plot["x"]["end"] == pytest.approx(5.2)
    assert plot["y"]["start"] == pytest.approx(1.75) and plot["y"]["end"] == pytest.approx(7.25)
    assert plot["tickLabels"]["below"] == ["1", "2", "3", "4", "5"]
    assert plot["tickLabels"]["left"] == ["2", "3", "4", "5", "6", "7"]
    # 400 x 400 canvas, min_border 40 on every side.
    assert plot["frame"] == {"left": 40, "top": 40, "width": 320, "height": 320}
    xs, ys = [1, 2, 3, 4, 5], [6, 7, 2, 4, 5]
    for x, y in zip(xs, ys):
        assert_colour(page, plot, x, y, BLUE, tol=THIN)
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        assert_colour(page, plot, (x0 + x1) / 2, (y0 + y1) / 2, BLUE, tol=THIN)
    # Away from the line: the white background, and a grey grid line at x = 4.
    assert_colour(page, plot, 2.5, 6.5, WHITE, radius=0, tol=5)
    assert_colour(page, plot, 4, 6.5, "#cccccc", radius=1, tol=10)
    assert_not_colour(page, plot, 1.5, 3, BLUE, radius=3)
    # The frame outline is grey, the toolbar shows the seven default tools with pan active.
    canvas = plot["canvasSelector"]
    assert colour_near(page, canvas, 200, 40.5, "#aaaaaa", radius=1, tol=10)
    tools = page.eval_on_selector_all(".ps-tool", "els => els.map(e => [e.dataset.tool, e.classList.contains('ps-active')])")
    assert dict(tools) == {"PanTool": True, "BoxZoomTool": False, "ResizeTool": False, "WheelZoomTool": True,
                           "PreviewSaveTool": False, "ResetTool": False, "HelpTool": False}


def test_seed_line_served_has_the_updated_data(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["seed_line_served"])
    plot = plot_info(page)
    for x, y in zip([1, 2, 3, 4, 5], [7, 2, 4, 5, 6]):
        assert_colour(page, plot, x, y, BLUE, tol=THIN)


def test_legend_and_markers(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["legend_hover"])
    plot = plot_info(page)
    assert plot["title"] == "legend"
    assert plot["legendLabels"] == ["sin", "cos"]
    assert plot["tickLabels"]["below"] == ["0", "0.5", "1", "1.5", "2", "2.5", "3"]
    assert plot["tickLabels"]["left"] == ["-1", "-0.5", "0", "0.5", "1"]
    # White-filled circles (size 8) outlined in blue on the dashed line.
    for x, y in [(0, 0), (1, 1), (2, 0)]:
        assert_colour(page, plot, x, y, WHITE, radius=1, tol=10)
        sx, sy = to_screen(page, plot["id"], x, y)
        assert colour_near(page, plot["canvasSelector"], sx + 4, sy, BLUE, radius=1, tol=THIN)
    for x, y in [(0, 1), (1, 0), (2, -1), (3, 0)]:
        assert_colour(page, plot, x, y, "#ff0000")
    # The legend box sits in the bottom left corner of the frame: a white box with a black
    # border, 10 px in from the frame edges, holding a red square for "cos".
    frame = plot["frame"]
    left, bottom = frame["left"] + 10, frame["top"] + frame["height"] - 10
    canvas = plot["canvasSelector"]
    assert colour_near(page, canvas, left + 0.5, bottom - 20, "#000000", radius=1, tol=THIN)
    assert colour_near(page, canvas, left + 50, bottom - 0.5, "#000000", radius=1, tol=THIN)
    # Entry 1 ("cos"): sample box from x = left + 2*3 + 50, y = top + 20 + 2*3, 20 x 20.
    height = 2 * 20 + 3 * 3
    sample_x = left + 6 + 50 + 10
    sample_y = bottom - height + 20 + 6 + 10
    assert colour_near(page, canvas, sample_x, sample_y, "#ff0000", radius=1)
    # The toolbar is below the plot.
    assert page.eval_on_selector(".ps-plot", "e => e.lastElementChild.classList.contains('ps-toolbar-below')")


def test_scatter_colours_sizes_and_alpha(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["scatter_circles"])
    plot = plot_info(page)
    assert plot["title"] == "scatter"
    colours = {(1, 4): (255, 0, 0), (2, 3): (0, 255, 0), (3, 5): (0, 0, 255), (4, 1): (255, 165, 0)}
    for (x, y), rgb in colours.items():
        assert_colour(page, plot, x, y, over_white(rgb, 0.6), radius=1, tol=20)
    # Circles with a data-unit radius of 0.2 in navy at alpha 0.5: the edge 0.15 from the centre
    # is still navy, 0.3 away it is not.
    navy = over_white((0, 0, 128), 0.5)
    assert_colour(page, plot, 1.65, 2, navy, radius=1, tol=25)
    assert_not_colour(page, plot, 1.8, 2, navy, radius=1, tol=25)


def test_categorical_rects_and_rotated_labels(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["categorical_rect"])
    plot = plot_info(page)
    assert plot["tickLabels"]["below"] == ["a", "b", "c"]
    assert plot["tickLabels"]["left"] == ["low", "high"]
    # Factor i sits at i + 1: the range spans [0.5, 3.5] x [0.5, 2.5].
    assert (plot["x"]["start"], plot["x"]["end"]) == (0.5, 3.5)
    assert (plot["y"]["start"], plot["y"]["end"]) == (0.5, 2.5)
    cells = {(1, 1): "#75968f", (2, 1): "#a5bab7", (3, 2): "#c9d9d3", (1, 2): "#e2e2e2"}
    for (x, y), colour in cells.items():
        assert_colour(page, plot, x, y, colour, radius=1, tol=6)
    assert_colour(page, plot, 2, 2, WHITE, radius=1, tol=6)  # no rect at (b, high)


def test_datetime_axis(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["datetime_line"])
    plot = plot_info(page)
    assert plot["tickLabels"]["below"] == ["9/01", "9/02", "9/03", "9/04"]
    assert plot["tickLabels"]["left"] == ["2", "4", "6", "8", "10", "12"]
    day = 86_400_000
    start = 1441065600000.0
    # Circles (size 6) at the closes; the firebrick line (width 2) stops at the NaN.
    for k, close in enumerate([10.0, 11.5, 9.75]):
        assert_colour(page, plot, start + k * day, close, BLUE)
    firebrick = "#b22222"
    assert_colour(page, plot, start + day / 2, 1.75, firebrick)
    assert_not_colour(page, plot, start + 2.5 * day, 2.6, firebrick, radius=2)


def test_log_axis(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["log_axis"])
    plot = plot_info(page)
    assert plot["tickLabels"]["left"] == ["10^0", "10^1", "10^2"]
    assert plot["tickLabels"]["below"] == ["1", "1.5", "2", "2.5", "3", "3.5", "4"]
    # On a log axis the points y = 0.5, 5, 50, 500 lie on one straight line.
    for x, y in zip([1, 2, 3, 4], [0.5, 5.0, 50.0, 500.0]):
        assert_colour(page, plot, x, y, BLUE, tol=THIN)
    assert_colour(page, plot, 2.5, 15.811, BLUE, tol=THIN)  # the geometric mean of 5 and 50


def test_image_and_image_rgba(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["image"])
    plot = plot_info(page)
    envelopes = json.loads((FIXTURE_MODELS / "image.json").read_text())
    palette = next(e for e in envelopes if e["type"] == "LinearColorMapper")["attributes"]["palette"]
    # A 2 x 3 array 0..5 spread over the 11 colours: value v -> palette[floor(v * 10 / 5)];
    # row 0 is the bottom row; each cell is 1 x 1 in data units from (0, 0).
    for row in range(2):
        for col in range(3):
            value = row * 3 + col
            if row == 1 and col == 1:
                continue  # the RGBA image covers part of this cell
            assert_colour(page, plot, col + 0.5, row + 0.2 if row else row + 0.5,
                          palette[value * 10 // 5], radius=1, tol=8)
    # The RGBA image: [[0xFF0000FF, 0xFF00FF00]] at (1, 1), 1 x 0.5: red then green.
    assert_colour(page, plot, 1.25, 1.25, "#ff0000", radius=1, tol=8)
    assert_colour(page, plot, 1.75, 1.25, "#00ff00", radius=1, tol=8)


def test_histogram_quads_fills_and_axis_labels(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["quad_histogram"])
    plot = plot_info(page)
    assert plot["axisLabels"] == {"above": [], "below": ["value"], "left": ["count"], "right": []}
    envelopes = json.loads((FIXTURE_MODELS / "quad_histogram.json").read_text())
    background = next(e for e in envelopes if e["type"] == "Plot")["attributes"]["background_fill"]
    for x, top in [(0.5, 3), (1.5, 7), (2.5, 2)]:
        assert_colour(page, plot, x, top / 2, "#036564", radius=1, tol=8)
    assert_colour(page, plot, 2.5, 5, background, radius=1, tol=8)  # above the last bar


def test_gridplot_shares_the_x_range_and_one_toolbar(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["gridplot"])
    first, second = plots(page)
    assert first["x"] == second["x"]
    assert first["tickLabels"]["below"] == ["1", "1.5", "2", "2.5", "3"]
    for x, y in zip([1, 2, 3], [3, 1, 2]):
        assert_colour(page, first, x, y, BLUE)
    for x, y in zip([1, 2, 3], [1, 2, 3]):
        assert_colour(page, second, x, y, "#808000")
    # One toolbar for the grid, on the left, with pan and reset; the plots have none.
    assert page.locator(".ps-toolbar").count() == 1
    assert page.locator(".ps-toolbar-left .ps-tool").evaluate_all("els => els.map(e => e.dataset.tool)") == [
        "PanTool", "ResetTool"]
    # Side by side, first on the left.
    boxes = [page.locator(p["canvasSelector"]).bounding_box() for p in (first, second)]
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]
    assert boxes[0]["y"] == boxes[1]["y"]


def test_glyph_zoo(page, live_server, fixture_docs):
    # Its image_url glyph points at a host that cannot exist: that request fails by design.
    open_document(page, live_server, fixture_docs["glyph_zoo"], expected_problems=["example.invalid/a.png"])
    plot = plot_info(page)
    assert plot["title"] == "zoo"
    checks = [
        (0.67, 3.33, "#800080"),          # patch (purple)
        (0.5, 0.5, "#ff0000"),            # multi_line, first line (red)
        (0.5, 1.5, "#0000ff"),            # multi_line, second line (blue)
        (1, 5.5, BLUE),                   # segment
        (7.3, 1, BLUE),                   # annulus ring
        (5.2, 5.2, BLUE),                 # wedge
        (6, 2.65, BLUE),                  # annular wedge (clockwise: the lower half)
        (3.5, 0.3, over_white((0, 128, 0), 0.4)),   # patches, green at alpha 0.4
        (5.8, 0.3, over_white((255, 255, 0), 0.4)),  # patches, yellow
        (2, 2, BLUE),                     # oval
    ]
    for x, y, colour in checks:
        assert_colour(page, plot, x, y, colour, radius=2, tol=45)
    assert_colour(page, plot, 7, 1, WHITE, radius=1, tol=10)  # the annulus hole
    assert_colour(page, plot, 6, 3.35, WHITE, radius=1, tol=10)  # not the upper half
    # Stroked markers: a cross, an x and an asterisk pass through their centre; a diamond
    # with fill_color None is hollow.
    for x in (2.1, 7.0, 0.0):
        assert_colour(page, plot, x, 9.5, BLUE, radius=1, tol=THIN)
    assert_colour(page, plot, 2.8, 9.5, WHITE, radius=1, tol=10)


def test_vbox_with_slider_and_plot(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["vbox_slider_plot"])
    slider = page.locator(".ps-slider")
    assert slider.locator(".ps-widget-title").inner_text().replace("\n", "") == "amp: 1"
    assert slider.locator("input").input_value() == "1"
    plot = plot_info(page)
    assert plot["tickLabels"]["below"] == ["0", "0.5", "1", "1.5", "2"]
    # The slider is above the plot.
    assert slider.bounding_box()["y"] < page.locator(plot["canvasSelector"]).bounding_box()["y"]
    for x, y in zip([0, 1, 2], [0, 1, 4]):
        assert_colour(page, plot, x, y, BLUE, tol=THIN)


def test_widgets_show_their_state(page, live_server, fixture_docs):
    open_document(page, live_server, fixture_docs["widgets"])
    assert page.locator(".ps-widget[data-type=TextInput] input").input_value() == "x"
    assert page.locator(".ps-widget[data-type=Select] select").input_value() == "b"
    assert page.locator(".ps-widget[data-type=Button]").inner_text() == "Go"
    assert page.locator(".ps-widget[data-type=PreText]").inner_text() == "pre"
    checked = page.locator(".ps-widget[data-type=CheckboxGroup] input").evaluate_all("els => els.map(e => e.checked)")
    assert checked == [False, True]
    table = page.locator(".ps-widget[data-type=DataTable]")
    assert table.locator("th").all_inner_texts() == ["Name", "Value"]
    assert table.locator("td").all_inner_texts() == ["a", "1.50", "b", "2.25"]
    page.goto(object_page_url(live_server.url, fixture_docs["widgets"].docid, fixture_docs["widgets"].child_ids[1]))
    wait_drawn(page)
    save_screenshot(page, "widgets_1")
    assert page.locator(".ps-tab").all_inner_texts() == ["one", "two"]


def test_empty_document_says_so(page, live_server, fixture_docs):
    doc = fixture_docs["server_fresh_document"]
    page.goto(object_page_url(live_server.url, doc.docid, doc.plot_context_id))
    wait_drawn(page)
    assert "no plots yet" in page.locator("#PlotPane").inner_text()

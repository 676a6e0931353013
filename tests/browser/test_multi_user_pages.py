"""Multi-user pages in Chromium: log in through the form (with its CSRF token), come back to
the plot that asked for it, see one's own documents listed (titles as text, never markup),
and an anonymous visitor of a published document sees the plot. Every page runs under the
server's Content-Security-Policy: a violation would show as a console error."""

from __future__ import annotations

import pytest
import requests

from conftest import ServerProcess
from plotclient.plotting import curdoc, cursession, figure, output_server, show
from plotclient.session import Session

from .browser_helpers import (colour_near, index_url, page_problems, plot_info, save_screenshot,
                              to_screen, wait_drawn)

BLUE = "#1f77b4"
THIN = 110


@pytest.fixture(scope="module")
def mu_server(tmp_path_factory):
    server = ServerProcess("-m", workdir=tmp_path_factory.mktemp("mu-browser"))
    yield server
    server.stop()
    assert "Traceback" not in server.stderr()


@pytest.fixture(autouse=True)
def quiet_client(plotclient_env):
    """plotclient runs like a user's script (see conftest.plotclient_env)."""


def publish_as(server, username: str, title: str, publish: bool = False) -> str:
    """Register `username`, show a line in document `title`; the page URL show() opens."""
    s = Session(name=username, root_url=server.url + "/", load_from_config=False)
    s.register(username, "pw-" + username)
    output_server(title, session=s)
    p = figure(plot_width=400, plot_height=400)
    p.line([1, 2, 3], [3, 1, 2], name="ex_line", color=BLUE)
    show(p)
    if publish:
        s.publish()
    return cursession().object_link(curdoc().context)


def line_drawn(page) -> bool:
    plot = plot_info(page)
    return all(colour_near(page, plot["canvasSelector"], *to_screen(page, plot["id"], x, y), BLUE,
                           radius=2, tol=THIN) for x, y in [(1, 3), (2, 1), (3, 2)])


def test_login_form_leads_back_to_the_plot_that_asked_for_it(page, mu_server):
    url = publish_as(mu_server, "ivy", "ivy's plot")
    page.goto(url)
    assert page.url.startswith(mu_server.url + "/bokeh/login?next=")
    save_screenshot(page, "multi_user_login_form")
    page.fill("input[name=username]", "ivy")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").inner_text() == "incorrect login"
    page.fill("input[name=username]", "ivy")
    page.fill("input[name=password]", "pw-ivy")
    page.click("button[type=submit]")
    page.wait_for_url(url)
    wait_drawn(page)
    assert line_drawn(page)
    save_screenshot(page, "multi_user_plot_after_login")
    assert page_problems(page) == []


def test_index_lists_only_ones_own_documents_with_titles_as_text(page, mu_server):
    title = "<script>alert('x')</script> & <b>bold</b>"
    publish_as(mu_server, "jack", title)
    publish_as(mu_server, "kim", "kim's own")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(index_url(mu_server.url))
    page.fill("input[name=username]", "jack")
    page.fill("input[name=password]", "pw-jack")
    page.click("button[type=submit]")
    page.wait_for_url(index_url(mu_server.url))
    link = page.get_by_role("link", name=title)
    assert link.inner_text() == title
    assert page.get_by_role("link", name="kim's own").count() == 0
    assert page.locator("h1").inner_text() == "Bokeh Documents for jack"
    link.click()
    wait_drawn(page)
    assert line_drawn(page)
    save_screenshot(page, "multi_user_index_link")
    assert dialogs == [] and page_problems(page) == []


def test_anonymous_visitor_sees_a_published_plot(page, mu_server):
    url = publish_as(mu_server, "lee", "lee published", publish=True)
    page.goto(url + "?public=true")
    wait_drawn(page)
    assert line_drawn(page)
    # The page subscribed with the read-only key it was given and reads through its copy.
    assert page.evaluate("() => window.plotserver.tempDocid").startswith("temporary-")
    assert requests.get(mu_server.url + "/bokeh/userinfo/", timeout=5).status_code == 401
    save_screenshot(page, "multi_user_public_plot")
    assert page_problems(page) == []

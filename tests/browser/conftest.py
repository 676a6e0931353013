"""Fixtures of the real-browser tests: one headless Chromium per test session (Debian's
/usr/bin/chromium driven by Playwright), a fresh 900x700 page per test that records its
errors, one live plotserver per test module, and the fixture documents loaded into it.

A missing Chromium ends the test session with an error: browser tests are never skipped."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from conftest import ServerProcess  # tests/conftest.py

from .browser_helpers import (ChromiumMissing, check_chromium, fixture_documents,
                              launch_chromium, load_fixture_document, new_page, save_screenshot)


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """One headless Chromium for the whole session."""
    try:
        check_chromium()
    except ChromiumMissing as exc:
        pytest.exit(str(exc), returncode=1)
    chromium = launch_chromium(playwright_instance)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser, request):
    """A page in its own context (900x700, device scale factor 1). `page.console_errors`,
    `page.page_errors` and `page.failed_requests` list what went wrong
    (`browser_helpers.page_problems(page)` gives all three). A failing test leaves a screenshot
    `tests/browser/screenshots/FAILED-<test>.png`."""
    browser_page = new_page(browser)
    yield browser_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            save_screenshot(browser_page, "FAILED-" + request.node.name)
        except Exception:  # the page may be gone; the test's own failure is what matters
            pass
    browser_page.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, "rep_" + report.when, report)
    return report


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """One plotserver (`python -m plotserver --port N`) per test module. Its stderr must show
    no traceback when the module is done (plotserver answers no 500 on purpose)."""
    server = ServerProcess(workdir=tmp_path_factory.mktemp("browser-server"))
    yield server
    server.stop()
    if "Traceback" in server.stderr():
        pytest.fail(f"the plotserver logged a traceback:\n{server.stderr()[-4000:]}")


@pytest.fixture(scope="module")
def fixture_docs(live_server):
    """{fixture stem: FixtureDocument} of every whole-document fixture of tests/fixtures/models/,
    loaded into the module's live server under its stem as title."""
    return {name: load_fixture_document(live_server.url, name, envelopes)
            for name, envelopes in fixture_documents().items()}


@pytest.fixture
def plotclient_env(tmp_path, monkeypatch):
    """plotclient as a test's own user script: no browser opened, its config file kept out of
    the home directory, a fresh document before and after."""
    from plotclient.io import reset_output

    monkeypatch.setenv("PLOTCLIENT_BROWSER", "none")
    monkeypatch.setenv("PLOTCLIENT_CONFIG_DIR", str(tmp_path / "plotclient"))
    reset_output()
    yield
    reset_output()

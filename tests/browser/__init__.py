"""Real-browser tests (Chromium through Playwright). A package, so that its conftest is
`browser.conftest` and does not shadow tests/conftest.py (imported as `conftest`)."""

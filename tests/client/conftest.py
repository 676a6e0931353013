"""Every client test runs isolated: a config directory of its own, no browser opened, no
server URL from the environment, and no output mode left over from another test."""

from __future__ import annotations

import pytest

from plotclient.io import reset_output


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("PLOTCLIENT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PLOTCLIENT_BROWSER", "none")
    monkeypatch.delenv("PLOTSERVER_URL", raising=False)
    reset_output()
    yield
    reset_output()

"""Behind a reverse proxy that strips a path prefix: with PLOTSERVER_FORWARDED_PREFIX=1 the
prefix the proxy names in X-Forwarded-Prefix is written into every URL the server gives out
(pages, scripts, the WebSocket URL, the autoload embed); without it the header is ignored,
since any client could send it."""

from __future__ import annotations

import requests

from conftest import ServerProcess

FORWARDED = {"X-Forwarded-Prefix": "/plots"}


def _new_document(server) -> tuple[str, str]:
    user = requests.post(server.url + "/bokeh/doc/", json={"title": "behind-proxy"},
                         timeout=10).json()
    docid = next(d["docid"] for d in user["docs"] if d["title"] == "behind-proxy")
    context = requests.get(f"{server.url}/bokeh/bb/{docid}/", timeout=10).json()[0]
    return docid, context["id"]


def test_a_trusted_forwarded_prefix_is_in_every_url_the_server_writes(tmp_path):
    server = ServerProcess(workdir=tmp_path, env={"PLOTSERVER_FORWARDED_PREFIX": "1"})
    try:
        docid, objid = _new_document(server)
        page = requests.get(f"{server.url}/bokeh/doc/{docid}/{objid}", headers=FORWARDED,
                            timeout=10)
        assert page.status_code == 200
        assert 'data-prefix="/plots"' in page.text
        assert 'src="/plots/bokehjs/static/js/bokeh.js"' in page.text
        ws = requests.get(server.url + "/bokeh/wsurl/", headers=FORWARDED, timeout=10).text
        assert ws == f"ws://{server.host}/plots/bokeh/sub"
        script = requests.get(server.url + "/bokeh/autoload.js/el1", headers=FORWARDED,
                              timeout=10).text
        assert f'"http://{server.host}/plots"' in script
        help_page = requests.get(server.url + "/plotserver/help", headers=FORWARDED, timeout=10).text
        assert 'href="/plots/bokehjs/static/css/bokeh.css"' in help_page
        # Without the header (a request that did not come through the proxy): no prefix.
        plain = requests.get(server.url + "/bokeh/wsurl/", timeout=10).text
        assert plain == f"ws://{server.host}/bokeh/sub"
    finally:
        server.stop()


def test_the_header_is_ignored_unless_trusted(tmp_path):
    server = ServerProcess(workdir=tmp_path)
    try:
        docid, objid = _new_document(server)
        page = requests.get(f"{server.url}/bokeh/doc/{docid}/{objid}", headers=FORWARDED,
                            timeout=10)
        assert 'data-prefix=""' in page.text and "/plots" not in page.text
        ws = requests.get(server.url + "/bokeh/wsurl/", headers=FORWARDED, timeout=10).text
        assert ws == f"ws://{server.host}/bokeh/sub"
    finally:
        server.stop()

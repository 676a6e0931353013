"""What a plotclient user sees when something goes wrong: one exception family
(plotclient.errors.PlotclientError) whose message names the request, the URL and what the
server said - never a traceback from inside the HTTP library. Against a live plotserver
where it can produce the answer, else against tiny standard-library servers."""

from __future__ import annotations

import socket
import uuid

import pytest
import requests

from plotclient.errors import (ConflictError, DataIntegrityException, HTTPError, LoginError,
                               PlotclientError, ServerUnavailableError, UnauthorizedError)
from plotclient.io import output_server, reset_output
from plotclient.session import Session
from wire_recorder import IdleClosingServer, RecordingProxy, StatusServer

ORIGINAL_401_PAGE = (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n'
                     b"<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n"
                     b"<p>You must be logged in</p>\n")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("PLOTCLIENT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PLOTCLIENT_BROWSER", "none")
    yield
    reset_output()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"  # nothing listens once the socket is closed


def session(url: str) -> Session:
    return Session(root_url=url, load_from_config=False)


def server_message(response: requests.Response) -> str:
    return response.json()["message"]


# ---------------------------------------------------------------- no server

def test_server_not_running_names_the_url():
    url = closed_port_url()
    with pytest.raises(ServerUnavailableError) as caught:
        session(url).use_doc("anything")
    error = caught.value
    assert isinstance(error, PlotclientError) and isinstance(error, ConnectionError)
    assert url in str(error) and "not reachable" in str(error)
    assert error.url == url
    assert error.__suppress_context__  # no chained traceback from http.client


def test_output_server_without_a_server_raises_the_same_clear_error():
    url = closed_port_url()
    with pytest.raises(ServerUnavailableError, match="not reachable"):
        output_server("animated_line", url=url)
    with pytest.raises(ServerUnavailableError, match=url + "prefix/"):
        output_server("animated_line", url=url + "prefix/")


# ---------------------------------------------------------------- plotserver's errors

def test_unknown_document_404_carries_the_servers_message(server):
    s = session(server.url)
    s.docid = str(uuid.uuid4())
    expected = server_message(requests.post(f"{server.url}/bokeh/bb/{s.docid}/gc", timeout=5))
    with pytest.raises(HTTPError) as caught:
        s.gc()
    error = caught.value
    assert error.status == 404 and error.method == "POST"
    assert error.url == f"{server.url}/bokeh/bb/{s.docid}/gc"
    assert error.server_message == expected
    assert str(error) == f"POST {error.url} failed with HTTP 404: {expected}"


def test_unknown_object_404(server):
    s = session(server.url)
    s.use_doc("errors_404")
    with pytest.raises(HTTPError, match="404") as caught:
        s.pull("ColumnDataSource", "no-such-object")
    assert caught.value.server_message


def test_duplicate_title_409_is_a_data_integrity_exception(server):
    s = session(server.url)
    s.make_doc("errors_dup")
    with pytest.raises(DataIntegrityException) as caught:
        s.make_doc("errors_dup")
    error = caught.value
    assert isinstance(error, ConflictError) and isinstance(error, PlotclientError)
    assert error.status == 409 and error.server_message
    assert error.server_message in str(error) and "/bokeh/doc/" in str(error)


def test_empty_title_400_carries_the_servers_message(server):
    expected = server_message(requests.post(server.url + "/bokeh/doc/", json={"title": ""},
                                            timeout=5))
    with pytest.raises(HTTPError) as caught:
        session(server.url).use_doc("")
    assert caught.value.status == 400
    assert caught.value.server_message == expected


def test_register_on_a_single_user_server_is_a_login_error(server):
    with pytest.raises(LoginError) as caught:
        session(server.url).register("alice", "pw")
    assert isinstance(caught.value, RuntimeError)  # what 0.10 scripts catch
    assert "multi-user" in str(caught.value) and "alice" in str(caught.value)


# ---------------------------------------------------------------- other servers' answers

def test_401_html_page_of_the_original_server():
    with StatusServer(401, ORIGINAL_401_PAGE, "text/html") as fake:
        with pytest.raises(UnauthorizedError) as caught:
            session(fake.url).use_doc("x")
    error = caught.value
    assert str(error).startswith("HTTP Unauthorized accessing " + fake.url)
    assert error.server_message == "You must be logged in"


def test_403_is_unauthorized_too():
    with StatusServer(403, b'{"error": "forbidden", "message": "read-only key"}') as fake:
        with pytest.raises(UnauthorizedError, match="read-only key"):
            session(fake.url).get_api_key("d")


def test_refused_login_names_the_servers_reason():
    body = b'{"status": false, "error": "incorrect login "}'
    with StatusServer(200, body) as fake:
        with pytest.raises(LoginError, match="incorrect login"):
            session(fake.url).login("alice", "wrong")


def test_500_html_body_is_an_http_error_not_a_json_decode_error():
    with StatusServer(500, b"<html><p>Internal Server Error</p></html>", "text/html") as fake:
        with pytest.raises(HTTPError, match="HTTP 500: Internal Server Error"):
            session(fake.url).userinfo


def test_success_with_a_body_that_is_not_json():
    with StatusServer(200, b"pong", "text/html") as fake:
        with pytest.raises(PlotclientError, match="not JSON"):
            session(fake.url).userinfo


def test_redirect_is_reported_not_followed():
    with StatusServer(308, b"") as fake:
        with pytest.raises(HTTPError, match="308"):
            session(fake.url).get_api_key("d")


# ---------------------------------------------------------------- the connection

def test_idle_connection_closed_by_the_server_is_reopened_once():
    with IdleClosingServer() as fake:
        s = session(fake.url)
        answers = [s._json("GET", "bokeh/userinfo/")["ok"] for _ in range(4)]
        assert answers == [1, 2, 3, 4]  # each request sent once: none lost, none doubled
        assert fake.connections == 4


def test_one_keep_alive_connection_per_session(server):
    with RecordingProxy(server.host) as proxy:
        s = session(proxy.url)
        s.use_doc("errors_keepalive")
        s.gc()
        s.pull()
        s.publish()
    assert len(proxy.requests) == 6
    assert {r.connection for r in proxy.requests} == {0}


def test_server_gone_after_a_request():
    fake = IdleClosingServer()
    s = session(fake.url)
    s._json("GET", "bokeh/userinfo/")
    fake.close()
    with pytest.raises(ServerUnavailableError, match="not reachable"):
        s._json("GET", "bokeh/userinfo/")

"""What a plotclient user sees when something goes wrong: one exception family
(plotclient.errors.PlotclientError) whose message names the request, the URL and what the
server said - never a traceback from inside the HTTP library. Against a live plotserver
where it can produce the answer, else against tiny standard-library servers."""

from __future__ import annotations

import socket
import time
import uuid

import pytest
import requests

import plotclient.session as session_module
from plotclient.errors import (ConflictError, DataIntegrityException, HTTPError, LoginError,
                               PlotclientError, ServerUnavailableError, UnauthorizedError,
                               UnexpectedReplyError, UnsendableRequestError)
from plotclient.io import output_server
from plotclient.session import Session
from wire_recorder import IdleClosingServer, RecordingProxy, ScriptedServer, StatusServer

# Isolated from the real home, browser and environment (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("isolated_client")

ORIGINAL_401_PAGE = (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n'
                     b"<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n"
                     b"<p>You must be logged in</p>\n")


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


def test_poll_document_says_bokeh_server_was_terminated_as_0_10(capsys):
    """PROTOCOL.md 10.4: poll_document stops on a lost connection printing 0.10's line."""
    s = session(closed_port_url())
    s.docid = str(uuid.uuid4())
    s.poll_document(object(), interval=0)
    assert capsys.readouterr().out == "Connection to bokeh-server was terminated\n"


def requests_seen(fake) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.requests]


@pytest.mark.parametrize("call", ["make_doc", "register", "login"])
def test_a_post_that_may_have_reached_the_server_is_not_sent_twice(call):
    """The server reads the POST on a kept-alive connection and drops the connection
    without answering: it may have created the document or the account, so the client
    reports the failure instead of sending it again (which gave a spurious 409 or a
    LoginError)."""
    with ScriptedServer(drop={2}) as fake:
        s = session(fake.url)
        s.userinfo  # opens the keep-alive connection
        with pytest.raises(ServerUnavailableError):
            if call == "make_doc":
                s.make_doc("once")
            else:
                getattr(s, call)("alice", "pw")
    path = {"make_doc": "/bokeh/doc/", "register": "/bokeh/register",
            "login": "/bokeh/login"}[call]
    assert requests_seen(fake) == ["GET /bokeh/userinfo/", f"POST {path}"]


def test_idempotent_calls_are_sent_again_on_a_fresh_connection():
    """GET, gc, bulkupsert and publish leave the server as one call does, so a dropped
    connection is retried once for them."""
    with ScriptedServer(drop={2, 4, 6, 8}) as fake:
        s = session(fake.url)
        s.userinfo
        s.docid = "d1"
        s.gc()
        s.push({"type": "Range1d", "id": "r1", "attributes": {"id": "r1"}})
        assert s.pull() == {"ok": 7}
        s.publish()
    assert requests_seen(fake) == ["GET /bokeh/userinfo/"] + [
        request for request in ("POST /bokeh/bb/d1/gc", "POST /bokeh/bb/d1/bulkupsert",
                                "GET /bokeh/bb/d1/", "POST /bokeh/d1/publish")
        for _ in (1, 2)]
    assert fake.connections == 5


def test_a_post_is_sent_again_when_none_of_it_was_written(monkeypatch):
    """A connection reset by the server fails the very first write, so the server cannot
    have seen the POST: the retry is safe. (The idle check, which would catch the reset
    before writing, is switched off to reach that path.)"""
    monkeypatch.setattr(session_module, "_closed_by_peer", lambda sock: False)
    with ScriptedServer(reset={1}) as fake:
        s = session(fake.url)
        s.userinfo
        time.sleep(0.2)  # let the reset arrive
        assert s.make_doc("once") == {"ok": 2}
    assert requests_seen(fake) == ["GET /bokeh/userinfo/", "POST /bokeh/doc/"]
    assert fake.connections == 2


def test_a_connection_closed_while_idle_is_not_used_for_a_post():
    with IdleClosingServer() as fake:
        s = session(fake.url)
        s.userinfo
        time.sleep(0.2)  # the server's close reaches the client
        assert s.make_doc("once") == {"ok": 2}
    assert requests_seen(fake) == ["GET /bokeh/userinfo/", "POST /bokeh/doc/"]
    assert fake.connections == 2


def test_timeout_changes_apply_to_the_open_connection():
    """Session.timeout is read at every request, not only when the connection opens."""
    with ScriptedServer(delay={2: 2.0, 3: 0.5}) as fake:
        s = session(fake.url)
        s.userinfo  # the connection opens with the default 60 s
        s.timeout = 0.2
        started = time.monotonic()
        with pytest.raises(ServerUnavailableError, match="within 0.2 s"):
            s._json("GET", "bokeh/userinfo/")
        # Well under the server's 2 s delay: the 0.2 s applied (generous for a loaded machine).
        assert time.monotonic() - started < 1.5
    with ScriptedServer(delay={2: 0.5}) as fake:
        s = session(fake.url)
        s.timeout = 0.2
        s.userinfo  # opened with 0.2 s
        s.timeout = 5
        assert s._json("GET", "bokeh/userinfo/") == {"ok": 2}


# ---------------------------------------------------------------- what cannot be sent

def test_username_outside_latin_1_is_a_clear_client_error():
    """After register("李", ...) the username cannot go in the BOKEHUSER header (HTTP
    headers are latin-1): a PlotclientError naming the header, and nothing sent."""
    with StatusServer(200, b'{"status": true, "userapikey": "k1"}') as fake:
        s = session(fake.url)
        s.register("李", "pw")  # the form body carries it fine
        with pytest.raises(UnsendableRequestError) as caught:
            s.use_doc("x")
        assert len(fake.requests) == 1
    error = caught.value
    assert isinstance(error, PlotclientError) and error.header == "BOKEHUSER"
    assert "username" in str(error) and "latin-1" in str(error) and "李" in str(error)
    assert "Is it running" not in str(error)


def test_api_key_outside_latin_1_names_its_header():
    with StatusServer(200, b"{}") as fake:
        s = session(fake.url)
        s.userapikey = "clé€"
        with pytest.raises(UnsendableRequestError, match="BOKEHUSER-API-KEY") as caught:
            s.userinfo
        assert caught.value.header == "BOKEHUSER-API-KEY" and fake.requests == []
        s.userapikey, s.username = "k", "José"  # latin-1 but not ASCII: sent as is
        s.userinfo
        assert fake.requests[0].header("bokehuser") == "José"


def test_ids_with_spaces_or_slashes_reach_the_server(server):
    """Ids are quoted as one path segment each, so the server answers (404) instead of
    http.client refusing the URL (which was reported as "server not running")."""
    s = session(server.url + "/")
    with pytest.raises(HTTPError) as caught:
        s.use_doc(docid="a b")
    assert caught.value.status in (401, 404)
    assert caught.value.url == server.url + "/bokeh/getdocapikey/a%20b"
    s.use_doc("errors_quoting")
    with pytest.raises(HTTPError, match="404"):
        s.pull("Column DataSource", "x/../y")
    with RecordingProxy(server.host) as proxy:
        s = session(proxy.url)
        s.docid = "a b/c"
        with pytest.raises(HTTPError):
            s.gc()
    assert proxy.requests[0].path == "/bokeh/bb/a%20b%2Fc/gc"


def test_an_invalid_url_is_a_client_side_error_not_server_unavailable():
    with StatusServer(200, b"{}") as fake:
        for root_url in (fake.url + "my prefix/", fake.url + "pr\u00e9fixe/"):
            with pytest.raises(UnsendableRequestError, match="URL is not valid") as caught:
                session(root_url).userinfo
            assert "Is it running" not in str(caught.value)
            assert not isinstance(caught.value, ServerUnavailableError)
        assert fake.requests == []
    with pytest.raises(UnsendableRequestError, match="http:// or https://"):
        session("ftp://example.invalid/").userinfo


@pytest.mark.parametrize("body", [b"{}", b'{"readonly": "k"}', b"[]"])
def test_get_api_key_reply_without_a_key(body):
    with StatusServer(200, body) as fake:
        with pytest.raises(UnexpectedReplyError) as caught:
            session(fake.url).get_api_key("d1")
    message = str(caught.value)
    assert fake.url + "bokeh/getdocapikey/d1" in message
    assert "'apikey'" in message and "'readonlyapikey'" in message


@pytest.mark.parametrize("body", [b'{"status": true}', b'{"status": true, "userapikey": null}',
                                  b"[1]"])
def test_login_reply_without_an_api_key(body):
    with StatusServer(200, body) as fake:
        s = session(fake.url)
        with pytest.raises(LoginError) as caught:
            s.login("alice", "pw")
    assert fake.url + "bokeh/login" in str(caught.value)
    assert s.username == "defaultuser"  # nothing taken from a broken answer


def test_userinfo_without_docs_or_docid():
    with StatusServer(200, b'[]') as fake:
        with pytest.raises(UnexpectedReplyError, match="'docs'"):
            session(fake.url).use_doc("x")
    with StatusServer(200, b'{"docs": [{"title": "x"}]}') as fake:
        with pytest.raises(UnexpectedReplyError, match="'docid'"):
            session(fake.url).use_doc("x")

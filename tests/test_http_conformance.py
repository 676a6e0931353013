"""HTTP/1.1 conformance of plotserver's server (RFC 9112), over raw sockets.

The refused requests are the classic ways of smuggling one request inside another (two servers
reading the framing differently). Each is checked for its status, for the connection being
closed after the answer (where the next request would start cannot be trusted), and for the
request hidden behind it never being served: it would create a document, and none appears."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from raw_http import closed_by_server, connect, read_reply, read_until_closed

H = b"Host: x\r\n"


def smuggled(title: str) -> bytes:
    """A whole request that, if it were ever served, would leave a trace: a document."""
    body = json.dumps({"title": title}).encode()
    return (b"POST /bokeh/doc/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def post(fields: bytes, body: bytes, version: bytes = b"HTTP/1.1") -> bytes:
    return b"POST /bokeh/ping " + version + b"\r\n" + H + fields + b"\r\n" + body


def document_titles(server) -> set[str]:
    return {d["title"] for d in requests.get(server.url + "/bokeh/userinfo/", timeout=5)
            .json()["docs"]}


# name -> (the request, given the smuggled one to hide, and the status it must get)
REFUSED = {
    "CL.TE, 0-chunk then G": (lambda s: post(
        b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\nG"), 400),
    "CL.TE, a request after the last chunk": (lambda s: post(
        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % (5 + len(s)),
        b"0\r\n\r\n" + s), 400),
    "TE.CL": (lambda s: post(b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
                             chunk(s) + b"0\r\n\r\n"), 400),
    "Transfer-Encoding: xchunked": (lambda s: post(
        b"Transfer-Encoding: xchunked\r\n", b"0\r\n\r\n" + s), 501),
    'Transfer-Encoding: "chunked"': (lambda s: post(
        b'Transfer-Encoding: "chunked"\r\n', b"0\r\n\r\n" + s), 400),
    "Transfer-Encoding: chunked, identity": (lambda s: post(
        b"Transfer-Encoding: chunked, identity\r\n", b"0\r\n\r\n" + s), 501),
    "two Transfer-Encoding headers": (lambda s: post(
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n" + s), 400),
    "Transfer-Encoding : chunked (space before the colon)": (lambda s: post(
        b"Content-Length: 5\r\nTransfer-Encoding : chunked\r\n", b"0\r\n\r\n" + s), 400),
    "a vertical tab before chunked": (lambda s: post(
        b"Transfer-Encoding: \x0bchunked\r\n", b"0\r\n\r\n" + s), 400),
    "a bare LF hiding Transfer-Encoding": (lambda s: post(
        b"X-A: 1\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n", b"0\r\n\r\n" + s), 400),
    "a bare CR hiding Content-Length": (lambda s: post(
        b"X-A: 1\rContent-Length: 0\r\nContent-Length: %d\r\n" % len(s), s), 400),
    "a bare LF ending the request line": (lambda s: b"GET /bokeh/ping HTTP/1.1\n" + H + b"\r\n"
                                          + s, 400),
    "two different Content-Lengths": (lambda s: post(
        b"Content-Length: 0\r\nContent-Length: %d\r\n" % len(s), s), 400),
    "two equal Content-Lengths": (lambda s: post(b"Content-Length: 0\r\nContent-Length: 0\r\n",
                                                 s), 400),
    "Content-Length: +5": (lambda s: post(b"Content-Length: +5\r\n", b"[1,2]" + s), 400),
    "Content-Length: 0_5": (lambda s: post(b"Content-Length: 0_5\r\n", b"[1,2]" + s), 400),
    "a folded header line (obs-fold)": (lambda s: post(
        b"X-A: 1\r\n Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", b"0\r\n\r\n" + s), 400),
    "NUL in a header": (lambda s: post(b"X-A: a\x00b\r\nContent-Length: 0\r\n", s), 400),
    "a bad chunk size, then a request in the body": (lambda s: post(
        b"Transfer-Encoding: chunked\r\n", b"zz\r\n" + s), 400),
    "a signed chunk size": (lambda s: post(b"Transfer-Encoding: chunked\r\n", b"-0\r\n\r\n" + s),
                            400),
    "HTTP/1.0 with Transfer-Encoding": (lambda s: post(
        b"Transfer-Encoding: chunked\r\n", b"0\r\n\r\n" + s, version=b"HTTP/1.0"), 400),
    "0\\r\\n, then a pipelined request (read as trailers)": (lambda s: post(
        b"Transfer-Encoding: chunked\r\n", b"0\r\n" + s), 400),
    "no Host": (lambda s: b"GET /bokeh/ping HTTP/1.1\r\n\r\n" + s, 400),
    "two Hosts": (lambda s: b"GET /bokeh/ping HTTP/1.1\r\n" + H + H + b"\r\n" + s, 400),
    "a 100 KB chunk extension": (lambda s: post(
        b"Transfer-Encoding: chunked\r\n", b"1;ext=" + b"a" * 100_000 + b"\r\nx\r\n0\r\n\r\n" + s),
                                 400),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_ambiguous_or_malformed_framing_is_refused_and_nothing_is_smuggled(server, name):
    build, status = REFUSED[name]
    title = f"smuggled-{uuid.uuid4().hex}"
    with connect(server) as sock:
        sock.sendall(build(smuggled(title)))
        replies = read_until_closed(sock)  # the server closes: a timeout here fails the test
    assert [reply.status for reply in replies] == [status]
    reply = replies[0]
    assert reply.headers["content-type"] == "application/json"
    assert set(reply.json()) == {"error", "message"}
    assert reply.headers["connection"] == "close"
    assert title not in document_titles(server)


def test_pipelined_gets_are_answered_in_order_on_one_connection(server):
    with connect(server) as sock:
        sock.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /bokeh/wsurl/ HTTP/1.1\r\nHost: first\r\n\r\n"
                     b"\r\n"  # an empty line between requests is ignored (RFC 9112 2.2)
                     b"GET /bokeh/wsurl/ HTTP/1.1\r\nHost: second\r\n\r\n")
        buffer = bytearray()
        bodies = [read_reply(sock, buffer).body for _ in range(3)]
        assert bodies == [b"pong", b"ws://first/bokeh/sub", b"ws://second/bokeh/sub"]
        sock.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")  # still open
        assert read_reply(sock, buffer).body == b"pong"


def test_a_post_with_a_body_then_a_get_are_answered_in_order(server):
    title = f"piped-{uuid.uuid4().hex}"
    with connect(server) as sock:
        sock.sendall(smuggled(title) + b"GET /bokeh/userinfo/ HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        created, info = read_reply(sock, buffer), read_reply(sock, buffer)
    assert created.status == 200 and title in {d["title"] for d in created.json()["docs"]}
    assert info.status == 200 and title in {d["title"] for d in info.json()["docs"]}


def test_a_chunked_post_then_a_get_are_answered_in_order(server):
    title = f"chunked-{uuid.uuid4().hex}"
    body = json.dumps({"title": title}).encode()
    with connect(server) as sock:
        sock.sendall(b"POST /bokeh/doc/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n" + chunk(body[:7]) + chunk(body[7:])
                     + b"0\r\nX-Trailer: ignored\r\n\r\n"
                     b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        assert read_reply(sock, buffer).status == 200
        assert read_reply(sock, buffer).body == b"pong"
    assert title in document_titles(server)


def test_http_1_0_keeps_the_connection_only_when_asked(server):
    with connect(server) as sock:
        buffer = bytearray()
        for _ in range(2):
            sock.sendall(b"GET /bokeh/ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            reply = read_reply(sock, buffer)
            assert reply.body == b"pong" and reply.headers["connection"] == "keep-alive"
        sock.sendall(b"GET /bokeh/ping HTTP/1.0\r\n\r\n")
        replies = read_until_closed(sock, buffer)
    assert [r.body for r in replies] == [b"pong"]
    assert replies[0].headers["connection"] == "close"


def test_an_absolute_form_target_names_the_host(server):
    with connect(server) as sock:
        sock.sendall(b"GET http://example.com:8123/bokeh/wsurl/ HTTP/1.1\r\nHost: other\r\n\r\n"
                     b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        reply = read_reply(sock, buffer)
        assert reply.status == 200
        # RFC 9112 3.2.2: the Host header is ignored for the target's host.
        assert reply.body == b"ws://example.com:8123/bokeh/sub"
        assert read_reply(sock, buffer).body == b"pong"


@pytest.mark.parametrize("raw", [
    b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n",
    b"POST /bokeh/bb/nosuchdoc/gc HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
    b"Content-Length: 0\r\n\r\n",
])
def test_expect_100_continue_without_a_body_gets_the_final_answer_only(server, raw):
    with connect(server) as sock:
        sock.sendall(raw + b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        first = read_reply(sock, buffer)
        assert first.status in (200, 404)  # no interim 100: there is nothing to wait for
        assert read_reply(sock, buffer).body == b"pong"


def test_http_1_0_never_gets_100_continue(server):
    with connect(server) as sock:
        sock.sendall(b"POST /bokeh/bb/nosuchdoc/gc HTTP/1.0\r\nExpect: 100-continue\r\n"
                     b"Content-Length: 2\r\n\r\n[]")
        replies = read_until_closed(sock)
    assert [r.status for r in replies] == [404]


@pytest.mark.parametrize("path", ["/bokeh/doc/", "/bokeh/sub"])
def test_a_post_carrying_upgrade_is_an_ordinary_request(server, path):
    """Only a bodiless request can hand its connection over; a POST asking for a WebSocket is
    answered as HTTP (Flask's routing refuses a WebSocket request to any route but the
    WebSocket's, and that one is GET only), and the request after it is read where it
    starts."""
    body = json.dumps({"title": f"upgrade-{uuid.uuid4().hex}"}).encode()
    with connect(server) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                     "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body
                     + b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        first = read_reply(sock, buffer)
        assert first.status == 405 and set(first.json()) == {"error", "message"}
        assert read_reply(sock, buffer).body == b"pong"


def test_an_upgrade_the_route_does_not_take_leaves_the_connection_http(server):
    with connect(server) as sock:
        sock.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                     b"Upgrade: h2c\r\n\r\n"
                     b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                     b"Upgrade: websocket\r\n\r\n"
                     b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        replies = [read_reply(sock, buffer) for _ in range(3)]
        # An upgrade nobody takes is an ordinary request (Flask refuses a WebSocket request
        # to a route that is not one); the connection stays HTTP.
        assert [r.status for r in replies] == [200, 400, 200]
        assert replies[0].body == replies[2].body == b"pong"
        assert not buffer


def test_connection_close_is_answered_then_closed(server):
    with connect(server) as sock:
        sock.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                     b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        replies = read_until_closed(sock)
    assert [r.body for r in replies] == [b"pong"]  # nothing after a close is read
    assert replies[0].headers["connection"] == "close"


def test_a_head_without_its_final_empty_line_is_not_a_request(server):
    with connect(server, timeout=2) as sock:
        sock.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n")
        sock.shutdown(1)  # the client is done: the request is incomplete, nothing is answered
        assert closed_by_server(sock, bytearray())

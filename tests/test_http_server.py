"""plotserver's HTTP/1.1 layer (plotserver/http.py on gevent's pywsgi), spoken to over raw
sockets so that nothing between the test and the server smooths over a protocol mistake."""

from __future__ import annotations

import json
import select
import socket
import time

import pytest

from helpers import create_doc, line_plot, masked_text_frame, raw_websocket, source
from raw_http import closed_by_server, connect, exchange, read_reply, upsert_request


@pytest.fixture()
def doc(server):
    handle = create_doc(server.url, f"http-{time.monotonic_ns()}")
    assert exchange(server, upsert_request(handle.docid, line_plot(handle))).status == 200
    return handle


def test_keep_alive_serves_many_requests_on_one_connection(server, doc):
    with connect(server) as sock:
        buffer = bytearray()
        for i in range(50):
            sock.sendall(upsert_request(doc.docid, [source("cds1", 5, offset=i)]))
            reply = read_reply(sock, buffer)
            assert reply.status == 200
            assert reply.headers["content-type"] == "application/json"
            assert reply.json()["modelspecs"][0]["attributes"]["data"]["y"][1] == 2 + i
        sock.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_reply(sock, buffer).body == b"pong"


def test_pipelined_requests_are_answered_in_order(server, doc):
    requests_bytes = b"".join(upsert_request(doc.docid, [source("cds1", 3, offset=i)])
                              for i in range(5)) + b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n"
    with connect(server) as sock:
        sock.sendall(requests_bytes)
        buffer = bytearray()
        offsets = [read_reply(sock, buffer).json()["modelspecs"][0]["attributes"]["data"]["y"][0]
                   for _ in range(5)]
        assert offsets == [0, 1, 2, 3, 4]
        assert read_reply(sock, buffer).body == b"pong"


def test_connection_close_and_http_1_0_close_after_the_reply(server):
    for request in (b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    b"GET /bokeh/ping HTTP/1.0\r\n\r\n"):
        with connect(server) as sock:
            sock.sendall(request)
            buffer = bytearray()
            reply = read_reply(sock, buffer)
            assert reply.status == 200 and reply.body == b"pong"
            assert reply.headers.get("connection") == "close"
            assert closed_by_server(sock, buffer)


def test_http_1_0_keep_alive_is_honoured(server):
    with connect(server) as sock:
        buffer = bytearray()
        for _ in range(3):
            sock.sendall(b"GET /bokeh/ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            reply = read_reply(sock, buffer)
            assert reply.body == b"pong" and reply.headers["connection"] == "keep-alive"


def test_chunked_request_body_is_decoded(server, doc):
    body = json.dumps([source("cds1", 4, offset=7)]).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                      for part in (body[:10], body[10:11], body[11:]))
    raw = (f"POST /bokeh/bb/{doc.docid}/bulkupsert HTTP/1.1\r\nHost: x\r\n"
           "Transfer-Encoding: chunked\r\n\r\n").encode() + chunks + b"0\r\n\r\n"
    reply = exchange(server, raw)
    assert reply.status == 200
    assert reply.json()["modelspecs"][0]["attributes"]["data"]["y"] == [7, 9, 11, 13]


def test_expect_100_continue_gets_the_interim_answer_first(server, doc):
    body = json.dumps([source("cds1", 2)]).encode()
    with connect(server) as sock:
        sock.sendall((f"POST /bokeh/bb/{doc.docid}/bulkupsert HTTP/1.1\r\nHost: x\r\n"
                      f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode())
        buffer = bytearray()
        interim = read_reply(sock, buffer, head_only=True)
        assert interim.status == 100
        sock.sendall(body)
        assert read_reply(sock, buffer).status == 200


def test_head_request_has_headers_but_no_body(server):
    with connect(server) as sock:
        sock.sendall(b"HEAD /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        reply = read_reply(sock, buffer, head_only=True)
        assert reply.status == 200 and reply.headers["content-length"] == "4"
        # The next request's answer comes right after the head: no stray body bytes.
        sock.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_reply(sock, buffer).body == b"pong"


H = b"Host: x\r\n"


@pytest.mark.parametrize("raw, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /bokeh/ping HTTP/1.1 extra\r\n" + H + b"\r\n", 400),
    (b"GET /bokeh/ping HTTP/2.0\r\n" + H + b"\r\n", 505),
    (b"GET /bokeh/ping HTTP/1.1\r\n" + H + b"no colon here\r\n\r\n", 400),
    (b"GET /bokeh/ping HTTP/1.1\r\n" + H + b"X-A: 1\r\n folded\r\n\r\n", 400),
    (b"GET /bokeh/ping HTTP/1.1\r\n" + H + b"X-A : 1\r\n\r\n", 400),
    # A bare LF or CR inside a line could hide a header from us that another server sees.
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"X: y\nTransfer-Encoding: chunked\r\n"
     b"Content-Length: 2\r\n\r\n[]", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"X: y\rContent-Length: 9\r\n\r\n", 400),
    (b"GET /bokeh/ping HTTP/1.1\nHost: x\n\n", 400),
    (b"GET /x\x1b[2J HTTP/1.1\r\n" + H + b"\r\n", 400),
    (b"GET /bokeh/ping HTTP/1.1\r\n\r\n", 400),  # HTTP/1.1 without Host
    (b"GET /bokeh/ping HTTP/1.1\r\n" + H + H + b"\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Content-Length: -1\r\n\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Content-Length: ten\r\n\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Content-Length: \xb2\r\n\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Content-Length: " + b"1" * 5000 + b"\r\n\r\n",
     400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Content-Length: 3\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip\r\n\r\n", 501),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Transfer-Encoding: \x0bchunked\r\n\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    # Chunk sizes: only hex digits (int() alone would take 0x2, +2, 0_2, -0).
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n"
     b"0x2\r\n[]\r\n0\r\n\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n"
     b"+2\r\n[]\r\n0\r\n\r\n", 400),
    (b"POST /bokeh/ping HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n"
     b"-0\r\n\r\n", 400),
])
def test_malformed_requests_get_a_json_4xx_or_5xx_and_the_connection_closes(server, raw, status):
    with connect(server) as sock:
        sock.sendall(raw)
        buffer = bytearray()
        reply = read_reply(sock, buffer)
        assert reply.status == status
        assert reply.headers["content-type"] == "application/json"
        assert set(reply.json()) == {"error", "message"}
        assert closed_by_server(sock, buffer)


def test_oversized_request_head_is_431(server):
    raw = b"GET /bokeh/ping HTTP/1.1\r\n" + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n"
    reply = exchange(server, raw)
    assert reply.status == 431 and reply.json()["error"] == "bad_request"


def test_declared_oversized_body_is_refused_before_it_is_sent(start_server):
    small = start_server("--max-body-size", "1000")
    doc = create_doc(small.url, "limit")
    with connect(small) as sock:
        # Only the head goes out: the 413 must not wait for a body that will never come.
        sock.sendall((f"POST /bokeh/bb/{doc.docid}/bulkupsert HTTP/1.1\r\nHost: x\r\n"
                      "Content-Length: 5000000\r\n\r\n").encode())
        buffer = bytearray()
        reply = read_reply(sock, buffer)
        assert reply.status == 413 and reply.json()["error"] == "too_large"
        assert closed_by_server(sock, buffer)


def test_headers_with_underscores_are_dropped(server, doc):
    """`temporary_<docid>` must not pass for `temporary-<docid>` (both map to one WSGI key)."""
    copy_header = f"temporary_{doc.docid}: temporary-sneaky\r\n"
    reply = exchange(server, upsert_request(doc.docid, [source("cds1", 2, offset=50)],
                                            extra=copy_header))
    assert reply.status == 200
    with connect(server) as sock:
        sock.sendall(f"GET /bokeh/bb/{doc.docid}/ HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        objects = read_reply(sock, bytearray()).json()
    # The write went to the document itself, not to a copy named by the dropped header.
    cds = next(o for o in objects if o["id"] == "cds1")
    assert cds["attributes"]["data"]["y"] == [50, 52]


def test_percent_encoded_paths_are_decoded(server, doc):
    encoded = doc.docid.replace("-", "%2D")
    reply = exchange(server, f"GET /bokeh/bb/{encoded}/ HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert reply.status == 200 and len(reply.json()) == 5


def test_a_client_vanishing_mid_body_does_not_disturb_the_server(server, doc):
    with connect(server) as sock:
        sock.sendall((f"POST /bokeh/bb/{doc.docid}/bulkupsert HTTP/1.1\r\nHost: x\r\n"
                      "Content-Length: 1000\r\n\r\n[{\"type\"").encode())
    reply = exchange(server, b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.body == b"pong"


def test_the_flask_view_and_the_middleware_answer_alike():
    """bulkupsert has two entries (bulkupsert_middleware.py before Flask, the Flask view behind
    it, used when the middleware passes a request on); both must give the same status and body."""
    import io

    from plotserver.app import create_app
    from plotserver.bulkupsert_middleware import BulkUpsertMiddleware
    from plotserver.settings import Settings

    app = create_app(Settings())
    middleware = BulkUpsertMiddleware(app, app.extensions["plotserver"])
    client = app.test_client()
    docid = next(d["docid"] for d in client.post("/bokeh/doc/", json={"title": "t"}).json["docs"])
    info = client.get(f"/bokeh/bokehinfo/{docid}/").json

    class Doc:  # what helpers.line_plot needs
        plot_context_id = info["plot_context_ref"]["id"]

    cases = [json.dumps(line_plot(Doc)).encode(), json.dumps([source("cds1", 3)]).encode(),
             b"not json", json.dumps([{"type": "X", "attributes": {"id": "a:b"}}]).encode()]
    path = f"/bokeh/bb/{docid}/bulkupsert"
    for body in cases:
        via_flask = client.post(path, data=body, content_type="application/json")
        started = []
        payload = b"".join(middleware(
            {"REQUEST_METHOD": "POST", "PATH_INFO": path, "wsgi.input": io.BytesIO(body),
             "wsgi.input_terminated": True},
            lambda status, headers: started.extend([status, dict(headers)])))
        status, headers = started
        assert via_flask.status_code == int(status.split()[0])
        assert via_flask.content_type == headers["Content-Type"]
        assert via_flask.json == json.loads(payload)


def test_silent_connections_are_closed_after_the_idle_timeout_but_websockets_are_not(
        start_server):
    quick = start_server(env={"PLOTSERVER_IDLE_TIMEOUT": "1"})
    doc = create_doc(quick.url, "idle")
    with connect(quick) as kept_alive, connect(quick) as half_sent, \
            socket.create_connection(("127.0.0.1", quick.port), timeout=5) as subscriber:
        buffer = bytearray()
        kept_alive.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_reply(kept_alive, buffer).body == b"pong"
        half_sent.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHo")
        subscriber.sendall(
            b"GET /bokeh/sub HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        assert read_reply(subscriber, bytearray(), head_only=True).status == 101
        subscriber.sendall(masked_text_frame(json.dumps(
            {"msgtype": "subscribe", "topic": f"bokehplot:{doc.docid}", "auth": doc.apikey})))
        time.sleep(2.5)
        assert closed_by_server(kept_alive, buffer)
        # A head that stopped halfway is answered 408, then closed.
        half_buffer = bytearray()
        assert read_reply(half_sent, half_buffer).status == 408
        assert closed_by_server(half_sent, half_buffer)
        # The WebSocket outlives the timeout: a write still reaches it.
        assert exchange(quick, upsert_request(doc.docid, [source("cds9", 2)])).status == 200
        received = b""
        while b"modelpush" not in received:
            chunk = subscriber.recv(65536)
            assert chunk, "the server closed the WebSocket"
            received += chunk


def server_rss_mb(server) -> float:
    with open(f"/proc/{server.process.pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def test_a_request_trickling_in_is_cut_off_at_the_idle_timeout(start_server):
    """Each byte arrives well within the timeout, but the whole request does not."""
    quick = start_server(env={"PLOTSERVER_IDLE_TIMEOUT": "1"})
    request = b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40 + b"\r\n\r\n"
    with connect(quick) as sock:
        started = time.monotonic()
        sent = 0
        try:
            for byte in request:  # a byte every 0.1 s: 6 s for the whole request
                if select.select([sock], [], [], 0)[0]:  # never block: just look
                    break
                sock.send(bytes([byte]))
                sent += 1
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert sent < len(request), "the server waited for the whole trickle"
        assert time.monotonic() - started < 4
        buffer = bytearray()
        assert read_reply(sock, buffer).status == 408
        assert closed_by_server(sock, buffer)


def test_a_declared_length_costs_nothing_until_the_body_arrives(start_server):
    server = start_server()
    before = server_rss_mb(server)
    sockets = [connect(server) for _ in range(4)]
    try:
        for sock in sockets:  # 4 x 400 MB declared (under the 512 MiB limit), 2 bytes sent
            sock.sendall(b"POST /bokeh/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 400000000"
                         b"\r\n\r\n[]")
        time.sleep(0.5)
        assert server_rss_mb(server) - before < 50
    finally:
        for sock in sockets:
            sock.close()


def test_a_refused_upload_is_answered_not_reset(start_server):
    small = start_server("--max-body-size", "1000")
    doc = create_doc(small.url, "refused")
    body = b"[" + b"1," * 20_000 + b"1]"
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    with connect(small) as sock:
        sock.sendall((f"POST /bokeh/bb/{doc.docid}/bulkupsert HTTP/1.1\r\nHost: x\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n").encode() + chunked)
        reply = read_reply(sock, bytearray())
    assert reply.status == 413 and reply.json()["error"] == "too_large"


def test_paths_with_raw_utf8_bytes_mean_what_their_percent_encoding_means(server):
    create_doc(server.url, "café")
    raw = exchange(server, "GET /bokeh/doc/café/show HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    encoded = exchange(server, b"GET /bokeh/doc/caf%C3%A9/show HTTP/1.1\r\nHost: x\r\n\r\n")
    assert raw.status == encoded.status == 200


def test_a_subscriber_that_pings_but_never_reads_cannot_grow_the_server(start_server):
    """Each ping owes a pong. A client that pings without reading is either dropped (its
    pongs hit the per-socket bound) or simply no longer read from (TCP pushes back); which
    one depends on timing, but the server's memory must not follow the flood."""
    small = start_server(env={"PLOTSERVER_WS_QUEUE_BYTES": "200000"})
    sock, _ = raw_websocket(small.host, rcvbuf=4096)
    sock.settimeout(3)  # a server that stops reading must not hang the test
    ping = bytes([0x89, 0x80 | 125]) + b"\x00\x00\x00\x00" + b"p" * 125  # masked, 125 bytes
    before = server_rss_mb(small)
    sent = 0
    try:
        for _ in range(20_000):  # up to 26 MB of pings, 25 MB of pongs owed
            sock.sendall(ping * 10)
            sent += 10 * len(ping)
    except (BrokenPipeError, ConnectionResetError, TimeoutError):
        pass
    finally:
        sock.close()
    assert sent < 20_000 * 10 * len(ping), "the server took the whole flood"
    assert server_rss_mb(small) - before < 10


def test_an_oversized_websocket_message_closes_the_connection(server):
    sock, _ = raw_websocket(server.host)
    with sock:
        sock.sendall(masked_text_frame("x" * 100_000))
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    assert received[:1] == b"\x88"  # a close frame ...
    assert int.from_bytes(received[2:4], "big") == 1009  # ... saying "message too big"

"""The HTTP layer's timeouts and limits against a real server: a stalled body, a slow upload
that keeps moving, a client that stops reading, a TLS handshake that never comes, the cap on
open connections, the cost of a large body, and which host a request is said to reach."""

from __future__ import annotations

import json
import select
import socket
import ssl
import time

import requests

from helpers import create_doc, line_plot, source, upsert
from raw_http import closed_by_server, connect, read_reply, read_until_closed
from test_cli import make_self_signed_certificate


def test_a_body_that_stalls_is_answered_408_and_closed(start_server):
    quick = start_server(env={"PLOTSERVER_IDLE_TIMEOUT": "1"})
    with connect(quick, timeout=10) as sock:
        sock.sendall(b"POST /bokeh/doc/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"title\": ")
        replies = read_until_closed(sock)
    assert [r.status for r in replies] == [408]
    assert replies[0].json()["error"] == "timeout"


def test_a_slow_upload_that_keeps_moving_is_not_cut(start_server):
    """The idle timeout is about silence, not about how long a body takes: 4 s of a body
    arriving in pieces, each well within a 3 s timeout, is accepted."""
    quick = start_server(env={"PLOTSERVER_IDLE_TIMEOUT": "3"})
    doc = create_doc(quick.url, "slow")
    body = json.dumps(line_plot(doc, n_points=2000)).encode()
    pieces = [body[i * len(body) // 10:(i + 1) * len(body) // 10] for i in range(10)]
    with connect(quick, timeout=10) as sock:
        sock.sendall(f"POST /bokeh/bb/{doc.docid}/bulkupsert HTTP/1.1\r\nHost: x\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode())
        for piece in pieces:
            time.sleep(0.4)
            sock.sendall(piece)
        reply = read_reply(sock, bytearray())
    assert reply.status == 200, reply.body[:200]


def test_a_client_that_stops_reading_is_dropped_after_the_idle_timeout(start_server):
    quick = start_server(env={"PLOTSERVER_IDLE_TIMEOUT": "1"})
    doc = create_doc(quick.url, "unread")
    assert upsert(quick.url, doc.docid, line_plot(doc, n_points=1_000_000), timeout=60).ok
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: small window
    sock.settimeout(10)
    sock.connect(("127.0.0.1", quick.port))
    with sock:
        sock.sendall(f"GET /bokeh/bb/{doc.docid}/ HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(4)  # read nothing: the server's writes stall, then time out (after 1 s)
        received = b""
        while chunk := sock.recv(1 << 20):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))
    assert len(body) < length, "the server waited for the client to read it all"
    assert requests.get(quick.url + "/bokeh/ping", timeout=5).text == "pong"
    assert "Traceback" not in quick.stderr()


def test_a_tls_handshake_that_never_comes_is_cut(start_server, tmp_path):
    certfile, keyfile = make_self_signed_certificate(tmp_path)
    tls = start_server("--https", "--https-certfile", str(certfile), "--https-keyfile",
                       str(keyfile), env={"PLOTSERVER_IDLE_TIMEOUT": "1"}, wait=False)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    deadline = time.monotonic() + 20
    while True:  # wait until it serves TLS
        try:
            with socket.create_connection(("127.0.0.1", tls.port), timeout=2) as raw, \
                    context.wrap_socket(raw) as secure:
                secure.sendall(b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n")
                assert read_reply(secure, bytearray()).body == b"pong"
                break
        except (ConnectionRefusedError, ssl.SSLError, OSError):
            assert time.monotonic() < deadline, tls.stderr()
            time.sleep(0.1)
    with socket.create_connection(("127.0.0.1", tls.port), timeout=10) as silent:
        # No ClientHello: the server gives up on the handshake and closes.
        assert closed_by_server(silent, bytearray())


def test_open_connections_are_capped(start_server):
    capped = start_server(env={"PLOTSERVER_MAX_CONNECTIONS": "2"})
    ping = b"GET /bokeh/ping HTTP/1.1\r\nHost: x\r\n\r\n"
    first, second = connect(capped), connect(capped)
    for sock in (first, second):
        sock.sendall(ping)
        assert read_reply(sock, bytearray()).body == b"pong"
    with connect(capped, timeout=10) as third:
        third.sendall(ping)
        first.sendall(ping)  # the two admitted connections are still served ...
        assert read_reply(first, bytearray()).body == b"pong"
        assert not select.select([third], [], [], 0.3)[0]  # ... the third waits its turn
        first.close()
        assert read_reply(third, bytearray()).body == b"pong"  # and gets it when one closes
    second.close()


def test_a_request_without_host_is_said_to_reach_the_address_it_reached(start_server):
    """Listening on every interface, SERVER_NAME is the address the client connected to, not
    0.0.0.0: a page's WebSocket URL must be one the client can reach."""
    anywhere = start_server("--ip", "0.0.0.0")
    with connect(anywhere) as sock:
        sock.sendall(b"GET /bokeh/wsurl/ HTTP/1.0\r\n\r\n")
        [reply] = read_until_closed(sock)
    assert reply.body == f"ws://127.0.0.1:{anywhere.port}/bokeh/sub".encode()


def peak_rss_growth_mb(server, request) -> float:
    pid = server.process.pid
    with open(f"/proc/{pid}/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # VmHWM starts again from the current RSS
    with open(f"/proc/{pid}/status") as status:
        before = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    request()
    with open(f"/proc/{pid}/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    return (peak - before) / 1024


def test_a_large_body_costs_about_its_own_size(start_server):
    server = start_server()
    doc = create_doc(server.url, "big")
    size = 40 * 1024 * 1024

    def post_big_body():  # gc ignores its body: what is measured is what the HTTP layer holds
        reply = requests.post(f"{server.url}/bokeh/bb/{doc.docid}/gc", data=b" " * size,
                              timeout=30)
        assert reply.ok

    assert peak_rss_growth_mb(server, post_big_body) < 1.5 * size / 2**20


def test_chunk_extensions_count_against_the_body_limit(start_server):
    """Five bytes of body wrapped in 1,500 bytes of chunk extensions are over a 1,000-byte
    limit: the framing costs the server as much as the data."""
    small = start_server("--max-body-size", "1000")
    doc = create_doc(small.url, "extensions")
    chunks = b"1;ext=" + b"a" * 300 + b"\r\nx\r\n"
    with connect(small) as sock:
        sock.sendall(f"POST /bokeh/bb/{doc.docid}/gc HTTP/1.1\r\nHost: x\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode() + chunks * 5 + b"0\r\n\r\n")
        replies = read_until_closed(sock)
    assert [r.status for r in replies] == [413]
    # The same body with no extensions is fine.
    with connect(small) as sock:
        sock.sendall(f"POST /bokeh/bb/{doc.docid}/gc HTTP/1.1\r\nHost: x\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode() + b"1\r\nx\r\n" * 5
                     + b"0\r\n\r\n")
        assert read_reply(sock, bytearray()).status == 200


def test_the_access_log_keeps_the_original_line(start_server):
    server = start_server()
    assert upsert(server.url, "nosuchdoc", [source()]).status_code == 404
    requests.get(server.url + "/bokeh/ping", timeout=5)
    log = server.stderr()
    assert ":WARNING:plotserver.access:404 POST /bokeh/bb/nosuchdoc/bulkupsert (127.0.0.1) " \
           in log
    assert ":INFO:plotserver.access:200 GET /bokeh/ping (127.0.0.1) " in log

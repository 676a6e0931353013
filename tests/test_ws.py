"""The WebSocket channel /bokeh/sub against a real server, with real WebSocket clients.

Subscribe rules of PROTOCOL 7.4 in single-user mode (the cases of the websocket_subscription
capture that do not need accounts), delivery rules of 7.5, and the promise that a stalled
subscriber never holds up the writer or the other subscribers."""

from __future__ import annotations

import json
import time

import pytest
import requests
import websocket

from helpers import (create_doc, line_plot, masked_text_frame, raw_websocket, source,
                     split_frame, subscribe, upsert)


@pytest.fixture
def doc(server):
    handle = create_doc(server.url, f"ws-{time.monotonic_ns()}")
    assert upsert(server.url, handle.docid, line_plot(handle)).status_code == 200
    return handle


def send_subscribe(ws, topic, auth):
    ws.send(json.dumps({"msgtype": "subscribe", "topic": topic, "auth": auth}))
    return split_frame(ws.recv())


def test_subscribe_with_either_document_key(server, doc):
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=5)
    topic = f"bokehplot:{doc.docid}"
    got_topic, status = send_subscribe(ws, topic, doc.apikey)
    assert got_topic == topic
    assert status["msgtype"] == "status"
    assert status["status"][:2] == ["subscribesuccess", topic]
    client_id = status["status"][2]
    _, again = send_subscribe(ws, topic, doc.readonlyapikey)
    assert again["status"] == ["subscribesuccess", topic, client_id]  # fixed per connection
    ws.close()


@pytest.mark.parametrize("auth", [None, "", "nokey", "wrong", 42])
def test_subscribe_without_a_document_key_is_refused_even_single_user(server, doc, auth):
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=5)
    topic = f"bokehplot:{doc.docid}"
    assert send_subscribe(ws, topic, auth) == (topic, {"msgtype": "error",
                                                       "error_msg": "unauthorized"})
    # A refused subscribe does not close the connection.
    _, status = send_subscribe(ws, topic, doc.apikey)
    assert status["msgtype"] == "status"
    ws.close()


def test_other_topics_need_no_key(server):
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=5)
    for topic in ("bokehplot:temporary-anon1", "bokehuser:defaultuser", "debug:debug",
                  "whatever:thing"):
        got_topic, status = send_subscribe(ws, topic, None)
        assert got_topic == topic and status["msgtype"] == "status"
    ws.close()


def test_other_messages_are_ignored(server, doc):
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=5)
    ws.send(json.dumps({"msgtype": "hello", "topic": "x:y"}))
    ws.send(json.dumps({"foo": 1}))
    ws.send(json.dumps([1, 2]))
    # The next answer is the one to this subscribe: nothing was sent for the three above.
    topic, status = send_subscribe(ws, "debug:debug", "")
    assert topic == "debug:debug" and status["msgtype"] == "status"
    ws.close()


def test_unknown_document_gets_an_error_frame_not_a_dropped_connection(server):
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=5)
    topic, error = send_subscribe(ws, "bokehplot:nosuchdoc", "x")
    assert topic == "bokehplot:nosuchdoc"
    assert error["msgtype"] == "error"
    _, status = send_subscribe(ws, "debug:debug", "")
    assert status["msgtype"] == "status"
    ws.close()


@pytest.mark.parametrize("headers", [{}, {"Connection": "Upgrade", "Upgrade": "websocket"}])
def test_a_plain_or_incomplete_handshake_is_a_json_400(server, headers):
    reply = requests.get(f"{server.url}/bokeh/sub", headers=headers, timeout=5)
    assert reply.status_code == 400
    assert reply.json()["error"] == "bad_request"


@pytest.mark.parametrize("text, code", [("not json at all", 1003),
                                        ('{"msgtype": "subscribe", "topic": "nocolon"}', 1008)])
def test_bad_input_closes_with_a_close_code(server, text, code):
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=5)
    ws.send(text)
    opcode, data = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert int.from_bytes(data[:2], "big") == code
    assert data[2:], "the close frame says why"


def test_every_write_is_pushed_to_every_subscriber(server, doc):
    topic = f"bokehplot:{doc.docid}"
    subscribers = [subscribe(server.host, topic, doc.readonlyapikey) for _ in range(3)]
    reply = upsert(server.url, doc.docid, [source(offset=7)])
    assert reply.status_code == 200
    frames = [ws.recv() for ws in subscribers]
    # Encoded once: every subscriber gets the very same text, which is the HTTP reply.
    assert len(set(frames)) == 1
    got_topic, push = split_frame(frames[0])
    assert got_topic == topic
    assert push == reply.json()
    assert push["msgtype"] == "modelpush"
    [envelope] = push["modelspecs"]
    assert envelope["attributes"]["data"]["y"] == [7, 9, 11, 13, 15]
    assert envelope["attributes"]["doc"] == doc.docid
    for ws in subscribers:
        ws.close()


def test_double_subscription_delivers_once(server, doc):
    topic = f"bokehplot:{doc.docid}"
    ws = subscribe(server.host, topic, doc.apikey)
    ws.send(json.dumps({"msgtype": "subscribe", "topic": topic, "auth": doc.apikey}))
    assert split_frame(ws.recv())[1]["msgtype"] == "status"
    upsert(server.url, doc.docid, [source(offset=1)])
    upsert(server.url, doc.docid, [source(offset=2)])
    ys = [split_frame(ws.recv())[1]["modelspecs"][0]["attributes"]["data"]["y"][0]
          for _ in range(2)]
    assert ys == [1, 2]
    ws.close()


def test_patch_pushes_to_the_sender_too(server, doc):
    topic = f"bokehplot:{doc.docid}"
    ws = subscribe(server.host, topic, doc.readonlyapikey)
    reply = requests.patch(f"{server.url}/bokeh/bb/{doc.docid}/ColumnDataSource/cds1/",
                           json={"selected": {"1d": {"indices": [1]}}}, timeout=5)
    assert reply.json() == {"noop": True}
    _, push = split_frame(ws.recv())
    assert push["modelspecs"][0]["attributes"]["selected"] == {"1d": {"indices": [1]}}
    ws.close()


def test_copy_on_write_pushes_only_on_the_temporary_topic(server, doc):
    main = subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey)
    temporary = subscribe(server.host, "bokehplot:temporary-abc", None)
    reply = upsert(server.url, doc.docid, [source(offset=100)],
                   headers={f"temporary-{doc.docid}": "temporary-abc"})
    assert reply.status_code == 200
    topic, push = split_frame(temporary.recv())
    assert topic == "bokehplot:temporary-abc"
    # `doc` stays the real document even for the copy (PROTOCOL 3.6).
    assert push["modelspecs"][0]["attributes"]["doc"] == doc.docid
    main.settimeout(0.3)
    with pytest.raises(websocket.WebSocketTimeoutException):
        main.recv()
    main.close()
    temporary.close()


def test_docchange_on_create_and_delete(server):
    ws = subscribe(server.host, "bokehuser:defaultuser", None)
    handle = create_doc(server.url, f"dc-{time.monotonic_ns()}")
    assert split_frame(ws.recv()) == ("bokehuser:defaultuser", {"msgtype": "docchange"})
    assert requests.delete(f"{server.url}/bokeh/doc/{handle.docid}/", timeout=5).ok
    assert split_frame(ws.recv()) == ("bokehuser:defaultuser", {"msgtype": "docchange"})
    ws.close()


def test_no_compression_is_negotiated(server, doc):
    sock, head = raw_websocket(
        server.host, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")
    assert head.startswith("HTTP/1.1 101")
    assert "sec-websocket-extensions" not in head.lower()
    sock.close()


def test_stalled_subscriber_does_not_hold_up_writer_or_others(start_server):
    """One subscriber stops reading. The writer's requests keep completing, the healthy
    subscriber receives every push, and the stalled one is disconnected once its bounded
    queue overflows (it would otherwise grow without limit)."""
    server = start_server(env={"PLOTSERVER_WS_QUEUE_FRAMES": "50"})
    doc = create_doc(server.url, "stall")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    topic = f"bokehplot:{doc.docid}"

    stalled, _ = raw_websocket(server.host, rcvbuf=4096)
    stalled.sendall(masked_text_frame(json.dumps(
        {"msgtype": "subscribe", "topic": topic, "auth": doc.apikey})))
    healthy = subscribe(server.host, topic, doc.apikey, timeout=10)

    pushes = 300  # ~60 kB each: far more than the stalled socket's buffers hold
    latencies = []
    for i in range(pushes):
        started = time.perf_counter()
        reply = upsert(server.url, doc.docid, [source(n_points=4000, offset=i)], timeout=5)
        latencies.append(time.perf_counter() - started)
        assert reply.status_code == 200
        _, push = split_frame(healthy.recv())
        assert push["modelspecs"][0]["attributes"]["data"]["y"][0] == i

    # The server dropped the stalled subscriber: draining its socket reaches end of stream.
    stalled.settimeout(10)
    received = 0
    while True:
        chunk = stalled.recv(1 << 20)
        if not chunk:
            break
        received += len(chunk)
    assert received < pushes * 60_000, "the stalled subscriber was not dropped"
    assert "dropping WebSocket subscriber" in server.stderr()
    latencies.sort()
    print(f"writer latency with a stalled subscriber: p50 {latencies[len(latencies) // 2]*1e3:.2f}"
          f" ms, max {latencies[-1]*1e3:.2f} ms")
    healthy.close()
    stalled.close()


def test_writer_is_not_blocked_by_a_subscriber_that_never_reads(start_server):
    """Without the queue bound being hit, a never-reading subscriber still costs the writer
    nothing: every request completes while that subscriber's backlog grows."""
    server = start_server()
    doc = create_doc(server.url, "never-reads")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    stalled, _ = raw_websocket(server.host, rcvbuf=4096)
    stalled.sendall(masked_text_frame(json.dumps(
        {"msgtype": "subscribe", "topic": f"bokehplot:{doc.docid}", "auth": doc.apikey})))
    time.sleep(0.2)
    for i in range(100):
        assert upsert(server.url, doc.docid, [source(n_points=4000, offset=i)], timeout=5).ok
    # Still subscribed and still served: the connection was neither dropped nor blocking.
    stalled.setblocking(False)
    try:
        assert stalled.recv(100)
    except BlockingIOError:
        pytest.fail("the stalled subscriber received nothing at all")
    stalled.close()
    assert requests.get(server.url + "/bokeh/ping", timeout=5).text == "pong"


def read_server_frame(sock) -> bytes:
    """One unmasked, unfragmented server frame's payload, read from a raw socket."""
    def exactly(n):
        data = bytearray()
        while len(data) < n:
            chunk = sock.recv(min(n - len(data), 1 << 20))
            if not chunk:
                raise ConnectionError("closed mid-frame")
            data += chunk
        return bytes(data)

    first, second = exactly(2)
    assert first == 0x81 and not second & 0x80, (first, second)
    size = second & 0x7F
    if size == 126:
        size = int.from_bytes(exactly(2), "big")
    elif size == 127:
        size = int.from_bytes(exactly(8), "big")
    return exactly(size)


def test_large_pushes_reach_a_slow_reader_whole_and_in_order(server, doc):
    """To a reader with a small receive buffer, most of each push of a few MB waits in the
    subscriber's queue after a partial send: every byte still arrives, in order."""
    topic = f"bokehplot:{doc.docid}"
    slow, _ = raw_websocket(server.host, rcvbuf=4096)
    slow.sendall(masked_text_frame(json.dumps({"msgtype": "subscribe", "topic": topic,
                                               "auth": doc.apikey})))
    assert b"subscribesuccess" in read_server_frame(slow)
    replies = []
    for i in range(3):
        reply = upsert(server.url, doc.docid, [source(n_points=100_000, offset=i)], timeout=10)
        assert reply.status_code == 200
        replies.append(reply.content)
    assert len(replies[0]) > 1_000_000
    for i, reply in enumerate(replies):
        payload = read_server_frame(slow)
        assert payload == f"{topic}:".encode() + reply
        assert json.loads(reply)["modelspecs"][0]["attributes"]["data"]["y"][1] == 2 + i
    slow.close()

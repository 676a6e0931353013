"""The WebSocket channel's own defences, over raw sockets: pings that drop a peer that answers
nothing, a frame header announcing more than the message limit, and a first frame that travels
in the same packet as the upgrade request."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct

from helpers import create_doc, line_plot, masked_text_frame, raw_websocket, source, upsert
from raw_http import read_reply


def read_frame(sock: socket.socket, buffer: bytearray) -> tuple[int, bytes]:
    """(opcode, payload) of the next server frame (servers do not mask)."""
    def need(n: int) -> None:
        while len(buffer) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            buffer.extend(chunk)

    need(2)
    length, offset = buffer[1] & 0x7F, 2
    if length == 126:
        need(4)
        length, offset = struct.unpack_from("!H", buffer, 2)[0], 4
    elif length == 127:
        need(10)
        length, offset = struct.unpack_from("!Q", buffer, 2)[0], 10
    need(offset + length)
    opcode, payload = buffer[0] & 0x0F, bytes(buffer[offset:offset + length])
    del buffer[:offset + length]
    return opcode, payload


def masked(opcode: int, payload: bytes = b"") -> bytes:
    mask = os.urandom(4)
    return (bytes([0x80 | opcode, 0x80 | len(payload)]) + mask
            + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def subscribed(server, doc) -> socket.socket:
    sock, _ = raw_websocket(server.host)
    sock.sendall(masked_text_frame(json.dumps(
        {"msgtype": "subscribe", "topic": f"bokehplot:{doc.docid}", "auth": doc.apikey})))
    return sock


def test_a_subscriber_that_never_answers_pings_is_dropped(start_server):
    server = start_server(env={"PLOTSERVER_WS_PING_INTERVAL": "1"})
    doc = create_doc(server.url, "silent")
    sock = subscribed(server, doc)
    opcodes = []
    buffer = bytearray()
    with sock:
        try:
            while True:  # read, never answer; the socket's 10 s timeout fails a server that waits
                opcodes.append(read_frame(sock, buffer)[0])
        except ConnectionError:
            pass
    assert opcodes[0] == 0x1 and 0x9 in opcodes  # the status reply, then at least one ping
    assert "no answer to a ping" in server.stderr()


def test_a_subscriber_that_answers_pings_stays(start_server):
    server = start_server(env={"PLOTSERVER_WS_PING_INTERVAL": "2"})
    doc = create_doc(server.url, "lively")
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    sock = subscribed(server, doc)
    buffer = bytearray()
    with sock:
        assert read_frame(sock, buffer)[0] == 0x1
        pings = 0
        while pings < 2:  # two intervals, each ping answered at once
            opcode, payload = read_frame(sock, buffer)
            if opcode == 0x9:
                pings += 1
                sock.sendall(masked(0xA, payload))
        assert upsert(server.url, doc.docid, [source(offset=5)]).ok
        while (frame := read_frame(sock, buffer))[0] == 0x9:
            sock.sendall(masked(0xA, frame[1]))
        assert b'"modelpush"' in frame[1]


def test_a_header_announcing_too_much_closes_at_once_with_1009(server):
    sock, _ = raw_websocket(server.host)
    sock.settimeout(5)  # a server waiting for the announced bytes fails the test
    with sock:
        # A text frame announcing 2^62 bytes, then only 1,000 of them.
        sock.sendall(bytes([0x81, 0x80 | 127]) + struct.pack("!Q", 2 ** 62) + os.urandom(4)
                     + b"x" * 1000)
        buffer = bytearray()
        opcode, payload = read_frame(sock, buffer)
        assert opcode == 0x8 and struct.unpack("!H", payload[:2])[0] == 1009
        assert sock.recv(65536) == b""


def test_the_first_frame_may_travel_with_the_upgrade_request(server):
    doc = create_doc(server.url, "eager")
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(f"GET /bokeh/sub HTTP/1.1\r\nHost: {server.host}\r\nUpgrade: websocket\r\n"
                     f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n".encode()
                     + masked_text_frame(json.dumps({"msgtype": "subscribe",
                                                     "topic": f"bokehplot:{doc.docid}",
                                                     "auth": doc.apikey})))
        buffer = bytearray()
        assert read_reply(sock, buffer, head_only=True).status == 101
        opcode, payload = read_frame(sock, buffer)
    assert opcode == 0x1 and b"subscribesuccess" in payload

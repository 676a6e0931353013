"""What the HTTP layer does for any WSGI app, not only plotserver's: tests/handoff_app.py in a
process of its own, spoken to over raw sockets."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import free_port
from helpers import masked_text_frame
from raw_http import read_reply, read_until_closed


class AppServer:
    def __init__(self, port: int):
        self.port = port


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("handoff") / "stderr").open("wb")
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("handoff_app.py")),
                                str(port)], stderr=log)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "no app server"
            time.sleep(0.05)
    yield AppServer(port)
    process.terminate()
    process.wait(10)


def connect(app_server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", app_server.port), timeout=5)


def test_the_apps_connection_close_is_honoured(app_server):
    with connect(app_server) as sock:
        sock.sendall(b"GET /close HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        replies = read_until_closed(sock)
    assert [r.body for r in replies] == [b"bye"]


def test_any_websocket_route_gets_the_socket_and_nothing_is_written_after_it(app_server):
    with connect(app_server) as sock:
        # The first frame travels with the upgrade request: it must not be lost.
        sock.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     b"Sec-WebSocket-Version: 13\r\n\r\n" + masked_text_frame("hello"))
        buffer = bytearray()
        assert read_reply(sock, buffer, head_only=True).status == 101
        while len(buffer) < 7:
            buffer += sock.recv(65536)
        assert bytes(buffer[:7]) == b"\x81\x05hello"  # the echo, unmasked
        del buffer[:7]
        sock.sendall(b"\x88\x82abcd" + bytes(a ^ b for a, b in zip(b"\x03\xe8", b"ab")))
        while chunk := sock.recv(65536):
            buffer += chunk
    # The echoed close frame, then the end of the connection: no HTTP response after it.
    assert bytes(buffer[:4]) == b"\x88\x02\x03\xe8"
    assert bytes(buffer[4:]) == b""


def test_a_crash_outside_flask_is_a_json_500_and_the_server_lives(app_server):
    with connect(app_server) as sock:
        sock.sendall(b"GET /crash HTTP/1.1\r\nHost: x\r\n\r\n")
        replies = read_until_closed(sock)
    assert [r.status for r in replies] == [500]
    assert replies[0].json()["error"] == "internal"
    with connect(app_server) as sock:
        sock.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_reply(sock, bytearray()).body == b"hello"

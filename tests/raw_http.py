"""HTTP/1.1 spoken by hand over plain sockets, for the tests of plotserver's HTTP layer:
nothing between the test and the server smooths over a protocol mistake."""

from __future__ import annotations

import json
import socket


def connect(server, timeout: float = 5.0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class Reply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def read_reply(sock: socket.socket, buffer: bytearray, head_only: bool = False) -> Reply:
    """One response from `sock`; bytes after it stay in `buffer` for the next call."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a full response head: {bytes(buffer)!r}")
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = 0 if head_only else int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the middle of a body")
        rest += chunk
    buffer[:] = rest[length:]
    return Reply(status, headers, rest[:length])


def exchange(server, raw: bytes, head_only: bool = False) -> Reply:
    with connect(server) as sock:
        sock.sendall(raw)
        return read_reply(sock, bytearray(), head_only)


def closed_by_server(sock: socket.socket, buffer: bytearray) -> bool:
    try:
        return not buffer and sock.recv(1) == b""
    except ConnectionResetError:
        return True


def upsert_request(docid: str, envelopes: list[dict], extra: str = "") -> bytes:
    body = json.dumps(envelopes).encode()
    return (f"POST /bokeh/bb/{docid}/bulkupsert HTTP/1.1\r\nHost: x\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
            ).encode() + body


def read_until_closed(sock: socket.socket, buffer: bytearray | None = None) -> list[Reply]:
    """Every response the server sends until it closes the connection (a socket timeout, if
    it never does, fails the test)."""
    buffer = bytearray() if buffer is None else buffer
    replies = []
    while True:
        if not buffer:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return replies
            if not chunk:
                return replies
            buffer += chunk
        replies.append(read_reply(sock, buffer))

"""Small client-side helpers shared by the tests: create documents, upsert, subscribe."""

from __future__ import annotations

import base64
import json
import os
import socket
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
import websocket


@dataclass
class DocHandle:
    docid: str
    apikey: str
    readonlyapikey: str
    plot_context_id: str


def create_doc(url: str, title: str) -> DocHandle:
    reply = requests.post(url + "/bokeh/doc/", json={"title": title}, timeout=5)
    reply.raise_for_status()
    docid = next(d["docid"] for d in reply.json()["docs"] if d["title"] == title)
    apikey = requests.get(f"{url}/bokeh/getdocapikey/{docid}", timeout=5).json()["apikey"]
    info = requests.get(f"{url}/bokeh/bokehinfo/{docid}/", timeout=5).json()
    return DocHandle(docid, apikey, info["apikey"], info["plot_context_ref"]["id"])


def line_plot(doc: DocHandle, n_points: int = 5, source_id: str = "cds1") -> list[dict]:
    """PlotContext -> Plot -> GlyphRenderer -> Line + ColumnDataSource, as envelopes."""
    def env(type_name, object_id, **attributes):
        return {"type": type_name, "id": object_id, "attributes": {"id": object_id, **attributes}}

    def ref(type_name, object_id):
        return {"type": type_name, "id": object_id}

    return [
        env("PlotContext", doc.plot_context_id, children=[ref("Plot", "plot1")]),
        env("Plot", "plot1", renderers=[ref("GlyphRenderer", "gr1")], title="t"),
        env("GlyphRenderer", "gr1", data_source=ref("ColumnDataSource", source_id),
            glyph=ref("Line", "line1")),
        env("Line", "line1", x={"field": "x"}, y={"field": "y"}),
        source(source_id, n_points),
    ]


def source(source_id: str = "cds1", n_points: int = 5, offset: int = 0) -> dict:
    xs = list(range(n_points))
    return {"type": "ColumnDataSource", "id": source_id,
            "attributes": {"id": source_id, "column_names": ["x", "y"],
                           "data": {"x": xs, "y": [x * 2 + offset for x in xs]}}}


def upsert(url: str, docid: str, envelopes: list[dict], **kwargs) -> requests.Response:
    return requests.post(f"{url}/bokeh/bb/{docid}/bulkupsert", data=json.dumps(envelopes),
                         headers={"Content-Type": "application/json", **kwargs.pop("headers", {})},
                         timeout=kwargs.pop("timeout", 10), **kwargs)


def subscribe(host: str, topic: str, auth, timeout: float = 5) -> websocket.WebSocket:
    """A subscribed WebSocket; the status reply has been read and checked."""
    ws = websocket.create_connection(f"ws://{host}/bokeh/sub", timeout=timeout)
    ws.send(json.dumps({"msgtype": "subscribe", "topic": topic, "auth": auth}))
    reply = ws.recv()
    assert reply.startswith(topic + ":"), reply
    assert json.loads(reply[len(topic) + 1:])["msgtype"] == "status", reply
    return ws


def split_frame(text: str) -> tuple[str, dict]:
    first = text.index(":")
    second = text.index(":", first + 1)
    return text[:second], json.loads(text[second + 1:])


def raw_websocket(host: str, extra_headers: str = "", rcvbuf: int | None = None):
    """A WebSocket opened by hand over a plain socket: returns (socket, response headers)."""
    hostname, port = host.split(":")
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)  # a server that stops answering fails the test instead of hanging it
    sock.connect((hostname, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /bokeh/sub HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\n{extra_headers}\r\n").encode())
    response = b""
    while b"\r\n\r\n" not in response:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError(f"closed during handshake: {response!r}")
        response += chunk
    head, _, rest = response.partition(b"\r\n\r\n")
    assert not rest, "no frame expected before the first subscribe"
    return sock, head.decode()


def masked_text_frame(text: str) -> bytes:
    """A client-to-server text frame (clients must mask)."""
    payload = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    n = len(payload)
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class SourceAddress(HTTPAdapter):
    """Connections from another loopback address (127.x.y.z): the login throttle counts
    failures per address, and every test request otherwise comes from 127.0.0.1."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str) -> requests.Session:
    """A requests session whose connections come from `address`."""
    http = requests.Session()
    http.mount("http://", SourceAddress(address))
    return http

"""Test helpers for the plotclient session tests: a small HTTP/1.1 server (standard library
only) that records every request a client sends, and either forwards it to a live plotserver
(`RecordingProxy`) or answers it from a captured fixture (`FixtureServer`, for routes
plotserver does not implement yet, such as multi-user register/login).

`assert_requests_match` compares what plotclient sent with what the original bokeh 0.10
client sent in a capture: methods, paths, the headers that matter and the bodies (JSON
compared as unordered sets of envelopes, generated ids bound through replay.IdMap)."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from replay import IdMap, Mismatch, match

# Request headers whose presence and value must equal the original client's.
HEADERS_THAT_MATTER = ("bokehuser", "bokehuser-api-key", "content-type", "cookie")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server",
               "date"}


@dataclass
class Recorded:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    connection: int  # which TCP connection carried it (0, 1, ... in order of opening)
    status: int | None = None  # the answer's status, once it has been answered

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    def json(self):
        return json.loads(self.body)


@dataclass
class _Answer:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as plotserver

    def setup(self):
        super().setup()
        with self.server.owner.lock:
            self.connection_number = self.server.owner.connections
            self.server.owner.connections += 1

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Recorded(self.command, self.path, list(self.headers.items()), body,
                           self.connection_number)
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(request)
        answer = owner.answer(request)
        if answer is None:
            # Read, then dropped unanswered: the client cannot tell whether it was done.
            self.close_connection = True
            return
        request.status = answer.status
        self.send_response(answer.status)
        for name, value in answer.headers:
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)
        if owner.close_after_each:
            # Drop the connection without saying so, like a server's idle timeout.
            self.close_connection = True
        if owner.reset_after(request):
            # Abort instead of closing: the client's next write fails with a reset.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, *args):
        pass


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client killed mid-request (the streaming test does that) is expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _RecordingServer:
    close_after_each = False

    def reset_after(self, request: Recorded) -> bool:
        return False

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[Recorded] = []
        self.connections = 0
        self.httpd = _QuietHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def answer(self, request: Recorded) -> _Answer | None:
        """The answer to `request`, or None to read it and close without answering."""
        raise NotImplementedError

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class RecordingProxy(_RecordingServer):
    """Records requests and forwards them to `upstream` (a running plotserver)."""

    def __init__(self, upstream_host: str):
        self.upstream_host = upstream_host
        self.local = threading.local()
        super().__init__()

    def answer(self, request: Recorded) -> _Answer:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(self.upstream_host, timeout=30)
        headers = {k: v for k, v in request.headers if k.lower() not in ("host", "connection")}
        conn.request(request.method, request.path, body=request.body or None, headers=headers)
        response = conn.getresponse()
        return _Answer(response.status, response.getheaders(), response.read())


class FixtureServer(_RecordingServer):
    """Answers the n-th request with the n-th captured response of `events`."""

    def __init__(self, events: list[dict]):
        self.responses = [e["response"] for e in events]
        super().__init__()

    def answer(self, request: Recorded) -> _Answer:
        index = len(self.requests) - 1
        if index >= len(self.responses):
            return _Answer(599, [("Content-Type", "text/plain")], b"more requests than captured")
        captured = self.responses[index]
        if captured.get("body_raw") is not None:
            body = captured["body_raw"].encode()
        elif "body_json" in captured:
            body = json.dumps(captured["body_json"]).encode()
        else:
            body = (captured.get("body_text") or "").encode()
        return _Answer(captured["status"], [tuple(h) for h in captured["headers"]], body)


class IdleClosingServer(_RecordingServer):
    """Answers `{"ok": n}` and then silently closes the connection every time."""

    close_after_each = True

    def answer(self, request: Recorded) -> _Answer:
        body = json.dumps({"ok": len(self.requests)}).encode()
        return _Answer(200, [("Content-Type", "application/json")], body)


class ScriptedServer(_RecordingServer):
    """Answers the n-th request (counting from 1, over all connections) with `{"ok": n}`,
    except: n in `drop` is read and left unanswered (its connection closed); n in `delay`
    is answered after that many seconds; after answering n in `reset`, the connection is
    aborted with a TCP reset."""

    def __init__(self, drop=(), delay: dict | None = None, reset=()):
        self.drop, self.delay, self.reset = set(drop), dict(delay or {}), set(reset)
        super().__init__()

    def _number(self, request: Recorded) -> int:
        with self.lock:
            return next(i for i, r in enumerate(self.requests, 1) if r is request)

    def answer(self, request: Recorded) -> _Answer | None:
        n = self._number(request)
        if n in self.drop:
            return None
        time.sleep(self.delay.get(n, 0))
        return _Answer(200, [("Content-Type", "application/json")],
                       json.dumps({"ok": n}).encode())

    def reset_after(self, request: Recorded) -> bool:
        return self._number(request) in self.reset


class StatusServer(_RecordingServer):
    """Answers every request with one fixed status, content type and body."""

    def __init__(self, status: int, body: bytes, content_type: str = "application/json"):
        self.fixed = _Answer(status, [("Content-Type", content_type)], body)
        super().__init__()

    def answer(self, request: Recorded) -> _Answer:
        return self.fixed


# ------------------------------------------------------------------------- comparison

def client_requests(fixture: dict) -> list[dict]:
    """The requests the 0.10 Python client made in a capture: the ones carrying its
    BOKEHUSER header (probe scripts' pings and plain `requests` calls do not)."""
    out = []
    for event in fixture["events"]:
        if event.get("kind") != "http" or event.get("actor") != "python-client":
            continue
        names = {k.lower() for k, _ in event["request"]["headers"]}
        if "bokehuser" in names:
            out.append(event)
    return out


def assert_requests_match(expected_events: list[dict], recorded: list[Recorded],
                          ids: IdMap) -> None:
    """Raise Mismatch unless `recorded` is the captured request sequence, request for
    request (ids mapped through `ids`, which this extends)."""
    want = [f"{e['request']['method']} {e['request']['path']}" for e in expected_events]
    have = [f"{r.method} {r.path}" for r in recorded]
    if len(want) != len(have):
        raise Mismatch("request sequences differ in length:\n  want " + "\n       ".join(want)
                       + "\n  have " + "\n       ".join(have))
    for event, ours in zip(expected_events, recorded):
        _match_request(event, ours, ids)


def _match_request(event: dict, ours: Recorded, ids: IdMap) -> None:
    request = event["request"]
    where = f"#{event['seq']} {request['method']} {request['path']}"
    if ours.method != request["method"]:
        raise Mismatch(f"{where}: method {ours.method}")
    try:
        match(request["path"].split("/"), ours.path.split("/"), ids, "path")
        theirs = {k.lower(): v for k, v in request["headers"]}
        for name in HEADERS_THAT_MATTER:
            want, have = theirs.get(name), ours.header(name)
            if (want is None) != (have is None):
                raise Mismatch(f"header {name}: want {want!r}, have {have!r}")
            if want is not None:
                if name == "content-type":
                    want, have = want.lower(), have.lower()
                match(want, have, ids, f"header {name}")
        if "content-length" in theirs and ours.header("content-length") is None:
            raise Mismatch("no Content-Length")
        _match_body(request, ours, ids)
    except Mismatch as exc:
        raise Mismatch(f"{where}: {exc}") from None


def _match_body(request: dict, ours: Recorded, ids: IdMap) -> None:
    if "body_summary" in request:
        # The capture kept counts, types and ids only (and two sample envelopes), so this
        # is all that can be checked: the number of envelopes, their set of types and that
        # ids already bound appear. Attribute values and unbound ids are NOT compared - the
        # limit of the capture, not of this check (captures with body_json get the full
        # comparison below).
        summary, body = request["body_summary"], ours.json()
        if len(body) != summary["object_count"]:
            raise Mismatch(f"{len(body)} envelopes, want {summary['object_count']}")
        if sorted({e["type"] for e in body}) != sorted(summary["types"]):
            raise Mismatch(f"types {sorted({e['type'] for e in body})}, want {summary['types']}")
        known = {ids.forward[i] for i in summary["ids"] if i in ids.forward}
        missing = known - {e["id"] for e in body}
        if missing:
            raise Mismatch(f"known ids missing: {missing}")
        return
    if "body_json" in request:
        match(request["body_json"], ours.json(), ids, "body")
        return
    text = request.get("body_text") or request.get("body_raw") or ""
    if text and "=" in text and not text.startswith(("{", "[")):
        if parse_qsl(text) != parse_qsl(ours.body.decode()):
            raise Mismatch(f"form body {ours.body!r}, want {text!r}")
        return
    if ours.body.decode() != ids.text(text):
        raise Mismatch(f"body {ours.body[:200]!r}, want {text[:200]!r}")

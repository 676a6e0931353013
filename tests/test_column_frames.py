"""Binary modelpush frames (plotserver/column_frames.py): what a page that subscribes with
`"binary_columns": true` gets for a write with large numeric columns, and that it decodes to
exactly the message every other subscriber gets as text."""

from __future__ import annotations

import json
import struct
import sys
import time
from array import array

import orjson
import pytest
import websocket

from helpers import create_doc, line_plot, source, split_frame, upsert
from plotserver import column_frames, protocol
from plotserver.models import StoredObject
from plotserver.pubsub.local import LocalBus

TOPIC = "bokehplot:d1"
N = column_frames.MIN_BINARY_ITEMS


def decode(payload: bytes) -> tuple[str, dict, list]:
    """A binary frame's payload -> (topic, message with the columns as lists, column table),
    read as the layout in column_frames' docstring says, checking its alignment."""
    (header_length,) = struct.unpack_from("<I", payload)
    header = json.loads(payload[4:4 + header_length])
    base = -(-(4 + header_length) // 8) * 8
    assert payload[4 + header_length:base] == bytes(base - 4 - header_length)
    msg = header["msg"]
    for spec, name, dtype, offset, length in header["columns"]:
        assert offset % 8 == 0
        data = msg["modelspecs"][spec]["attributes"]["data"]
        if dtype == column_frames.SAME:  # left out: the page keeps what it holds
            assert data[name] is None
            data[name] = Same(length)
            continue
        column = array({"int32": "i", "float64": "d"}[dtype])
        column.frombytes(payload[base + offset:base + offset + length * column.itemsize])
        if sys.byteorder == "big":
            column.byteswap()
        assert data[name] is None  # a placeholder, keeping the key's place
        data[name] = column.tolist()
    return header["topic"], msg, header["columns"]


class Same:
    """Where a delta frame left a column out: equal to any column of that length."""

    def __init__(self, length: int):
        self.length = length

    def __eq__(self, other) -> bool:
        return isinstance(other, list) and len(other) == self.length

    def __repr__(self) -> str:
        return f"Same({self.length})"


def unframe(frame: bytes) -> tuple[int, bytes]:
    """(opcode, payload) of one unmasked server frame."""
    size = frame[1] & 0x7F
    start = 2 + {126: 2, 127: 8}.get(size, 0)
    if size >= 126:
        size = int.from_bytes(frame[2:start], "big")
    assert len(frame) == start + size and frame[0] & 0x80  # whole and final
    return frame[0] & 0x0F, frame[start:]


def text_push(objects) -> dict:
    return orjson.loads(b"".join(protocol.modelpush_parts([o.envelope_json("d1") for o in objects])))


def cds(object_id: str, **columns) -> StoredObject:
    return StoredObject("ColumnDataSource", object_id,
                        {"id": object_id, "column_names": list(columns), "data": dict(columns)})


def test_numeric_columns_go_as_arrays_and_decode_to_the_text_push():
    ints = list(range(-5, N))
    columns = {
        "ints": ints,                                           # int32
        "floats": [i / 3 for i in range(N)],                    # float64
        "mixed": [0] + [i + 0.5 for i in range(N)],             # ints then floats: float64
        "wide": [2 ** 40 + i for i in range(N)],                # beyond int32: float64
        "huge": [2 ** 53 + 1] * N,                              # beyond doubles' integers
        "flags": [True, False] * (N // 2),                      # booleans stay JSON
        "gaps": [1.0, None] * (N // 2),                         # as do gaps,
        "names": ["a"] * N,                                     # strings,
        "nested": [[1, 2]] * N,                                 # nested lists
        "short": list(range(N - 1)),                            # and small columns
    }
    objects = [cds("s1", **columns), StoredObject("Range1d", "r1", {"id": "r1", "start": 0, "end": 1})]
    opcode, payload = unframe(column_frames.modelpush_frame(TOPIC, "d1", objects))
    assert opcode == 2
    topic, msg, table = decode(payload)
    assert topic == TOPIC
    assert [(name, dtype) for _, name, dtype, _, _ in table] == [
        ("ints", "int32"), ("floats", "float64"), ("mixed", "float64"), ("wide", "float64"),
        ("huge", "float64")]
    # What JSON.parse makes of the text push, number for number: ints compare equal to
    # their doubles, and 2**53 + 1 becomes the double it is read as, 2**53.
    assert msg["modelspecs"][0]["attributes"]["data"]["huge"][0] == float(2 ** 53)
    msg["modelspecs"][0]["attributes"]["data"]["huge"] = columns["huge"]
    assert msg == text_push(objects)
    assert list(msg["modelspecs"][0]["attributes"]["data"]) == list(columns)  # key order kept
    # The stored object itself is untouched.
    assert objects[0].attributes["data"]["ints"] is ints


def test_columns_start_eight_byte_aligned_whatever_their_lengths():
    objects = [cds("s1", a=list(range(N + 1)), b=[0.5] * (8 * N + 3)), cds("s2", c=list(range(N + 5)))]
    _, payload = unframe(column_frames.modelpush_frame(TOPIC, "d1", objects))
    _, msg, table = decode(payload)
    assert [(spec, name) for spec, name, *_ in table] == [(0, "a"), (0, "b"), (1, "c")]
    assert msg == text_push(objects)
    assert len(payload) > 65536  # the 64-bit length form of the frame header


def test_a_delta_frame_leaves_out_the_columns_named_unchanged():
    xs, ys = list(range(N)), [i / 3 for i in range(N)]
    names = ["a"] * N
    objects = [cds("s1", x=xs, y=ys, names=names), cds("s2", x=list(xs))]
    _, payload = unframe(column_frames.modelpush_frame(
        TOPIC, "d1", objects, {"s1": {"x", "names"}, "s2": {"x"}}))
    _, msg, table = decode(payload)
    assert [(spec, name, dtype) for spec, name, dtype, *_ in table] == [
        (0, "x", "same"), (0, "y", "float64"), (0, "names", "same"), (1, "x", "same")]
    # No bytes for the columns left out; the rest decodes as in a whole frame.
    (header_length,) = struct.unpack_from("<I", payload)
    assert len(payload) - (-(-(4 + header_length) // 8) * 8) == 8 * N
    assert msg == text_push(objects)
    assert type(msg["modelspecs"][0]["attributes"]["data"]["x"]) is Same


def test_same_columns_are_the_long_ones_the_previous_version_held():
    xs = list(range(N))
    before = cds("s1", x=xs, y=[0.5] * N, z=[1] * N, short=[1, 2], names=["a"] * N)
    after = cds("s1", x=xs, y=[0.5] * N, z=[1.0] * N, short=[1, 2], names=["b"] * N,
                new=[0] * N)
    # The same list, an equal one, and numbers equal as numbers; not the short column,
    # nor a changed or new one.
    assert column_frames.same_columns(after, before) == {"x", "y", "z"}
    assert column_frames.same_columns(after, None) == set()
    assert column_frames.same_columns(after, cds("s1", x=xs[:-1] + [0])) == set()


def test_nothing_to_type_means_no_binary_frame():
    assert column_frames.modelpush_frame(TOPIC, "d1", [cds("s1", x=list(range(10)))]) is None
    assert column_frames.modelpush_frame(TOPIC, "d1", [
        cds("s1", names=["a"] * N, flags=[False] * N),
        StoredObject("Plot", "p1", {"id": "p1", "title": "t"})]) is None


class Page:
    """A subscriber that keeps what it is offered."""

    def __init__(self):
        self.frames = []

    def offer(self, frame):
        self.frames.append(frame)


def test_the_local_bus_counts_binary_subscribers_per_topic():
    bus = LocalBus()
    binary, plain = Page(), Page()
    bus.subscribe(TOPIC, binary, binary=True)
    bus.subscribe(TOPIC, binary, binary=True)  # twice: still one
    bus.subscribe(TOPIC, plain)
    bus.subscribe("bokehplot:other", binary)
    assert bus.wants_binary(TOPIC) and not bus.wants_binary("bokehplot:other")
    bus.publish(TOPIC, b"{}", b"text", b"binary")
    bus.publish(TOPIC, b"{}", b"text2")  # no binary frame made: text for everybody
    assert binary.frames == [b"binary", b"text2"] and plain.frames == [b"text", b"text2"]
    bus.subscribe(TOPIC, binary)  # asks for text now
    assert not bus.wants_binary(TOPIC)
    bus.subscribe(TOPIC, plain, binary=True)
    bus.unsubscribe_all(plain)
    assert not bus.wants_binary(TOPIC) and bus._binary_counts == {}


def test_the_local_bus_sends_a_delta_only_to_who_got_the_push_it_is_relative_to():
    bus = LocalBus()
    early, whole, text = Page(), Page(), Page()
    bus.subscribe(TOPIC, early, binary=True, deltas=True)
    bus.subscribe(TOPIC, whole, binary=True)  # binary frames, but no deltas
    bus.subscribe(TOPIC, text)
    first = bus.publish(TOPIC, b"{}", b"text1", b"binary1")
    late = Page()
    bus.subscribe(TOPIC, late, binary=True, deltas=True)  # after push `first`
    assert bus.binary_audience(TOPIC, first) == (True, True)
    second = bus.publish(TOPIC, b"{}", b"text2", b"binary2", b"delta2", first)
    assert second > first
    assert early.frames == [b"binary1", b"delta2"] and late.frames == [b"binary2"]
    assert whole.frames == [b"binary1", b"binary2"] and text.frames == [b"text1", b"text2"]
    # Both delta takers got push `second`; without a whole frame, the one that takes no
    # deltas gets the text frame, which holds everything too.
    bus.unsubscribe_all(whole)
    assert bus.binary_audience(TOPIC, second) == (False, True)
    bus.publish(TOPIC, b"{}", b"text3", None, b"delta3", second)
    assert early.frames[-1] == late.frames[-1] == b"delta3" and text.frames[-1] == b"text3"
    # Subscribing again (a page that read the document anew) restarts from whole frames.
    bus.subscribe(TOPIC, early, binary=True, deltas=True)
    assert bus.binary_audience(TOPIC, second) == (True, True)


# --- through the server ------------------------------------------------------------------------


def subscriber(server, doc, binary_columns: bool | None,
               column_deltas: bool = False) -> websocket.WebSocket:
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=10)
    resubscribe(ws, doc, binary_columns, column_deltas)
    return ws


def resubscribe(ws, doc, binary_columns: bool | None, column_deltas: bool = False) -> None:
    message = {"msgtype": "subscribe", "topic": f"bokehplot:{doc.docid}", "auth": doc.apikey}
    if binary_columns is not None:
        message["binary_columns"] = binary_columns
    if column_deltas:
        message["column_deltas"] = True
    ws.send(json.dumps(message))
    assert split_frame(ws.recv())[1]["msgtype"] == "status"


def receive(ws) -> tuple[str, dict, bool]:
    """(topic, message, came as a binary frame) of the next frame."""
    opcode, data = ws.recv_data()
    if opcode == websocket.ABNF.OPCODE_BINARY:
        topic, msg, _ = decode(data)
        return topic, msg, True
    assert opcode == websocket.ABNF.OPCODE_TEXT
    topic, msg = split_frame(data.decode())
    return topic, msg, False


@pytest.fixture
def doc(server):
    handle = create_doc(server.url, f"columns-{time.monotonic_ns()}")
    assert upsert(server.url, handle.docid, line_plot(handle)).status_code == 200
    return handle


def test_a_page_asking_for_binary_columns_gets_them_and_others_get_text(server, doc):
    topic = f"bokehplot:{doc.docid}"
    binary = subscriber(server, doc, True)
    plain = subscriber(server, doc, None)
    refused = subscriber(server, doc, "yes")  # only true asks
    # Pushes cross Redis as text, so with that backend every page gets text.
    via_redis = "redis" in server.args
    reply = upsert(server.url, doc.docid, [source(n_points=5000, offset=7)])
    assert reply.status_code == 200
    sent = json.loads(reply.content)
    assert sent["modelspecs"][0]["attributes"]["data"]["y"][4999] == 2 * 4999 + 7
    assert receive(binary) == (topic, sent, not via_redis)
    assert receive(plain) == (topic, sent, False)
    assert receive(refused) == (topic, sent, False)
    # A small push is text for everybody.
    small = upsert(server.url, doc.docid, [source(n_points=5)])
    assert receive(binary) == (topic, json.loads(small.content), False)
    assert receive(plain)[2] is False
    # Subscribing again without the key asks for text from then on.
    resubscribe(binary, doc, None)
    upsert(server.url, doc.docid, [source(n_points=5000)])
    assert receive(binary)[2] is False
    for ws in (binary, plain, refused):
        ws.close()


def frame_columns(ws) -> tuple[dict, dict[str, str]]:
    """(message, {column: dtype}) of the next frame, which must be binary."""
    opcode, data = ws.recv_data()
    assert opcode == websocket.ABNF.OPCODE_BINARY
    _, msg, table = decode(data)
    return msg, {name: dtype for _, name, dtype, _, _ in table}


def test_pages_that_take_deltas_get_only_the_columns_that_changed(server, doc):
    """x re-sent unchanged is left out for the pages that hold it: those that got the
    previous push. A page that subscribed since, or takes no deltas, gets whole columns."""
    early = subscriber(server, doc, True, column_deltas=True)
    whole = subscriber(server, doc, True)
    xs = list(range(3000))

    def store(offset: int) -> dict:
        envelope = source(n_points=3000, offset=offset)
        envelope["attributes"]["data"]["x"] = list(xs)  # an equal list, not the same
        reply = upsert(server.url, doc.docid, [envelope])
        assert reply.status_code == 200
        return json.loads(reply.content)

    if "redis" in server.args:  # pushes cross Redis as text: whole, for everybody
        for offset in (1, 2):
            sent = store(offset)
            assert receive(early) == receive(whole) == (f"bokehplot:{doc.docid}", sent, False)
        return

    first = store(1)
    assert frame_columns(early) == (first, {"x": "int32", "y": "int32"})
    assert frame_columns(whole)[1] == {"x": "int32", "y": "int32"}
    late = subscriber(server, doc, True, column_deltas=True)
    second = store(2)
    msg, dtypes = frame_columns(early)
    assert dtypes == {"x": "same", "y": "int32"} and msg == second
    assert frame_columns(late) == (second, {"x": "int32", "y": "int32"})
    assert frame_columns(whole) == (second, {"x": "int32", "y": "int32"})
    # Now every delta taker got the previous push.
    third = store(3)
    assert frame_columns(early) == (third, {"x": "same", "y": "int32"})
    assert frame_columns(late) == (third, {"x": "same", "y": "int32"})
    # x changes: whole again for everybody.
    xs.reverse()
    fourth = store(4)
    assert frame_columns(early) == (fourth, {"x": "int32", "y": "int32"})
    for ws in (early, whole, late):
        ws.close()

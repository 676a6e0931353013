"""Binary modelpush frames for plotserver's own pages: large numeric data columns travel as
raw little-endian arrays instead of JSON numbers.

A page asks for them by subscribing with `"binary_columns": true` (a key the original
server ignores, so the same page works there with text frames). For a write whose push holds
a large all-number column, such a subscriber then gets one WebSocket *binary* message:

    uint32 LE   H, the header's length in bytes
    H bytes     the header, UTF-8 JSON: {"topic": <topic>,
                                         "columns": [[spec, name, dtype, offset, length], ...],
                                         "msg": <the modelpush, each such column null>}
    padding     zero bytes up to a multiple of 8
    columns     each `offset` bytes after the padding (a multiple of 8): `length` items of
                dtype "int32" or "float64", little-endian; dtype "same" has no bytes

`spec` is the index in `msg.modelspecs`, `name` the key in that envelope's attributes.data.
Everything else (small columns, strings, nested lists, other attributes) stays in the JSON.
Every other subscriber, and every other message, gets the usual text frame.

Column deltas: a page that also subscribes with `"column_deltas": true` may get a frame in
which a long column (of any kind) that did not change since the previous push of that object
is "same": no bytes, and the page keeps the column it holds. The server sends such a frame
only to subscribers that got that previous push (the bus numbers its pushes, and a
subscription remembers the number it started at), so a page that read the document and
then subscribed gets whole columns first. A stream that replaces y and re-sends x unchanged
then sends a third less, and the server compares x (~19 ms a million) instead of converting
it (~30 ms a million) and sending it.

Why: for a million-point line the text push is 25 MB that the page's worker must
JSON.parse (64-134 ms) and that DevTools-driven browsers copy once more; as columns it is
12 MB and decoding is a view onto the received buffer. The server pays for the conversion
(array() of a parsed list: ~18-35 ms per million items) only when such a page is subscribed.

A column qualifies when every item converts: integers that fit in 32 bits go as int32 (half
the bytes, and Python converts them faster than to doubles), other ints and floats as
float64, which is exactly what JSON.parse makes of them (both round to the nearest double).
A column whose first item is a boolean stays JSON, as the page keeps boolean columns as they
came; a stray boolean inside a numeric column travels as 1 or 0 (checking every item's type
would cost as much as the conversion)."""

from __future__ import annotations

import struct
import sys
from array import array
from typing import Iterable

import orjson

from . import protocol
from .pubsub import binary_frame

# Below this many items JSON costs the page next to nothing: the text frame is kept.
MIN_BINARY_ITEMS = 1024

# The dtype of a column a delta frame leaves out: the page keeps the one it holds.
SAME = "same"
_INT32 = "i" if array("i").itemsize == 4 else None
_BIG_ENDIAN = sys.byteorder == "big"


def numeric_array(column) -> tuple[str, array] | None:
    """(dtype, array) for a list of numbers, else None."""
    if type(column) is not list or len(column) < MIN_BINARY_ITEMS or type(column[0]) is bool:
        return None
    typed = None
    if _INT32 is not None:
        try:
            typed, dtype = array(_INT32, column), "int32"
        except (TypeError, OverflowError):
            pass
    if typed is None:
        try:
            typed, dtype = array("d", column), "float64"
        except (TypeError, OverflowError):
            return None
    if _BIG_ENDIAN:
        typed.byteswap()
    return dtype, typed


def long_column_names(obj) -> list[str]:
    """The names of `obj`'s data columns long enough to go into a binary frame (as typed
    arrays, if they convert, or as "same" in a delta)."""
    data = obj.attributes.get("data")
    if type(data) is not dict:
        return []
    return [name for name, column in data.items()
            if type(column) is list and len(column) >= MIN_BINARY_ITEMS]


def same_columns(obj, before) -> set[str]:
    """The long columns of `obj` that hold what `before` (its previous version) held: the
    same list, or an equal one (a stream that re-sends an unchanged x). Numbers compare as
    numbers, so 1 and 1.0 are the same, as they are on the page."""
    names = long_column_names(obj)
    old = before.attributes.get("data") if before is not None else None
    if not names or type(old) is not dict:
        return set()
    data = obj.attributes["data"]
    same = set()
    for name in names:
        column, old_column = data[name], old.get(name)
        if old_column is column or (type(old_column) is list and len(old_column) == len(column)
                                    and old_column == column):
            same.add(name)
    return same


def modelpush_frame(topic: str, docid: str, objects: Iterable,
                    unchanged: dict[str, set[str]] | None = None) -> bytes | None:
    """The binary frame of the modelpush of `objects` (StoredObjects) on `topic`, or None
    when no column qualifies (the text frame then serves every subscriber).

    `unchanged`: {object id: column names} to leave out as "same" (a column delta, for pages
    that hold those columns as the previous push of that object left them)."""
    specs: list = []
    columns: list = []
    buffers: list = []
    offset = 0
    for index, obj in enumerate(objects):
        data = obj.attributes.get("data")
        same = unchanged.get(obj.id, ()) if unchanged else ()
        typed_here = {}
        if type(data) is dict:
            for name, column in data.items():
                converted = (SAME, column) if name in same else numeric_array(column)
                if converted is not None:
                    typed_here[name] = converted
        if not typed_here:
            specs.append(obj.envelope_json(docid))
            continue
        envelope = obj.envelope(docid)
        # Copies: the stored object's own dicts are never changed.
        attributes = envelope["attributes"] = dict(envelope["attributes"])
        attributes["data"] = dict(data)
        for name, (dtype, typed) in typed_here.items():
            attributes["data"][name] = None
            if dtype == SAME:
                columns.append([index, name, SAME, 0, len(typed)])
                continue
            nbytes = len(typed) * typed.itemsize
            columns.append([index, name, dtype, offset, len(typed)])
            buffers.append(typed)
            padding = -nbytes % 8
            if padding:
                buffers.append(bytes(padding))
            offset += nbytes + padding
        try:
            specs.append(orjson.dumps(envelope))
        except orjson.JSONEncodeError:  # not expected: the text push encoded it already
            return None
    if not columns:
        return None
    header = b"".join((b'{"topic":', orjson.dumps(topic), b',"columns":', orjson.dumps(columns),
                       b',"msg":', *protocol.modelpush_parts(specs), b"}"))
    head = struct.pack("<I", len(header))
    return binary_frame(head, header, bytes(-(len(head) + len(header)) % 8), *buffers)

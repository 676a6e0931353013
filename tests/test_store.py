"""DocumentStore in-process, for what the HTTP tests cannot see: the bookkeeping it keeps."""

from __future__ import annotations

import gevent

from plotserver.backends.memory import MemoryBackend
from plotserver.documents import DocumentStore
from plotserver.protocol import parse_envelope_list
from plotserver.pubsub.local import LocalBus


def test_lock_table_holds_only_keys_in_use_and_still_excludes():
    store = DocumentStore(MemoryBackend(), LocalBus())
    user = store.default_user()
    for i in range(200):
        doc = store.create_document(user, f"doc{i}")
        source = {"type": "ColumnDataSource", "id": f"cds{i}", "attributes": {"id": f"cds{i}"}}
        store.upsert(doc, None, parse_envelope_list([source]))
        user = store.default_user()
    assert store._locks == {}
    # Writers of one key never overlap, also when one waits while another releases.
    inside, overlaps = [], []

    def writer(n):
        for _ in range(3):
            with store._lock("doc"):
                if inside:
                    overlaps.append(n)
                inside.append(n)
                gevent.sleep(0.001)  # yield while holding the lock
                inside.remove(n)

    gevent.joinall([gevent.spawn(writer, n) for n in range(5)], raise_error=True)
    assert overlaps == [] and store._locks == {}


def test_kept_encodings_cost_their_size_not_the_encoders_buffer():
    """Every stored object keeps its encoded envelope for reads; that must cost about the
    text's length (orjson's own result keeps a ~4 KB buffer even for a short text)."""
    import tracemalloc

    store = DocumentStore(MemoryBackend(), LocalBus())
    doc = store.create_document(store.default_user(), "many")
    envelopes = [{"type": "Line", "id": f"line{i}", "attributes": {
        "id": f"line{i}", "x": {"field": "x"}, "y": {"field": "y"}}} for i in range(2000)]
    incoming = parse_envelope_list(envelopes)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        store.upsert(doc, None, incoming)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    encoded = sum(len(o.envelope_json(doc.docid)) for o in
                  store.backend.load_objects(doc.docid).values())
    assert encoded < 2000 * 300
    # Stored objects (attribute dicts, references) plus their texts: well under 2 KB each.
    assert grown < 2000 * 2048, f"{grown / 2000:.0f} bytes per stored object"


def test_references_are_found_inside_long_columns_of_any_kind():
    """Long lists are checked in bulk (numbers by summing them): a reference hidden among
    numbers, strings or huge integers must still be found, and plain columns hold none."""
    from plotserver.protocol import refs_by_attribute

    ref = {"type": "Range1d", "id": "r1"}
    numbers = [float(i) for i in range(1000)]
    for column in (numbers, list(range(1000)), [str(i) for i in range(1000)],
                   [1.5, 10**400] + numbers, [None] + numbers, [True] + numbers):
        assert refs_by_attribute({"data": {"y": column}}) == {}
        for at in (0, 500, len(column)):
            assert refs_by_attribute({"data": {"y": column[:at] + [ref] + column[at:]}}) == \
                {"data": ("r1",)}
            nested = column[:at] + [[ref]] + column[at:]
            assert refs_by_attribute({"data": {"y": nested}}) == {"data": ("r1",)}

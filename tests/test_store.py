"""DocumentStore in-process, for what the HTTP tests cannot see: the bookkeeping it keeps."""

from __future__ import annotations

from plotserver.backends.memory import MemoryBackend
from plotserver.documents import LOCKS_KEPT, DocumentStore
from plotserver.protocol import parse_envelope_list
from plotserver.pubsub.local import LocalBus


def test_locks_of_idle_documents_are_forgotten():
    store = DocumentStore(MemoryBackend(), LocalBus())
    user = store.default_user()
    held = store._lock("held")
    held.acquire()
    for i in range(LOCKS_KEPT + 100):
        doc = store.create_document(user, f"doc{i}")
        source = {"type": "ColumnDataSource", "id": f"cds{i}", "attributes": {"id": f"cds{i}"}}
        store.upsert(doc, None, parse_envelope_list([source]))
        user = store.default_user()
    assert len(store._locks) <= LOCKS_KEPT
    # A lock someone holds is never dropped: the next user of that key must wait for it.
    assert store._lock("held") is held
    held.release()


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

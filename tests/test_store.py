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

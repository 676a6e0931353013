"""DocumentStore in-process, for what the HTTP tests cannot see: the bookkeeping it keeps."""

from __future__ import annotations

import gc

from plotserver.backends.memory import MemoryBackend
from plotserver.documents import DocumentStore
from plotserver.protocol import parse_envelope_list
from plotserver.pubsub.local import LocalBus


def test_per_document_locks_do_not_outlive_their_use():
    store = DocumentStore(MemoryBackend(), LocalBus())
    user = store.default_user()
    for i in range(50):
        doc = store.create_document(user, f"doc{i}")
        source = {"type": "ColumnDataSource", "id": f"cds{i}", "attributes": {"id": f"cds{i}"}}
        store.upsert(doc, None, parse_envelope_list([source]))
        user = store.default_user()
    gc.collect()
    assert len(store._locks) == 0

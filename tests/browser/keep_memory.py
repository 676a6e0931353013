"""`plotserver --script tests/browser/keep_memory.py`: the memory backend, kept in the pickle
file named by PLOTSERVER_TEST_STATE across restarts, so a browser test can restart the server
under an open page and see the same document come back. A stand-in until a durable backend
(sqlite) exists; only for tests (it rewrites the whole state on every write)."""

from __future__ import annotations

import os
import pickle

from plotserver.backends.memory import MemoryBackend

_STATE = os.environ["PLOTSERVER_TEST_STATE"]
_FIELDS = ("_users", "_docs", "_objects", "_versions")
_original_init = MemoryBackend.__init__


def _init(self) -> None:
    _original_init(self)
    if os.path.exists(_STATE):
        with open(_STATE, "rb") as f:
            for name, value in pickle.load(f).items():
                setattr(self, name, value)


def _keeping(method):
    def write(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        with open(_STATE + ".tmp", "wb") as f:
            pickle.dump({name: getattr(self, name) for name in _FIELDS}, f)
        os.replace(_STATE + ".tmp", _STATE)
        return result
    return write


MemoryBackend.__init__ = _init
for _name in ("create_user", "save_user", "save_doc", "create_document", "save_objects", "delete_objects"):
    setattr(MemoryBackend, _name, _keeping(getattr(MemoryBackend, _name)))

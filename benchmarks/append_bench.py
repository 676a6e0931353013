#!/usr/bin/env python3
"""In-process benchmark of `Backend.append_columns`: appends cost what they add.

For each backend (memory; sqlite in a temporary directory; Redis on a redis-server this
script starts on a free port, with an append-only file as `--start-redis` runs it), a
ColumnDataSource with two 1,000,000-value float columns is stored, then:

  * append: `append_columns` of 1,000 values to both columns, p50 over 50 appends (target
    <= 5 ms), after one first append that is timed apart (it may copy the columns once:
    the lists a caller saved are not the store's to grow);
  * rewrite: what storing the whole object (1,001,000 values a column) costs instead:
    encoding its envelope (which every whole write does, for its push) and `save_objects`,
    p50 over 5;
  * bytes written per append and per rewrite, where they can be read: sqlite's WAL growth
    (checkpointed before), Redis's `total_net_input_bytes` and append-only file growth;
  * sustained (durable backends): appending on until the tail is folded into the envelope,
    the cost of that one append and the mean over all of them.

The backends are called in-process: it is the Backend protocol being measured, not HTTP.

Usage:
    .venv/bin/python benchmarks/append_bench.py [--quick]

The script reports; it does not judge: the exit status is 0 whatever was measured.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from plotserver.backends.memory import MemoryBackend  # noqa: E402
from plotserver.backends.redisdb import RedisBackend, start_redis  # noqa: E402
from plotserver.backends.sqlite import SqliteBackend  # noqa: E402
from plotserver.models import StoredObject  # noqa: E402
from server_bench import cpu_reference, percentile  # noqa: E402

N_POINTS = 1_000_000
K_POINTS = 1_000
APPEND_TARGET_MS = 5.0
DOCID = "bench-doc"
SOURCE_ID = "bench-source"
clock = time.perf_counter


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def size(n_bytes: float) -> str:
    for unit, scale in (("MB", 1e6), ("KB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{n_bytes:.0f} B"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def source(n_points: int) -> StoredObject:
    """A data source as a client stores one: two float columns and a few plain attributes."""
    data = {"x": [i * 0.001 for i in range(n_points)],
            "y": [random.random() for _ in range(n_points)]}
    return StoredObject("ColumnDataSource", SOURCE_ID,
                        {"id": SOURCE_ID, "data": data, "column_names": ["x", "y"],
                         "name": None, "tags": [], "selected": {"1d": {"indices": []}}})


# --- the stores ------------------------------------------------------------------------------

class Store:
    """A backend and how to read the bytes it has written so far (None: cannot be read)."""

    name = ""

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.backend = None

    def written(self) -> dict[str, int]:
        return {}

    def before_measuring(self) -> None:
        """Make what follows measurable as growth."""

    def tail_length(self) -> int | None:
        return None

    def close(self) -> None:
        self.backend.close()


class MemoryStore(Store):
    name = "memory"

    def __init__(self, workdir: str) -> None:
        super().__init__(workdir)
        self.backend = MemoryBackend()


class SqliteStore(Store):
    name = "sqlite"

    def __init__(self, workdir: str) -> None:
        super().__init__(workdir)
        self.path = os.path.join(workdir, "bench.sqlite3")
        self.backend = SqliteBackend(self.path)

    def written(self) -> dict[str, int]:
        wal = self.path + "-wal"
        return {"WAL": os.path.getsize(wal) if os.path.exists(wal) else 0}

    def before_measuring(self) -> None:
        # Into the database file, WAL emptied: the WAL's growth is then what was written.
        with closing(sqlite3.connect(self.path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def tail_length(self) -> int:
        with closing(sqlite3.connect(self.path)) as db:
            return db.execute("SELECT count(*) FROM tails WHERE docid = ? AND objid = ?",
                              (DOCID, SOURCE_ID)).fetchone()[0]


class RedisStore(Store):
    name = "redis"

    def __init__(self, workdir: str) -> None:
        super().__init__(workdir)
        port = free_port()
        # As --start-redis runs it, but without automatic AOF rewrites, which would fork and
        # rewrite mid-measurement.
        self.process = start_redis(port, workdir, ("--auto-aof-rewrite-percentage", "0"))
        url = f"redis://127.0.0.1:{port}/0"
        self.client = redis.Redis.from_url(url)
        self.backend = RedisBackend(url, prefix="bench:")

    def written(self) -> dict[str, int]:
        return {"sent to Redis": self.client.info("stats")["total_net_input_bytes"],
                "AOF": self._settled_persistence()["aof_current_size"]}

    def _settled_persistence(self) -> dict:
        """INFO persistence once the AOF buffer is written out: with fsync every second,
        Redis holds writes back while an earlier fsync (of a 30 MB save) still runs."""
        deadline = clock() + 10
        while True:
            info = self.client.info("persistence")
            if (info["aof_buffer_length"] == 0 and info["aof_pending_bio_fsync"] == 0) \
                    or clock() > deadline:
                return info
            time.sleep(0.05)

    def tail_length(self) -> int:
        return self.client.llen(f"bench:tail:{DOCID}:{SOURCE_ID}")

    def close(self) -> None:
        super().close()
        self.client.close()
        self.process.terminate()
        self.process.wait(10)


# --- the measurements ------------------------------------------------------------------------

def growth(store: Store, before: dict[str, int], count: int = 1) -> str:
    after = store.written()
    if not after:
        return "not measurable (nothing is written)"
    return ", ".join(f"{name} {size((after[name] - before[name]) / count)}" for name in after)


def bench(store: Store, quick: bool) -> tuple[bool, list[str]]:
    backend = store.backend
    lines = []
    n_appends = 10 if quick else 50
    n_rewrites = 2 if quick else 5
    chunks = [{"x": [random.random() for _ in range(K_POINTS)],
               "y": [random.random() for _ in range(K_POINTS)]} for _ in range(n_appends + 1)]

    # As the server writes: the document is read (cached), then the source saved whole.
    backend.load_objects(DOCID)
    started = clock()
    first_object = source(N_POINTS)
    envelope_bytes = len(first_object.envelope_json(DOCID))
    backend.save_objects(DOCID, [first_object])
    lines.append(f"stored the source: 2 x {N_POINTS:,} values, a {size(envelope_bytes)} "
                 f"envelope, in {ms(clock() - started)}")

    started = clock()
    backend.append_columns(DOCID, SOURCE_ID, chunks[0])
    lines.append(f"first append after that save (copies the caller's columns once): "
                 f"{ms(clock() - started)}")

    store.before_measuring()
    before = store.written()
    samples = []
    for chunk in chunks[1:]:
        started = clock()
        backend.append_columns(DOCID, SOURCE_ID, chunk)
        samples.append(clock() - started)
    p50 = percentile(samples, 50)
    met = p50 * 1000 <= APPEND_TARGET_MS
    lines.append(f"append {K_POINTS:,} values to both columns: p50 {ms(p50)} "
                 f"(p90 {ms(percentile(samples, 90))}, max {ms(max(samples))}, n={len(samples)})"
                 f"  target p50 <= {APPEND_TARGET_MS:g} ms  {'PASS' if met else 'MISS'}")
    lines.append(f"  written per append: {growth(store, before, len(samples))}")

    expected = N_POINTS + K_POINTS * (n_appends + 1)
    held = backend.load_objects(DOCID)[SOURCE_ID].attributes["data"]
    assert len(held["x"]) == len(held["y"]) == expected, "the appends did not all arrive"

    # The alternative: the whole object written again, 1,001,000 values a column.
    rewrite_samples = []
    rewrite_bytes = ""
    for _ in range(n_rewrites):
        whole = source(N_POINTS + K_POINTS)
        store.before_measuring()
        before = store.written()
        started = clock()
        whole.envelope_json(DOCID)  # every whole write encodes the object, for its push
        backend.save_objects(DOCID, [whole])
        rewrite_samples.append(clock() - started)
        rewrite_bytes = growth(store, before)
        del whole
    rewrite = percentile(rewrite_samples, 50)
    lines.append(f"full rewrite instead (encode + save_objects, 2 x {N_POINTS + K_POINTS:,} "
                 f"values): p50 {ms(rewrite)} (n={len(rewrite_samples)}) = "
                 f"{rewrite / p50:,.0f}x the append's p50")
    lines.append(f"  written per rewrite: {rewrite_bytes}")

    if store.tail_length() is not None and not quick:
        lines.extend(sustained(store))
    return met, lines


def sustained(store: Store) -> list[str]:
    """Append on until an append folds the tail into the envelope."""
    backend = store.backend
    chunk = {"x": [random.random() for _ in range(K_POINTS)],
             "y": [random.random() for _ in range(K_POINTS)]}
    backend.append_columns(DOCID, SOURCE_ID, chunk)  # after the rewrite: this one copies
    samples = []
    fold_at = None
    while fold_at is None and len(samples) < 5000:
        started = clock()
        backend.append_columns(DOCID, SOURCE_ID, chunk)
        samples.append(clock() - started)
        if store.tail_length() == 0:
            fold_at = len(samples)
    if fold_at is None:
        return [f"sustained: no fold within {len(samples):,} appends"]
    mean = sum(samples) / len(samples)
    return [f"sustained: the tail was folded in at append {fold_at:,} "
            f"(that append: {ms(samples[-1])}); mean over all {len(samples):,} appends, "
            f"the fold included: {ms(mean)}; p50 {ms(percentile(samples, 50))}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke run)")
    args = parser.parse_args()
    print(f"append benchmark ({'quick' if args.quick else 'full'} mode; in-process backends; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start)", flush=True)
    print(cpu_reference(), flush=True)
    met = total = 0
    started = clock()
    for make in (MemoryStore, SqliteStore, RedisStore):
        workdir = tempfile.mkdtemp(prefix="plotserver-append-bench-")
        total += 1
        store = None
        try:
            store = make(workdir)
            ok, lines = bench(store, args.quick)
            met += ok
            print(f"{make.name}:")
            for line in lines:
                print(f"  {line}", flush=True)
        except Exception as exc:
            print(f"{make.name}: ERROR {type(exc).__name__}: {exc}  (counted as missed)",
                  flush=True)
        finally:
            if store is not None:
                store.close()
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"(ran {clock() - started:.0f} s; load average {os.getloadavg()[0]:.2f} at end)")
    print(f"{met} of {total} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Durable storage and scale-out, measured against the targets of the storage issue.

For each durable backend: the 5-point bulkupsert round trip and the upserts/s of 8 writers on
one process. With Redis: a push crossing from one process to another (write through A, read
on a WebSocket of B), and one `--workers 2` server against one process under the same 8
writers. Servers, writers and Redis share this machine's CPUs; the load average is printed.

    .venv/bin/python benchmarks/scaling_bench.py [--quick] [--only name,...]

Always exits 0; the last line reads `N of M targets met`."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plotserver.backends.redisdb import start_redis  # noqa: E402
from server_bench import (ANOMALIES, Http, Result, Server, cds_bodies, clock, cpu_reference,  # noqa: E402
                          concurrent_rate, free_port, latency_result, ms, percentile,
                          push_samples, streaming_demo_doc, subscribed_client, timed_upserts)


class RedisServer:
    """A redis-server on a free port, as `--start-redis` runs it (append-only file, fsync every
    second), in a temporary directory."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="plotserver-bench-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = start_redis(self.port, self.directory)

    def environment(self, **extra: str) -> dict[str, str]:
        """PLOTSERVER_* variables for a server on this Redis, with a key prefix of its own
        unless one is given (servers meant to share documents share a prefix)."""
        env = {"PLOTSERVER_BACKEND": "redis", "PLOTSERVER_REDIS_URL": self.url,
               "PLOTSERVER_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:"}
        env.update({f"PLOTSERVER_{k.upper()}": v for k, v in extra.items()})
        return env

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.directory, ignore_errors=True)


# --- per backend: small upserts and 8 writers --------------------------------------------------

TARGETS = {  # backend -> (5-point upsert p50 ms, upserts/s with 8 writers)
    "sqlite": (1.5, 1500),
    "redis": (1.0, 2000),
}


def bench_backend(backend: str, store: RedisServer, quick: bool) -> list[Result]:
    limit_ms, limit_rate = TARGETS[backend]
    if backend == "redis":
        server = Server(env=store.environment())
    else:
        server = Server(backend=backend)
    try:
        http = Http(server.port)
        doc = streaming_demo_doc(http, f"bench-{backend}")
        bodies = cds_bodies(doc, 5, 64)
        timed_upserts(http, doc, bodies, 300)  # warm-up
        samples = timed_upserts(http, doc, bodies, 500 if quick else 3000)
        http.close()
        rate, _ = concurrent_rate(server.port, [(doc.upsert_path, bodies)] * 8,
                                  1.0 if quick else 5.0)
    finally:
        finish(server, f"{backend} backend")
    return [latency_result(f"{backend}_upsert_5_points", samples, limit_ms, "2.9 ms (redis)"),
            Result(f"{backend}_throughput_8_writers", f"{rate:.0f} upserts/s",
                   f">= {limit_rate}/s", "331/s with 32 writers (redis)", rate >= limit_rate)]


# --- Redis: across processes ---------------------------------------------------------------------

def bench_cross_process(store: RedisServer, quick: bool) -> list[Result]:
    """A write through server A until a WebSocket subscribed on server B has read the push;
    and, for comparison, until one subscribed on A itself has (its push also comes back
    through Redis)."""
    env = store.environment()  # one prefix: A and B serve the same documents
    a, b = Server(env=env), Server(env=env)
    try:
        http = Http(a.port)
        doc = streaming_demo_doc(http, "bench-across")
        bodies = cds_bodies(doc, 5, 64)
        n = 200 if quick else 2000
        remote = subscribed_client(b.port, doc)
        push_samples(http, remote, doc, bodies, 100)  # warm-up
        across = push_samples(http, remote, doc, bodies, n)
        remote.close()
        local = subscribed_client(a.port, doc)
        same = push_samples(http, local, doc, bodies, n)
        local.close()
        http.close()
    finally:
        finish(a, "server A")
        finish(b, "server B")
    return [latency_result("push_across_processes", across, 2.0, "—"),
            Result("push_same_process_via_redis", f"p50 {ms(percentile(same, 50)):.3f} ms "
                   f"(p90 {ms(percentile(same, 90)):.3f})", None, "—")]


def bench_workers(store: RedisServer, quick: bool) -> list[Result]:
    """8 writer processes against one server process, then against `--workers 2` on the same
    Redis: two processes must serve at least 0.95x what one does. Each writer streams into a
    document of its own (the scale-out case: scripts publishing their own plots); then all
    into one document, for information: there every write through one process makes the
    other's cached copy stale. (On two cores the writers and Redis already use the second
    core, so this measures what coordination costs, not how far more cores scale.)"""
    duration = 1.0 if quick else 5.0
    rates: dict[tuple[int, bool], float] = {}
    for workers in (1, 2):
        server = Server(env=store.environment(workers=str(workers)))
        try:
            http = Http(server.port)
            jobs = []
            for k in range(8):
                doc = streaming_demo_doc(http, f"bench-workers-{workers}-{k}")
                jobs.append((doc.upsert_path, cds_bodies(doc, 5, 64)))
            timed_upserts(http, doc, jobs[-1][1], 300)
            http.close()
            rates[workers, False], _ = concurrent_rate(server.port, jobs, duration)
            rates[workers, True], _ = concurrent_rate(server.port, [jobs[0]] * 8, duration)
        finally:
            finish(server, f"--workers {workers}")

    def ratio(shared: bool) -> str:
        two, one = rates[2, shared], rates[1, shared]
        return f"{two / one:.2f}x ({two:.0f} vs {one:.0f} upserts/s, 8 writers)"

    return [Result("workers_2_vs_1", ratio(False) + ", a document each", ">= 0.95x", "—",
                   rates[2, False] / rates[1, False] >= 0.95),
            Result("workers_2_vs_1_one_document", ratio(True), None, "—")]


def finish(server: Server, what: str) -> None:
    server.stop()
    problems = server.problems()
    if problems:
        ANOMALIES.append(f"{what}: {len(problems)} stderr line(s), first: {problems[0][:200]}")
    server.remove_log()


METRICS = {  # name -> (function(store, quick), number of targets)
    "sqlite": (lambda store, quick: bench_backend("sqlite", store, quick), 2),
    "redis": (lambda store, quick: bench_backend("redis", store, quick), 2),
    "cross_process": (bench_cross_process, 1),
    "workers": (bench_workers, 1),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke run)")
    parser.add_argument("--only", default="", help="comma-separated: " + ", ".join(METRICS))
    args = parser.parse_args()
    selected = [n.strip() for n in args.only.split(",") if n.strip()] or list(METRICS)
    unknown = [n for n in selected if n not in METRICS]
    if unknown:
        parser.error(f"unknown metric(s) {', '.join(unknown)}; choose from {', '.join(METRICS)}")
    print(f"plotserver scaling benchmark ({'quick' if args.quick else 'full'}; {os.cpu_count()} "
          f"CPUs shared by writers, servers and Redis; load average {os.getloadavg()[0]:.2f})",
          flush=True)
    print(cpu_reference(), flush=True)
    store = RedisServer()
    met = total = 0
    started = clock()
    try:
        for name in selected:
            function, targets = METRICS[name]
            total += targets
            try:
                results = function(store, args.quick)
            except Exception as exc:
                print(f"{name}: ERROR {type(exc).__name__}: {exc}  (counted as missed)", flush=True)
                results = []
            for result in results:
                print(result.line(), flush=True)
                met += bool(result.met)
    finally:
        store.stop()
    print(f"(ran {clock() - started:.0f} s; load average {os.getloadavg()[0]:.2f} at end)")
    for anomaly in ANOMALIES:
        print(f"anomaly: {anomaly}")
    print(f"{met} of {total} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())

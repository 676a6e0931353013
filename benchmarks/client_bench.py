#!/usr/bin/env python3
"""Client-side benchmark of plotclient against the targets of issue 3.

    .venv/bin/python benchmarks/client_bench.py [--quick]

* serialize_*: what `store_objects(ds)` does before anything touches the network — the
  envelope of a two-column ColumnDataSource (`x`, `y` floats) built by `Document.dump` and
  encoded to JSON bytes by `plotclient.serialization.dumps` — for 100,000 and 1,000,000
  points, with the columns given as Python lists and as numpy arrays. p50 of repeated runs;
  the encoded size and the bytes per point are printed too.
* store_objects_5pt: `cursession().store_objects(ds)` of a 5-point source against a local
  plotserver (started here, memory backend, on a free port), from the call until it returned
  (it returns when the server's reply has been read). p50 over 2,000 calls.
* chart_histogram_1m / chart_scatter_100k: `plotclient.charts` - a Histogram of 1,000,000
  normal values, a Scatter of 100,000 rows coloured by a 5-value column - built and stored
  (`session.store_document`) into a new document of a local plotserver, from the chart call
  until the store returned. p50 over a few runs; the stored chart is checked afterwards.

The script reports; it does not judge: the exit status is 0 whatever was measured.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time

from plotclient.document import Document
from plotclient.models import ColumnDataSource
from plotclient.serialization import dumps
from plotclient.session import Session
from server_bench import Server, cpu_reference, percentile  # this directory is on sys.path for a script

clock = time.perf_counter


def report(name: str, measured: str, target: str, original: str, met: bool | None) -> bool:
    verdict = "INFO" if met is None else "PASS" if met else "MISS"
    print(f"{name}: {measured}  (target {target}; original bokeh 0.10 client: {original})  "
          f"{verdict}", flush=True)
    return bool(met)


def serialize_once(doc: Document, source) -> bytes:
    return dumps(doc.dump(source))


def bench_serialize(points: int, kind: str, runs: int, target_ms: float, original: str) -> bool:
    rng = random.Random(points)
    xs = [rng.random() * 100 for _ in range(points)]
    ys = [rng.random() * 100 for _ in range(points)]
    if kind == "numpy":
        import numpy

        xs, ys = numpy.array(xs), numpy.array(ys)
    source = ColumnDataSource(data={"x": xs, "y": ys})
    doc = Document()
    size = len(serialize_once(doc, source))  # warm-up, and the size
    samples = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            started = clock()
            serialize_once(doc, source)
            samples.append(clock() - started)
    finally:
        gc.enable()
    p50 = percentile(samples, 50) * 1000
    return report(f"serialize_{points // 1000}k_pt_{kind}",
                  f"p50 {p50:.1f} ms (min {min(samples) * 1000:.1f}, n={runs}; "
                  f"{size / 1e6:.1f} MB, {size / points:.1f} bytes a point)",
                  f"<= {target_ms:g} ms", original, p50 <= target_ms)


# --- store_objects against a live plotserver ---------------------------------------------------

def bench_store_objects(calls: int) -> bool:
    server = Server()  # server_bench's: a plotserver on a free port, stopped with SIGTERM
    try:
        session = Session(root_url=f"http://127.0.0.1:{server.port}/", load_from_config=False)
        session.use_doc("client-bench")
        doc = Document()
        session.load_document(doc)
        source = ColumnDataSource(data={"x": [1, 2, 3, 4, 5], "y": [6, 7, 2, 4, 5]})
        doc.add(source)
        session.store_document(doc)  # the PlotContext now reaches the source on the server
        ys = source.data["y"]
        samples = []
        gc.collect()
        gc.disable()
        try:
            for i in range(calls + 100):
                random.shuffle(ys)
                started = clock()
                session.store_objects(source)
                if i >= 100:  # the first hundred are warm-up
                    samples.append(clock() - started)
        finally:
            gc.enable()
        stored = session.pull()
        session.close()
    finally:
        server.stop()
        server.remove_log()
    cds = [e for e in stored if e["type"] == "ColumnDataSource"]
    if not cds or cds[0]["attributes"]["data"]["y"] != ys:
        print("store_objects_5pt: ERROR the server does not hold the last values sent")
        return False
    p50 = percentile(samples, 50) * 1000
    return report("store_objects_5pt",
                  f"p50 {p50:.3f} ms (p90 {percentile(samples, 90) * 1000:.3f}, "
                  f"p99 {percentile(samples, 99) * 1000:.3f}, n={len(samples)})",
                  "p50 <= 1.5 ms", "about 6 ms (with the original server)", p50 <= 1.5)


# --- plotclient.charts: build + store ----------------------------------------------------------

def bench_charts(runs: int) -> list:
    import numpy
    import pandas

    from plotclient.charts import Histogram, Scatter

    rng = numpy.random.default_rng(3)
    values = rng.normal(size=1_000_000)
    table = pandas.DataFrame({"x": rng.normal(size=100_000), "y": rng.normal(size=100_000),
                              "kind": rng.integers(0, 5, size=100_000)})
    cases = [("chart_histogram_1m", lambda: Histogram(values)),
             ("chart_scatter_100k", lambda: Scatter(table, x="x", y="y", color="kind"))]
    server = Server()
    results = []
    try:
        session = Session(root_url=f"http://127.0.0.1:{server.port}/", load_from_config=False)
        for name, make in cases:
            samples = []
            for i in range(runs + 1):  # the first run is warm-up
                session.use_doc(f"{name}-{i}")
                doc = Document()
                session.load_document(doc)
                started = clock()
                chart = make()
                doc.add(chart)
                session.store_document(doc)
                if i:
                    samples.append(clock() - started)
            stored = {e["id"]: e for e in session.pull()}
            held = stored.get(chart.id, {})
            if (held.get("type"), held.get("subtype")) != ("Plot", "Chart"):
                print(f"{name}: ERROR the server does not hold the chart")
                results.append(False)
                continue
            glyphs = sum(type(r).__name__ == "GlyphRenderer" for r in chart.renderers)
            p50 = percentile(samples, 50) * 1000
            results.append(report(name, f"p50 {p50:.0f} ms (min {min(samples) * 1000:.0f}, "
                                  f"n={runs}; {glyphs} glyph renderers)",
                                  "<= 1000 ms", "not measured", p50 <= 1000))
        session.close()
    finally:
        server.stop()
        server.remove_log()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke run)")
    quick = parser.parse_args().quick
    print(f"plotclient benchmark ({'quick' if quick else 'full'} mode; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f} at start)", flush=True)
    print(cpu_reference(), flush=True)
    results = []
    for kind in ("list", "numpy"):
        results.append(bench_serialize(100_000, kind, 10 if quick else 50, 15, "61 ms"))
        results.append(bench_serialize(1_000_000, kind, 3 if quick else 10, 150, "598 ms"))
    results.append(bench_store_objects(300 if quick else 2000))
    results += bench_charts(3 if quick else 7)
    print(f"(load average {os.getloadavg()[0]:.2f} at end)")
    print(f"{sum(results)} of {len(results)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""plotserver under cProfile, for `server_bench.py --profile`.

    python benchmarks/profile_server.py --port N

Settings come from PLOTSERVER_* variables as for `plotserver` (the memory backend unless
PLOTSERVER_BACKEND says otherwise). Serves until SIGTERM, then prints the functions that took the most time (sorted by
PROFILE_SORT, default tottime; PROFILE_LINES of them, default 40) to stdout."""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import cProfile  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import signal  # noqa: E402

import gevent  # noqa: E402

from plotserver import server  # noqa: E402
from plotserver.settings import from_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    settings = from_environment()
    settings.port = parser.parse_args().port
    settings.validate()
    profile = cProfile.Profile()

    def report_and_exit(*_):
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats(os.environ.get("PROFILE_SORT", "tottime"))
        stats.print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        os._exit(0)

    server.configure_logging(settings)
    gevent.signal_handler(signal.SIGTERM, report_and_exit)
    profile.enable()
    server.serve(settings)


if __name__ == "__main__":
    main()

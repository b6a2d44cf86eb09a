"""Prints how many requests per second the emulator serves on loopback over one kept-alive requests.Session.

    python3 emulator/loadcheck.py [N]        # N GETs (default 2000); a figure, not an assertion
"""

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pa_emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position


def measure(session, url, count, params):
    started = time.perf_counter()
    for index in range(count):
        session.get(url, params=params(index), timeout=10).raise_for_status()
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000, help="GETs per endpoint (default 2000)")
    args = parser.parse_args(argv)
    emulator = Emulator({"pa_load": "Load"}, worker_paused=True).start()
    try:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer pa_load"
        base = emulator.url + "/api"
        cases = [
            ("GET /api/applications/{id}", base + "/applications/7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3", lambda i: None),
            ("GET /api/application-imports?page=1..3", base + "/application-imports", lambda i: {"page": 1 + i % 3}),
        ]
        session.get(base + "/applications", timeout=10).raise_for_status()  # open the connection
        for name, url, params in cases:
            elapsed = measure(session, url, args.count, params)
            print("{0:<40} {1} requests in {2:.2f}s: {3:.0f} requests/s, {4:.2f} ms each".format(
                name, args.count, elapsed, args.count / elapsed, elapsed / args.count * 1000))
        print("TCP connections used: {0}".format(emulator.stats()["connections_accepted"]))
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()

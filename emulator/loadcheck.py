"""Prints how many requests per second the emulator serves on loopback over one kept-alive connection."""

import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pa_emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position


def main(count=2000):
    emulator = Emulator(tokens={"pa_load": "Load"}).start()
    try:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer pa_load"
        url = emulator.url + "/api/application-imports"
        started = time.perf_counter()
        for index in range(count):
            session.get(url, params={"page": 1 + index % 3}).raise_for_status()
        elapsed = time.perf_counter() - started
    finally:
        emulator.stop()
    print("{0} GET /api/application-imports in {1:.2f}s: {2:.0f} requests/s, {3:.2f} ms each".format(
        count, elapsed, count / elapsed, elapsed / count * 1000))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

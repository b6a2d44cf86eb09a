"""Benchmark: a bad night on the server (issue 21). 200 applications staged by one pa_import_stage task (in-process,
its main() as the tests run it) while 24 seeded faults hit the stage requests: lost answers, dropped connections,
503 without Retry-After, 429. Prints the figures for a closing note (faults by kind, failed on the first run, staged
twice, requests); asserts nothing (tests/unit/plugins/modules/test_module_fault_night.py asserts them).

    python benchmarks/fault_night.py [--seed 1] [--applications 200] [--faults 24]
"""

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

try:  # the collection from this work tree, as tests/unit/conftest.py makes it importable
    import ansible_collections.sycorr.permission_assist  # noqa: F401  pylint: disable=unused-import
except ImportError:
    ROOT = Path(tempfile.mkdtemp(prefix="pa-collections-"))
    (ROOT / "ansible_collections" / "sycorr").mkdir(parents=True)
    (ROOT / "ansible_collections" / "sycorr" / "permission_assist").symlink_to(REPO)
    sys.path.insert(0, str(ROOT))

from pa_fault_night import fault_night, report  # noqa: E402  pylint: disable=wrong-import-position
from pa_testlib import start_emulator  # noqa: E402  pylint: disable=wrong-import-position


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--faults", type=int, default=24)
    args = parser.parse_args()
    emulator = start_emulator(extra_applications=args.applications, worker_paused=True)
    try:
        figures = fault_night(emulator, args.seed, args.applications, args.faults)
    finally:
        emulator.stop()
    print("\n".join(report(figures)))


if __name__ == "__main__":
    main()

"""Make `ansible_collections.sycorr.permission_assist` importable from the work tree, and the emulator too."""

import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"

try:
    import ansible_collections.sycorr.permission_assist  # noqa: F401  pylint: disable=unused-import
except ImportError:
    root = Path(tempfile.mkdtemp(prefix="pa-collections-"))
    (root / "ansible_collections" / "sycorr").mkdir(parents=True)
    (root / "ansible_collections" / "sycorr" / "permission_assist").symlink_to(REPO)
    sys.path.insert(0, str(root))
sys.path.insert(0, str(TESTS))

from pa_testlib import start_emulator  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def emulator_server():
    emulator = start_emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_server):
    emulator_server.reset()
    emulator_server.set_worker(paused=True, build_seconds=0.2)
    return emulator_server

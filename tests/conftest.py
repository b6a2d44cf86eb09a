"""Fixtures shared by every suite: one emulator per session, reset before each test with its build job paused."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pa_testlib import start_emulator  # noqa: E402  pylint: disable=wrong-import-position
from pa_emulator.worker import CANCEL_SECONDS  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def emulator_server():
    emulator = start_emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_server):
    emulator_server.reset()
    emulator_server.set_worker(paused=True, build_seconds=0.3, cancel_seconds=CANCEL_SECONDS, cancel_race="canceled")
    return emulator_server

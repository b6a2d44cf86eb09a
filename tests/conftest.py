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


def seed_state(emulator, build_seconds=0.3):
    """The emulator as every test starts: seed data, build job paused, runtime knobs at their defaults."""
    emulator.reset()
    emulator.set_worker(paused=True, build_seconds=build_seconds, cancel_seconds=CANCEL_SECONDS, cancel_race="canceled")
    return emulator


@pytest.fixture
def emulator(emulator_server):
    return seed_state(emulator_server)


@pytest.fixture(scope="session")
def emulator_servers():
    """Emulators with start-up-only knobs (pending_sort, stage_omits_application, ...): one per set, kept all session."""
    servers = {}

    def server(**knobs):
        key = repr(sorted(knobs.items()))
        if key not in servers:
            servers[key] = start_emulator(**knobs)
        return servers[key]

    yield server
    for started in servers.values():
        started.stop()


@pytest.fixture
def emulator_with(emulator_servers):
    """``emulator_with(build_seconds=0.3, **knobs)``: an emulator started with those knobs, in its seed state."""
    return lambda build_seconds=0.3, **knobs: seed_state(emulator_servers(**knobs), build_seconds)

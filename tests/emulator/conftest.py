"""Fixtures for the emulator's own tests: the server in-process on 127.0.0.1, port 0, talked to over real HTTP."""

import pytest

from emu_helpers import BUILD_SECONDS, Api, start
from pa_emulator.worker import CANCEL_SECONDS


@pytest.fixture(scope="session")
def shared_emulator():
    emulator = start(worker_paused=True)
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(shared_emulator):
    """The shared emulator in its seed state, build job paused (tests resume it when they need it)."""
    shared_emulator.reset()
    shared_emulator.set_worker(paused=True, build_seconds=BUILD_SECONDS, cancel_seconds=CANCEL_SECONDS,
                               cancel_race="canceled")
    yield shared_emulator
    shared_emulator.set_worker(paused=True)
    shared_emulator.reset()


@pytest.fixture
def api(emulator):
    return Api(emulator)


@pytest.fixture
def make_emulator():
    """Start extra emulators with their own settings (prefix, TLS, log file...); all stopped at teardown."""
    started = []

    def factory(**kwargs):
        emulator = start(**kwargs)
        started.append(emulator)
        return emulator

    yield factory
    for emulator in started:
        emulator.stop()

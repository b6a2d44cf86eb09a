import sys
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pa_testlib import TOKEN, start_emulator  # noqa: E402  pylint: disable=wrong-import-position


class Api:
    """A bare HTTP client for contract tests: no retries, no interpretation."""

    def __init__(self, emulator, token=TOKEN):
        self.base = emulator.url + "/api"
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + token

    def get(self, path, **params):
        return self.session.get(self.base + path, params=params, timeout=10)

    def post(self, path, body):
        return self.session.post(self.base + path, json=body, timeout=10)


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


@pytest.fixture
def api(emulator):
    return Api(emulator)

import pytest
import requests

from pa_testlib import TOKEN


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


@pytest.fixture
def api(emulator):
    return Api(emulator)

"""Helpers for the emulator's tests: a bare HTTP client, starting an emulator, the seeded GUIDs, error checks."""

import re
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "emulator"))

from pa_emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = "pa_emutest_5f0c2a9d4e7b"
TOKEN_NAME = "Automation Service"
BUILD_SECONDS = 0.2


class Api:
    """A bare HTTP client: no retries, no interpretation. Paths are relative to ``{url}/api``."""

    def __init__(self, emulator, token=TOKEN):
        self.base = emulator.url + "/api"
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = "Bearer " + token

    def get(self, path, **params):
        return self.session.get(self.base + path, params=params, timeout=10)

    def post(self, path, body):
        return self.session.post(self.base + path, json=body, timeout=10)

    def stage(self, app_id):
        response = self.post("/application-imports/stage", {"applicationId": app_id})
        assert response.status_code == 201, response.text
        return response.json()

    def cancel(self, import_id):
        return self.post("/application-imports/cancel", {"applicationImportId": import_id})

    def record(self, import_id):
        response = self.get("/application-imports/" + import_id)
        assert response.status_code == 200, response.text
        return response.json()

    def wait_for(self, import_id, statuses, timeout=10.0):
        """Poll until the import's status is in ``statuses``; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            record = self.record(import_id)
            if record["status"] in statuses:
                return record
            if time.monotonic() > deadline:
                raise AssertionError("{0} stayed {1}, never reached {2}".format(import_id, record["status"], statuses))
            time.sleep(0.01)


def start(**kwargs):
    kwargs.setdefault("tokens", {TOKEN: TOKEN_NAME})
    kwargs.setdefault("build_seconds", BUILD_SECONDS)
    kwargs.setdefault("host", "127.0.0.1")
    kwargs.setdefault("port", 0)
    return Emulator(**kwargs).start()


# Seeded applications (fixed GUIDs, see emulator/README.md).
CORE_BANKING = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"
HR_PORTAL = "1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64"
PAYMENTS = "9e4a7b13-2c6d-4f85-a9b0-3d1e5f7c2a98"
TREASURY = "4d2c8e61-7f3a-4b59-9e12-6a0b4c8d1f37"
LEGACY_MAINFRAME = "b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19"
CARD_ISSUING = "c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45"
DATA_WAREHOUSE = "e6b9c3a7-4f18-4d2e-9c65-1a8f0b7d3e52"
TRADING = "2f7d4b8c-9a31-4e6f-b5c2-8d0e1a4f7c96"
RISK_ENGINE = "5a0e8f3d-6b2c-4197-8d4a-9f3c7e1b2d08"
REPORTING = ("8c1f6e2a-3d94-4a7b-9f05-b2e8c4d6a173", "f4d7a9c2-8e13-4b6f-a2d5-c9b1e3f7a604")
SHARED_ARCHIVED = "a7e2c5f8-0b39-4d61-8e7a-4c1f9b2d6e35"
SHARED_ACTIVE = "d9b4e1c6-7a52-4f38-b1e9-5e3d8a2c7f40"

APP_FIELDS = {"id", "kind", "name", "priority", "isArchived", "lastUpdated"}
LIST_FIELDS = {"id", "kind", "number", "type", "status", "buildStart", "buildEnd", "application"}
FULL_FIELDS = LIST_FIELDS | {"createdBy", "log", "files", "metrics"}
HEX32 = re.compile(r"\A[0-9a-f]{32}\Z")
STAMP_Z = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")


def assert_error(response, status, code, field=None):
    """The documented error body: error, message, correlationId (32 lowercase hex); errors[] only for validation."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    assert HEX32.match(body["correlationId"]), body
    if field is None:
        assert set(body) == {"error", "message", "correlationId"}, body
    else:
        assert set(body) == {"error", "message", "correlationId", "errors"}, body
        assert [item["field"] for item in body["errors"]] == [field]
        assert all(set(item) == {"field", "message"} and item["message"] for item in body["errors"])
    return body

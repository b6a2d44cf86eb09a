"""Fault injection: every action and body, rule matching and consumption, the control API for rules."""

import time

import pytest
import requests

from emu_helpers import CORE_BANKING, HR_PORTAL, Api, assert_error

STAGE = "^/api/application-imports/stage$"
LIST = "^/api/application-imports$"


def fresh(emulator):
    """A client on a new connection (a dropped connection must not be reused by the next request)."""
    return Api(emulator)


@pytest.mark.parametrize("status,code", [(500, "server_error"), (502, "server_error"), (503, "server_error"),
                                         (504, "server_error"), (429, "too_many_requests"), (401, "unauthorized")])
def test_status_with_json_body(api, emulator, status, code):
    emulator.add_fault(method="GET", path=LIST, action="status", status=status, body="json")
    response = api.get("/application-imports")
    assert_error(response, status, code)
    assert "Retry-After" not in response.headers
    assert api.get("/application-imports").status_code == 200  # used up (times defaults to 1)


def test_status_with_retry_after(api, emulator):
    emulator.add_fault(method="POST", path=STAGE, action="status", status=429, retry_after=3, body="json")
    response = api.post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert emulator.stats()["imports_created"] == 0  # refused: no work done


def test_status_with_html_body(api, emulator):
    emulator.add_fault(method="*", path=LIST, action="status", status=502, body="html")
    response = api.get("/application-imports")
    assert response.status_code == 502
    assert response.headers["Content-Type"] == "text/html"
    assert response.text.lstrip().startswith("<html>") and "502 Bad Gateway" in response.text
    with pytest.raises(ValueError):
        response.json()


def test_status_with_empty_body(api, emulator):
    emulator.add_fault(method="GET", path=LIST, action="status", status=503, body="empty")
    response = api.get("/application-imports")
    assert response.status_code == 503 and response.content == b"" and response.headers["Content-Length"] == "0"


def test_status_with_text_body(api, emulator):
    emulator.add_fault(method="GET", path=LIST, action="status", status=500, body="notjson")
    response = api.get("/application-imports")
    assert response.status_code == 500 and response.headers["Content-Type"] == "text/plain"
    with pytest.raises(ValueError):
        response.json()


def test_status_with_truncated_body(api, emulator):
    emulator.add_fault(method="GET", path=LIST, action="status", status=500, body="truncated")
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)):
        fresh(emulator).get("/application-imports")
    assert api.get("/application-imports").status_code == 200


def test_delay_then_normal_processing(api, emulator):
    emulator.add_fault(method="POST", path=STAGE, action="delay", seconds=0.4)
    started = time.monotonic()
    response = api.post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert time.monotonic() - started >= 0.4
    assert response.status_code == 201
    assert emulator.stats()["imports_created"] == 1


def test_delay_beyond_the_client_timeout_still_does_the_work(emulator):
    emulator.add_fault(method="POST", path=STAGE, action="delay", seconds=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        fresh(emulator).session.post(emulator.url + "/api/application-imports/stage",
                                     json={"applicationId": CORE_BANKING}, timeout=0.2)
    deadline = time.monotonic() + 5
    while emulator.stats()["imports_created"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert emulator.stats()["imports_created"] == 1


def test_a_delayed_request_that_outlives_a_reset_is_dropped_uncounted(emulator):
    """A test that ends while the server still sleeps in a delay must not leave a request counted in the next one."""
    emulator.add_fault(method="POST", path=STAGE, action="delay", seconds=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        fresh(emulator).session.post(emulator.url + "/api/application-imports/stage",
                                     json={"applicationId": CORE_BANKING}, timeout=0.2)
    emulator.reset()
    time.sleep(0.6)  # the delay is over: the request would have been counted and acted on by now
    stats = emulator.stats()
    assert (stats["total"], stats["imports_created"]) == (0, 0), stats


def test_drop_before_does_no_work(api, emulator):
    emulator.add_fault(method="POST", path=STAGE, action="drop_before")
    with pytest.raises(requests.exceptions.ConnectionError):
        fresh(emulator).post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert emulator.stats()["imports_created"] == 0
    assert api.get("/application-imports", applicationId=CORE_BANKING).json()["totalCount"] == 130


def test_drop_after_commits_the_work(api, emulator):
    emulator.add_fault(method="POST", path=STAGE, action="drop_after")
    with pytest.raises(requests.exceptions.ConnectionError):
        fresh(emulator).post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert emulator.stats()["imports_created"] == 1
    rows = api.get("/application-imports", applicationId=CORE_BANKING, page=3).json()["items"]
    assert rows[-1]["status"] == "Pending"


def test_malformed_ok_commits_the_work_and_answers_2xx_garbage(api, emulator):
    emulator.add_fault(method="POST", path=STAGE, action="malformed_ok")
    response = api.post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert response.status_code == 201
    with pytest.raises(ValueError):
        response.json()
    assert emulator.stats()["imports_created"] == 1
    assert api.get("/applications").status_code == 200  # Content-Length was right: the connection is reusable


def test_drop_then_act_closes_first_and_commits_later(api, emulator):
    emulator.add_fault(method="POST", path=STAGE, action="drop_then_act", seconds=0.5)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ConnectionError):
        fresh(emulator).post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert time.monotonic() - started < 0.5  # the client lost the connection before the server acted
    assert emulator.stats()["imports_created"] == 0
    deadline = time.monotonic() + 5
    while emulator.stats()["imports_created"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert emulator.stats()["imports_created"] == 1
    rows = api.get("/application-imports", applicationId=CORE_BANKING, page=3).json()["items"]
    assert rows[-1]["status"] == "Pending"


def test_drop_then_act_on_an_upload_reads_the_whole_body(emulator):
    users = "e1c8a5d3-7f29-4b60-8e14-2d9b6f3a0c57"  # HR Portal's required file group
    emulator.add_fault(method="POST", path="^/api/application-imports/upload$", action="drop_then_act", seconds=0.2)
    with pytest.raises(requests.exceptions.ConnectionError):
        fresh(emulator).session.post(emulator.url + "/api/application-imports/upload", timeout=10,
                                     data={"applicationId": HR_PORTAL}, files={users: ("hr.csv", b"x" * 300000)})
    deadline = time.monotonic() + 5
    while emulator.stats()["imports_created"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    stats = emulator.stats()
    assert (stats["imports_created"], stats["uploads"]) == (1, 1)


def test_skip_faults_the_nth_matching_request(api, emulator):
    emulator.add_fault(method="POST", path=STAGE, action="status", status=503, skip=2)
    emulator.add_fault(method="POST", path=STAGE, action="status", status=429, skip=3)
    statuses = [api.post("/application-imports/stage", {"applicationId": CORE_BANKING}).status_code
                for dummy in range(6)]
    # The second rule counts every request the first one let pass: its 4th is the 5th request overall.
    assert statuses == [201, 201, 503, 201, 429, 201]
    assert emulator.stats()["imports_created"] == 4 and emulator.stats()["faults_pending"] == 0
    assert api.get("/application-imports").status_code == 200  # a skipping rule for another path never took it


def test_a_bad_skip_is_refused(emulator):
    with pytest.raises(ValueError, match="skip must not be negative"):
        emulator.add_fault(action="drop_before", skip=-1)


def test_times_method_and_order(api, emulator):
    emulator.add_fault(method="GET", path=LIST, action="status", status=503, times=2)
    emulator.add_fault(method="GET", path=LIST, action="status", status=500)
    emulator.add_fault(method="POST", path=".*", action="status", status=502)
    assert [api.get("/application-imports").status_code for dummy in range(4)] == [503, 503, 500, 200]
    assert api.get("/applications").status_code == 200  # path did not match
    assert api.post("/application-imports/cancel", {}).status_code == 502
    assert api.post("/application-imports/cancel", {}).status_code == 400
    assert emulator.stats()["faults_pending"] == 0


def test_path_is_matched_after_the_prefix(make_emulator):
    emulator = make_emulator(prefix="/pa", worker_paused=True)
    emulator.add_fault(method="GET", path="^/api/applications$", action="status", status=503)
    assert Api(emulator).get("/applications").status_code == 503


def test_faults_apply_before_auth(emulator):
    emulator.add_fault(method="GET", path=LIST, action="status", status=503)
    assert Api(emulator, token=None).get("/application-imports").status_code == 503
    assert Api(emulator, token=None).get("/application-imports").status_code == 401


def test_faults_never_touch_control_endpoints(emulator):
    emulator.add_fault(method="*", path=".*", action="status", status=500, times=5)
    assert requests.get(emulator.url + "/_emulator/health", timeout=5).status_code == 200
    assert emulator.stats()["faults_pending"] == 1


def test_reset_clears_faults(api, emulator):
    emulator.add_fault(method="GET", path=LIST, action="status", status=500)
    emulator.reset()
    assert api.get("/application-imports").status_code == 200


def test_faults_through_the_control_api(api, emulator):
    control = emulator.url + "/_emulator/faults"
    response = requests.post(control, json={"method": "GET", "path": LIST, "action": "status", "status": 504,
                                            "times": 3, "retry_after": "1"}, timeout=5)
    assert response.status_code == 200
    assert response.json()["faults"][0]["times"] == 3
    assert requests.get(control, timeout=5).json()["faults"][0]["status"] == 504
    assert api.get("/application-imports").status_code == 504
    assert requests.get(control, timeout=5).json()["faults"][0]["times"] == 2
    assert requests.delete(control, timeout=5).json() == {"faults": []}
    assert api.get("/application-imports").status_code == 200


@pytest.mark.parametrize("rule", [
    {"action": "explode"},
    {"action": "status", "body": "xml"},
    {"action": "status", "path": "("},
    {"action": "status", "times": 0},
    {"action": "status", "status": 42},
    {"action": "delay", "seconds": -1},
    {"action": "status", "colour": "red"},
    {},
], ids=["action", "body", "regex", "times", "status", "seconds", "unknown-key", "empty"])
def test_invalid_rules_are_refused(emulator, rule):
    response = requests.post(emulator.url + "/_emulator/faults", json=rule, timeout=5)
    assert response.status_code == 400 and response.json()["message"]
    assert emulator.stats()["faults_pending"] == 0
    with pytest.raises((TypeError, ValueError)):
        emulator.add_fault(**rule)

"""Fault matrix: what pa_import_stage reports under each injected fault, and imports created == imports intended.

| fault on the stage POST            | task reports                                         | imports created |
|------------------------------------|------------------------------------------------------|-----------------|
| connection dropped before commit   | failed, outcome unknown, nothing staged (re-run stages once) | 0           |
| connection dropped after commit    | ok, changed, warning "answer was lost", adopted      | 1               |
| 500 with the API's JSON body       | failed, HTTP 500 server_error                        | 0               |
| 502 HTML page from a proxy         | failed, outcome unknown (nothing new found)          | 0               |
| 503 with Retry-After               | ok (retried)                                         | 1               |
| 503 without Retry-After, no body   | failed, outcome unknown                              | 0               |
| 429                                | ok (retried)                                         | 1               |
| slower than request_timeout        | adopted if committed before the re-read, else outcome unknown | <= 1     |
| server gone mid-wait (reads cut)   | failed, "connection dropped", well before wait_timeout | 1             |
| 500 with a truncated body          | failed, outcome unknown (nothing new found)          | 0               |
| 2xx whose body is not JSON         | ok, adopted                                          | 1               |
"""

import pytest

from pa_testlib import run_module

STAGE = "^/api/application-imports/stage$"

ROWS = [
    ("drop_before", dict(action="drop_before"), "outcome unknown", 0),
    ("drop_after", dict(action="drop_after"), "adopted", 1),
    ("500_json", dict(action="status", status=500, body="json"), "HTTP 500", 0),
    ("502_html", dict(action="status", status=502, body="html"), "outcome unknown", 0),
    ("503_retry_after", dict(action="status", status=503, retry_after="0", body="json"), "ok", 1),
    ("503_empty", dict(action="status", status=503, body="empty"), "outcome unknown", 0),
    ("429", dict(action="status", status=429, body="json"), "ok", 1),
    ("truncated_after_commit", dict(action="status", status=500, body="truncated"), "outcome unknown", 0),
    ("malformed_2xx", dict(action="malformed_ok"), "adopted", 1),
]


@pytest.mark.parametrize("name,fault,expected,created", ROWS, ids=[row[0] for row in ROWS])
def test_stage_fault(emulator, name, fault, expected, created):
    emulator.add_fault(method="POST", path=STAGE, **fault)
    run = run_module(emulator, "pa_import_stage", {"application_name": "HR Portal"})
    assert "Traceback" not in run.output
    assert emulator.stats()["imports_created"] == created
    if expected == "ok":
        assert run.rc == 0 and run["changed"] is True
    elif expected == "adopted":
        assert run.rc == 0 and run["changed"] is True and "answer was lost" in run.output
    else:
        assert run["failed"] is True and expected in run["msg"], run["msg"]
    # Whatever happened, a re-run converges on exactly one import.
    again = run_module(emulator, "pa_import_stage", {"application_name": "HR Portal"})
    assert again.rc == 0
    assert emulator.stats()["imports_created"] == 1


def test_slow_answer_beyond_request_timeout_never_stages_twice(emulator):
    emulator.add_fault(method="POST", path=STAGE, action="delay", seconds=1.0)
    run = run_module(emulator, "pa_import_stage", {"application_name": "HR Portal", "request_timeout": 0.3})
    assert "Traceback" not in run.output
    assert run.rc == 0 or "outcome unknown" in run["msg"]
    again = run_module(emulator, "pa_import_stage", {"application_name": "HR Portal"})
    assert again.rc == 0 and emulator.stats()["imports_created"] == 1


def test_server_gone_mid_wait_fails_clearly(emulator):
    import threading
    import time
    emulator.set_worker(paused=False, build_seconds=30)
    # Two seconds into the wait every read is cut off, as when the server or its proxy goes away.
    cut_reads = dict(method="GET", path=".", action="drop_before", times=1000)
    going_away = threading.Timer(2.0, emulator.add_fault, kwargs=cut_reads)
    going_away.start()
    started = time.monotonic()
    run = run_module(emulator, "pa_import_stage", {"application_name": "HR Portal", "wait": True, "wait_timeout": 60,
                                                   "poll_interval": 0.3, "request_retries": 1})
    going_away.join()
    assert run["failed"] is True and "connection dropped" in run["msg"], run["msg"]
    assert "Traceback" not in run.output
    assert time.monotonic() - started < 30
    assert emulator.stats()["imports_created"] == 1

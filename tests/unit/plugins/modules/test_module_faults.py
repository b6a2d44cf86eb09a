"""Fault matrix: pa_import_stage's main() in-process (tests/pa_modulelib.py) against the emulator's fault injection.

For every row the test checks what the task reports (failed or not, the message, no traceback), the invariant
*imports created == imports intended* (one when the task says it staged or adopted one, none when it says the
server refused, never two for one run), and, for the stage rows, that a re-run of the same task converges on
exactly one import. Faults are on ``POST /api/application-imports/stage`` unless the row says otherwise; the build
job is paused except in the wait rows.

| row (fault on the stage POST unless    | task reports                                          | imports | re-run    |
| noted)                                 |                                                       |         |           |
|----------------------------------------|-------------------------------------------------------|---------|-----------|
| connection dropped before commit       | failed, outcome_unknown, candidate_import_ids []; not | 0       | stages 1  |
|                                        | re-sent                                               |         |           |
| connection dropped after commit        | ok, changed; warning "answer was lost ... adopted     | 1       | reuses it |
|                                        | import ID"                                            |         |           |
| 500 with the API's JSON body           | failed "HTTP 500 server_error: ..." + correlationId   | 0       | stages 1  |
| 502 (gateway, JSON body)               | failed, outcome_unknown "HTTP 502 ..."; not re-sent   | 0       | stages 1  |
| 503 with Retry-After                   | ok, changed; re-sent once (the server refused it)     | 1       | reuses it |
| 503 without Retry-After (JSON body)    | failed "HTTP 503 server_error"; not re-sent           | 0       | stages 1  |
| 503 without Retry-After, empty body    | failed, outcome_unknown "HTTP 503: non-JSON error     | 0       | stages 1  |
|                                        | body (text/plain)"                                    |         |           |
| 429                                    | ok, changed; re-sent once after backoff               | 1       | reuses it |
| 500 with a truncated body              | failed, outcome_unknown "broken answer: Connection    | 0       | stages 1  |
|                                        | broken: IncompleteRead(18 bytes read, 382 more        |         |           |
|                                        | expected)"                                            |         |           |
| 500 with a plain-text body             | failed, outcome_unknown "non-JSON error body          | 0       | stages 1  |
|                                        | (text/plain: upstream said: oops)"                    |         |           |
| 2xx with a broken JSON body            | ok, changed; adopted from the list, warning           | 1       | reuses it |
| HTML error page from a proxy (502)     | failed, outcome_unknown "(text/html: 502 Bad          | 0       | stages 1  |
|                                        | Gateway)", no markup in msg                           |         |           |
| answer later than request_timeout 0.5  | failed, outcome_unknown "no answer within 0.5s ...    | 1       | reuses it |
| s (2 s)                                | may still stage it"; the server commits after the     |         |           |
|                                        | task ended                                            |         |           |
| Risk Engine Running past wait_timeout  | failed, timed_out "timed out after 2s ..., last seen  | 1       | n/a (1)   |
| 2 s                                    | Running"                                              |         |           |
| same with cancel_on_timeout            | failed, timed_out, "...; cancel_on_timeout: cancel re-| 1       | n/a (1)   |
|                                        | quested for import #N", record Canceling or Canceled, |         |           |
|                                        | then Canceled                                         |         |           |
| every read cut (drop_before) mid-wait  | failed "... connection dropped ...", not timed_out    | 1       | n/a (1)   |
|                                        | (wait_timeout was 60 s)                               |         |           |
| server stopped mid-wait (second        | failed "GET /application-imports/ID failed: cannot    | 1       | n/a (2)   |
| emulator)                              | connect to 127.0.0.1:PORT: Connection refused; the    |         |           |
|                                        | wait for import #N (ID) of Risk Engine stopped after  |         |           |
|                                        | 1s, last seen Running", not timed_out (wait_timeout   |         |           |
|                                        | was 60 s)                                             |         |           |

(1) The import left Pending, so it is not reusable by design: a re-run stages the next one. (2) The server is gone.

After a read timeout the server may still commit the request: the task watches the list for one more
request_timeout, then says the server may still stage it (``test_answer_slower_than_request_timeout``).
"""

import threading
import time

import pytest

from pa_testlib import application_id, start_emulator, status_of, wait_until

STAGE = "^/api/application-imports/stage$"
STAGE_ROUTE = "POST /api/application-imports/stage"
READ_ROUTE = "GET /api/application-imports/{id}"
HR_PORTAL = {"application_name": "HR Portal"}


def stage_posts(emulator):
    return emulator.stats()["requests"].get(STAGE_ROUTE, 0)


def assert_clean(run):
    assert "Traceback" not in run.output, run.output
    assert "exception" not in run.result
    assert "\n" not in run["msg"].strip(), run["msg"]


def when_the_wait_polls(emulator, action, polls=2):
    """Run ``action`` in a thread once the module has staged and read its import ``polls`` times (a wait is on)."""
    done = threading.Event()

    def watch():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            stats = emulator.stats()
            if stats["imports_created"] and stats["requests"].get(READ_ROUTE, 0) >= polls:
                action()
                done.set()
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    return watcher, done


# (id, fault on the stage POST, expected outcome, text in msg, stage POSTs the API counted, imports created).
# The emulator counts a request once it gets past drop_before, so that row counts 0: a re-send would have been
# counted, and would have created an import.
ROWS = [
    ("drop_before_commit", dict(action="drop_before"), "unknown", "connection dropped before an answer", 0, 0),
    ("drop_after_commit", dict(action="drop_after"), "adopted", "answer lost", 1, 1),
    ("500_json", dict(action="status", status=500, body="json"), "failed", "HTTP 500 server_error: Injected fault", 1, 0),
    ("502", dict(action="status", status=502, body="json"), "unknown", "HTTP 502", 1, 0),
    ("503_retry_after", dict(action="status", status=503, body="json", retry_after="0"), "staged", "staged import", 2, 1),
    ("503_no_retry_after", dict(action="status", status=503, body="json"), "failed", "HTTP 503", 1, 0),
    ("503_empty", dict(action="status", status=503, body="empty"), "unknown",
     "HTTP 503: non-JSON error body (text/plain)", 1, 0),
    ("429", dict(action="status", status=429, body="json"), "staged", "staged import", 2, 1),
    ("500_truncated", dict(action="status", status=500, body="truncated"), "unknown",
     "broken answer: Connection broken: IncompleteRead", 1, 0),
    ("500_not_json", dict(action="status", status=500, body="notjson"), "unknown",
     "non-JSON error body (text/plain: upstream said: oops)", 1, 0),
    ("2xx_malformed_json", dict(action="malformed_ok"), "adopted", "answer lost", 1, 1),
    ("502_html_from_proxy", dict(action="status", status=502, body="html"), "unknown",
     "non-JSON error body (text/html: 502 Bad Gateway)", 1, 0),
]


@pytest.mark.parametrize("fault,expected,text,posts,created", [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_stage_fault(emulator, run_module, fault, expected, text, posts, created):
    emulator.add_fault(method="POST", path=STAGE, **fault)
    run = run_module("pa_import_stage", HR_PORTAL)
    assert_clean(run)
    assert text in run["msg"], run["msg"]
    assert stage_posts(emulator) == posts  # a stage the server may have acted on is never sent again
    assert emulator.stats()["imports_created"] == created
    if expected in ("staged", "adopted"):
        assert run.rc == 0 and run["changed"] is True, run.output
        assert run["application_import"]["status"] == "Pending" and run["application_import"]["id"]
    if expected == "adopted":
        assert run.warned("the stage answer was lost") and run.warned("adopted import " + run["application_import"]["id"])
    if expected == "failed":
        assert run["failed"] is True and run["changed"] is False and "outcome_unknown" not in run.result
        assert len(run["correlation_id"]) == 32 and run["correlation_id"] in run["msg"]
    if expected == "unknown":
        assert run["failed"] is True and run["outcome_unknown"] is True and run["candidate_import_ids"] == []
        assert "outcome unknown" in run["msg"] and "<html" not in run["msg"].lower()
    # Whatever happened, a re-run converges on exactly one import (the fault is used up).
    again = run_module("pa_import_stage", HR_PORTAL)
    assert again.rc == 0, again.output
    assert again["reused"] is (created == 1)
    assert emulator.stats()["imports_created"] == 1


def test_answer_slower_than_request_timeout(emulator, run_module):
    emulator.add_fault(method="POST", path=STAGE, action="delay", seconds=2)
    run = run_module("pa_import_stage", dict(HR_PORTAL, request_timeout=0.5))
    assert_clean(run)
    assert run["failed"] is True and run["outcome_unknown"] is True, run.output
    assert "no answer within 0.5s" in run["msg"]
    assert stage_posts(emulator) in (0, 1)  # counted only once the server gets past the delay
    # The server still acts on the request after the client gave up: wait for that (not a timing assertion).
    deadline = time.monotonic() + 15
    while stage_posts(emulator) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stage_posts(emulator) == 1 and emulator.stats()["imports_created"] == 1
    # Re-running as the message advises adopts that import instead of staging a second one.
    again = run_module("pa_import_stage", HR_PORTAL)
    assert again.rc == 0 and again["reused"] is True and again["changed"] is False, again.output
    assert emulator.stats()["imports_created"] == 1 and stage_posts(emulator) == 1
    assert "nothing seems to have been staged" not in run["msg"] and "may still stage it" in run["msg"]


WAIT = {"application_name": "Risk Engine", "wait": True, "wait_timeout": 2, "poll_interval": 0.2}


@pytest.mark.parametrize("cancel_on_timeout", [False, True], ids=["wait_timeout", "cancel_on_timeout"])
def test_import_running_past_wait_timeout(emulator, run_module, cancel_on_timeout):
    emulator.set_worker(paused=False, build_seconds=0.3)  # Risk Engine's import never leaves Running
    run = run_module("pa_import_stage", dict(WAIT, cancel_on_timeout=cancel_on_timeout))
    assert_clean(run)
    assert run["failed"] is True and run["timed_out"] is True, run.output
    assert run["changed"] is True  # the import was staged even though the task failed
    record = run["application_import"]
    assert run["msg"].startswith("timed out after 2s waiting for import #{0}".format(record["number"]))
    assert record["application"]["id"] == application_id(emulator, "Risk Engine")
    assert emulator.stats()["imports_created"] == 1 and stage_posts(emulator) == 1
    cancels = emulator.stats()["requests"].get("POST /api/application-imports/cancel", 0)
    if cancel_on_timeout:
        assert "last seen Running; cancel_on_timeout: cancel requested for import #" in run["msg"]
        assert record["status"] in ("Canceling", "Canceled") and cancels == 1
        wait_until(lambda: status_of(emulator, record["id"]) == "Canceled", timeout=5)  # the cancel took effect
    else:
        assert run["msg"].endswith("last seen Running") and record["status"] == "Running" and cancels == 0
        assert status_of(emulator, record["id"]) == "Running"  # left alone


def test_reads_cut_mid_wait(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=30)
    # Once the wait polls, every read is cut off, as when the server's proxy starts dropping connections.
    cut_reads = dict(method="GET", path=".", action="drop_before", times=1000)
    watcher, cut = when_the_wait_polls(emulator, lambda: emulator.add_fault(**cut_reads))
    run = run_module("pa_import_stage", dict(WAIT, application_name="HR Portal", wait_timeout=60,
                                             poll_interval=0.3, request_retries=1))
    watcher.join()
    assert cut.is_set()
    assert_clean(run)
    assert run["failed"] is True and "connection dropped" in run["msg"], run["msg"]
    assert "timed_out" not in run.result  # it failed on the cut reads, not by running out the 60 s wait
    assert emulator.stats()["imports_created"] == 1


def test_server_going_away_mid_wait(run_module):
    server = start_emulator(build_seconds=0.3)
    try:
        # server.stop() also cuts the module's kept-alive connection.
        watcher, stopped = when_the_wait_polls(server, server.stop)
        run = run_module("pa_import_stage", dict(WAIT, wait_timeout=60, request_retries=1), server=server)
        watcher.join()
        assert stopped.is_set()
        assert_clean(run)
        assert run["failed"] is True and run["request_sent"] is False, run.output
        staged = [record["id"] for record in server.store.imports.values() if record["status"] == "Running"]
        assert len(staged) == 1 and server.stats()["imports_created"] == 1
        assert run["msg"].startswith("GET /application-imports/{0} failed: cannot connect to 127.0.0.1:{1}: "
                                     "Connection refused".format(staged[0], server.port)), run["msg"]
        assert "timed_out" not in run.result  # it failed on the lost server, not by running out the 60 s wait
    finally:
        server.stop()  # idempotent

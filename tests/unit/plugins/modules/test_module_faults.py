"""Fault matrix: pa_import_stage's main() in-process (tests/pa_modulelib.py) against the emulator's fault injection.

For every row the test checks what the task reports (failed or not, the message, no traceback), the invariant
*imports created == imports intended* (one when the task says it staged or adopted one, none when it says the
server refused, never two for one run), and, for the stage rows, that a re-run of the same task converges on
exactly one import. Faults are on ``POST /api/application-imports/stage`` unless the row says otherwise; the build
job is paused except in the wait rows.

A failed stage request is settled before the task fails (module_utils/settle.py): after an answer (a 5xx without
Retry-After but 501, 502, 504 and 505; a 2xx that is not JSON) one look; after a dropped connection, an answer cut
short or a 502, two looks 1 s apart; after no answer in time or a 504, looks for one more request_timeout. One new import is adopted; none, once
the server can no longer act, sends the request again (``request_retries`` times at most); a server that may still
act is "outcome unknown".

| row (fault on the stage POST unless    | task reports                                          | stage   | imports |
| noted)                                 |                                                       | POSTs   |         |
|----------------------------------------|-------------------------------------------------------|---------|---------|
| connection dropped before commit       | ok, staged; warning "... looked twice, so it was sent | 1 (+1   | 1       |
|                                        | again"                                                | dropped)|         |
| connection dropped after commit        | ok, adopted; warning "answer was lost ... adopted ID" | 1       | 1       |
| connection dropped, commit 0.3 s later | ok, adopted at the second look                        | 1       | 1       |
| 500 with the API's JSON body           | ok, staged again (one look showed nothing)            | 2       | 1       |
| 502 (gateway, JSON body)               | ok, staged again after two looks                      | 2       | 1       |
| 503 with Retry-After                   | ok, staged; re-sent once by the client (refused)      | 2       | 1       |
| 503 without Retry-After (JSON body)    | ok, staged again (one look)                           | 2       | 1       |
| 503 without Retry-After, empty body    | ok, staged again (one look)                           | 2       | 1       |
| 429                                    | ok, staged; re-sent once after backoff (refused)      | 2       | 1       |
| 500 with a truncated body              | ok, staged again after two looks (cut short: its      | 2       | 1       |
|                                        | status is not known)                                  |         |         |
| 500 with a plain-text body             | ok, staged again                                      | 2       | 1       |
| 2xx with a broken JSON body            | ok, adopted from the list, warning                    | 1       | 1       |
| HTML error page from a proxy (502)     | ok, staged again after two looks                      | 2       | 1       |
| 501 (JSON)                             | failed "HTTP 501": nothing to settle, not re-sent     | 1       | 0       |
| 503 on every attempt                   | failed "... nothing was staged; sent 4 time(s),       | 4       | 0       |
|                                        | request_retries used up", outcome_unknown false       |         |         |
| 503 with request_retries 0             | failed "... sent 1 time(s)", outcome_unknown false    | 1       | 0       |
| 503, then the re-send's answer lost    | ok, the re-send's import adopted                      | 2       | 1       |
| 504 (gateway timeout), request_timeout | failed, outcome_unknown "... may still stage it";     | 1       | 0       |
| 0.5 s                                  | not re-sent                                           |         |         |
| answer later than request_timeout 0.5  | failed, outcome_unknown "no answer within 0.5s ...    | 1       | 1       |
| s (2 s)                                | may still stage it"; the server commits after the     |         |         |
|                                        | task ended                                            |         |         |
| Risk Engine Running past wait_timeout  | failed, timed_out "timed out after 2s ..., last seen  | 1       | 1 (1)   |
| 2 s                                    | Running"                                              |         |         |
| same with cancel_on_timeout            | failed, timed_out, "...; cancel_on_timeout: cancel re-| 1       | 1 (1)   |
|                                        | quested for import #N", record Canceling or Canceled, |         |         |
|                                        | then Canceled                                         |         |         |
| every read cut (drop_before) mid-wait  | failed "... connection dropped ...", not timed_out    | 1       | 1 (1)   |
|                                        | (wait_timeout was 60 s)                               |         |         |
| server stopped mid-wait (second        | failed "GET /application-imports/ID failed: cannot    | 1       | 1 (2)   |
| emulator)                              | connect to 127.0.0.1:PORT: Connection refused; the    |         |         |
|                                        | wait for import #N (ID) of Risk Engine stopped after  |         |         |
|                                        | 1s, last seen Running", not timed_out (wait_timeout   |         |         |
|                                        | was 60 s)                                             |         |         |

Every stage row's re-run converges on exactly one import (the fault is used up). (1) The import left Pending, so it
is not reusable by design: a re-run stages the next one. (2) The server is gone.

After a read timeout the server may still commit the request: the task watches the list for one more
request_timeout, then says the server may still stage it (``test_answer_slower_than_request_timeout``).
"""

import threading
import time

import pytest

from pa_testlib import application_id, imports_of, start_emulator, status_of, wait_until

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


# (id, faults on the stage POST, task options, expected outcome, text in msg or a warning, stage POSTs the API
# counted, imports created). The emulator counts a request once it gets past drop_before, so that row counts the
# re-send only. "staged": refused, re-sent by the client; "restaged": settled, then sent again.
def fault(**rule):
    return [rule]


ROWS = [
    ("drop_before_commit", fault(action="drop_before"), {}, "restaged",
     "the stage request failed (connection dropped before an answer); no new import of the application appeared "
     "(looked twice), so it was sent again", 1, 1),
    ("drop_after_commit", fault(action="drop_after"), {}, "adopted", "answer lost", 1, 1),
    ("drop_then_commit", fault(action="drop_then_act", seconds=0.3), {}, "adopted", "answer lost", 1, 1),
    ("500_json", fault(action="status", status=500, body="json"), {}, "restaged",
     "HTTP 500 server_error: Injected fault", 2, 1),
    ("502", fault(action="status", status=502, body="json"), {}, "restaged", "(looked twice)", 2, 1),
    ("503_retry_after", fault(action="status", status=503, body="json", retry_after="0"), {}, "staged",
     "staged import", 2, 1),
    ("503_no_retry_after", fault(action="status", status=503, body="json"), {}, "restaged",
     "HTTP 503 server_error: Injected fault: Service Unavailable [correlationId", 2, 1),
    ("503_empty", fault(action="status", status=503, body="empty"), {}, "restaged",
     "HTTP 503: non-JSON error body (text/plain)); no new import of the application appeared (looked once)", 2, 1),
    ("429", fault(action="status", status=429, body="json"), {}, "staged", "staged import", 2, 1),
    ("500_truncated", fault(action="status", status=500, body="truncated"), {}, "restaged",
     "more expected)); no new import of the application appeared (looked twice)", 2, 1),
    ("500_not_json", fault(action="status", status=500, body="notjson"), {}, "restaged",
     "non-JSON error body (text/plain: upstream said: oops)", 2, 1),
    ("2xx_malformed_json", fault(action="malformed_ok"), {}, "adopted", "answer lost", 1, 1),
    ("502_html_from_proxy", fault(action="status", status=502, body="html"), {}, "restaged",
     "non-JSON error body (text/html: 502 Bad Gateway)", 2, 1),
    ("501", fault(action="status", status=501, body="json"), {}, "failed", "HTTP 501 server_error", 1, 0),
    ("503_every_attempt", fault(action="status", status=503, body="json", times=4), {}, "gave_up",
     "no new import of 1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64 appeared (looked once), so nothing was staged; sent 4 "
     "time(s), request_retries used up", 4, 0),
    ("503_no_retries", fault(action="status", status=503, body="json"), {"request_retries": 0}, "gave_up",
     "so nothing was staged; sent 1 time(s)", 1, 0),
    ("503_then_lost_answer", [dict(action="status", status=503, body="json"), dict(action="drop_after")], {},
     "adopted", "so it was sent again", 2, 1),
    ("504", fault(action="status", status=504, body="json"), {"request_timeout": 0.5}, "unknown",
     "HTTP 504 server_error: Injected fault: Gateway Timeout [correlationId", 1, 0),
]


@pytest.mark.parametrize("faults,options,expected,text,posts,created", [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_stage_fault(emulator, run_module, faults, options, expected, text, posts, created):
    for rule in faults:
        emulator.add_fault(method="POST", path=STAGE, **rule)
    run = run_module("pa_import_stage", dict(HR_PORTAL, **options))
    assert_clean(run)
    assert text in run["msg"] or run.warned(text), run.output
    assert stage_posts(emulator) == posts  # never sent again while the server may have acted
    assert emulator.stats()["imports_created"] == created
    if expected in ("staged", "restaged", "adopted"):
        assert run.rc == 0 and run["changed"] is True, run.output
        assert run["application_import"]["status"] == "Pending" and run["application_import"]["id"]
        assert run.warned("so it was sent again") is (expected == "restaged" or "sent again" in text)
    if expected == "adopted":
        assert run.warned("the stage answer was lost") and run.warned("adopted import " + run["application_import"]["id"])
    if expected in ("failed", "gave_up"):
        assert run["failed"] is True and run["changed"] is False and not run.result.get("outcome_unknown")
        assert len(run["correlation_id"]) == 32 and run["correlation_id"] in run["msg"]
    if expected == "gave_up":
        assert run["attempts"] == posts and run["outcome_unknown"] is False
    if expected == "unknown":
        assert run["failed"] is True and run["outcome_unknown"] is True and run["candidate_import_ids"] == []
        assert "outcome unknown" in run["msg"] and "<html" not in run["msg"].lower()
        assert "may still stage it" in run["msg"]
    # Whatever happened, a re-run converges on exactly one import (the fault is used up).
    emulator.clear_faults()
    again = run_module("pa_import_stage", HR_PORTAL)
    assert again.rc == 0, again.output
    assert again["reused"] is (created == 1)
    assert emulator.stats()["imports_created"] == 1


def test_batch_settles_each_failed_stage(emulator, run_module):
    """The issue's four dropped connections: in a list-settled batch (reuse_lookup import_list) a dropped stage
    request whose two looks show nothing is sent again, and the one that did commit is adopted."""
    names = ["HR Portal", "Payments Gateway", "Treasury Management", "Reporting"]
    apps = [application_id(emulator, name) for name in names[:3]] + ["f4d7a9c2-8e13-4b6f-a2d5-c9b1e3f7a604"]
    emulator.add_fault(method="POST", path=STAGE, action="drop_before")  # stage requests in the order sent
    emulator.add_fault(method="POST", path=STAGE, action="drop_after")
    emulator.add_fault(method="POST", path=STAGE, action="status", status=503, body="json")
    run = run_module("pa_import_stage", {"applications": apps})
    assert_clean(run)
    assert run.rc == 0 and run["summary"]["failed"] == 0 and run["summary"]["staged"] == 4, run.output
    assert run["reuse_lookup"]["method"] == "import_list"
    results = run["application_results"]
    # HR Portal: dropped before the server acted, looked twice, sent again; that answer lost too, its import adopted.
    assert "looked twice), so it was sent again" in results[0]["msg"] and "adopted import" in results[0]["msg"]
    # Payments Gateway: a 503 is an answer: one look, nothing, sent again.
    assert "HTTP 503" in results[1]["msg"] and "(looked once), so it was sent again" in results[1]["msg"]
    assert [result["msg"] for result in results[2:]] == ["staged import #{0}".format(result["number"])
                                                         for result in results[2:]]
    pending = [[row["id"] for row in imports_of(emulator, app) if row["status"] == "Pending"] for app in apps]
    assert pending == [[result["import_id"]] for result in results]
    assert emulator.stats()["imports_created"] == 4 and stage_posts(emulator) == 5  # the drop_before one uncounted


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

"""The batch form of pa_import_stage waits for every import in one module run: its main() in-process
(tests/pa_modulelib.py) against the emulator (reset, build job paused, before each test; each test starts the job
itself). Request counts come from the emulator's own stats. The stage_imports role's wait and the job-template
playbook are tests/e2e/test_stage_many_wait.py's.
"""

import threading
import time

from pa_testlib import api_get, application_id, start_emulator
from pa_emulator.seed import extra_application_id

LIST_ROUTE = "GET /api/application-imports"
SINGLE_ROUTE = "GET /api/application-imports/{id}"
FAST = {"poll_interval": 0.2, "wait_timeout": 60}


def requests(emulator, route):
    return emulator.stats()["requests"].get(route, 0)


def test_timeout_marks_the_stuck_and_the_queued_behind_it_timed_out(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=0.3)
    # The build job runs in staging order: HR Portal ends, Risk Engine never does, Treasury waits behind it.
    run = run_module("pa_import_stage", {
        "applications": [{"name": "HR Portal"}, {"name": "Risk Engine"}, {"name": "Treasury Management"}],
        "reuse_pending": False, "wait": True, "wait_timeout": 2, "poll_interval": 0.3})
    assert run.rc != 0 and run["failed"] is True and run["changed"] is True
    hr, risk, treasury = run["application_results"]
    assert hr["status"] == "Finished" and not hr["failed"] and "timed_out" not in hr
    assert risk["timed_out"] is True and risk["failed"] and risk["status"] == "Running" and risk["changed"]
    assert treasury["timed_out"] is True and treasury["status"] == "Pending"
    assert "timed out after 2s" in risk["msg"] and "last seen Running" in risk["msg"]
    assert risk["application_import"]["id"] == risk["import_id"]  # the record is kept
    assert run["summary"]["timed_out"] == 2 and run["summary"]["finished"] == 1 and run["summary"]["staged"] == 3
    assert api_get(emulator, "/application-imports/" + risk["import_id"])["status"] == "Running"  # left alone


def test_list_requests_per_poll_stay_flat_for_fifty_applications(run_module):
    count = 50
    emulator = start_emulator(extra_applications=count, build_seconds=0.05)
    try:
        apps = [extra_application_id(index) for index in range(1, count + 1)]
        run = run_module("pa_import_stage", {"applications": apps, "reuse_pending": False, "wait": True,
                                             "wait_timeout": 120, "poll_interval": 0.5}, server=emulator)
        assert run.rc == 0, run.output
        assert run["summary"]["finished"] == count
        stats = run["wait_stats"]
        lists, singles = requests(emulator, LIST_ROUTE), requests(emulator, SINGLE_ROUTE)
        assert lists == stats["list_requests"]  # staging by id with reuse_pending false reads no list
        # Page 1, the last page, and the page before it while never-started imports straddle the two: never one
        # request per application (that would be 50 per poll).
        assert lists <= 3 * stats["polls"], stats
        # One full read per import when it ended, unless a fallback read (below) already returned it ended.
        assert stats["final_record_requests"] <= count <= stats["final_record_requests"] + stats["fallback_requests"]
        assert singles == stats["final_record_requests"] + stats["fallback_requests"]
        # An import that starts between the reads of page 1 and the last page is on neither: it is read by itself.
        assert stats["fallback_requests"] <= stats["polls"]
    finally:
        emulator.stop()


def test_a_failed_poll_mid_wait_keeps_every_record_and_says_why(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=0.3)
    added = []

    def break_the_list_once_something_ended():
        deadline = time.monotonic() + 30
        while requests(emulator, SINGLE_ROUTE) < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        added.append(emulator.add_fault(method="GET", path=r"^/api/application-imports$", action="status",
                                        status=500, times=100))

    breaker = threading.Thread(target=break_the_list_once_something_ended, daemon=True)
    breaker.start()
    run = run_module("pa_import_stage", dict(FAST, applications=[
        {"name": "HR Portal"}, {"name": "Risk Engine"}, {"name": "Treasury Management"}], reuse_pending=False,
        wait=True))
    breaker.join(5)
    assert added, "the fault was never injected"
    assert run.rc != 0 and run["failed"] is True and run["changed"] is True
    hr, risk, treasury = run["application_results"]
    assert hr["status"] == "Finished" and not hr["failed"]
    for item, last_seen in ((risk, "Running"), (treasury, "Pending")):
        assert item["failed"] and item["wait"] == "wait_error" and "timed_out" not in item
        assert "HTTP 500" in item["msg"] and "stopped after" in item["msg"] and "last seen " + last_seen in item["msg"]
        assert item["application_import"]["id"] == item["import_id"] and item["status"] == last_seen
    assert run["summary"]["wait_error"] == 2 and run["summary"]["staged"] == 3


def test_check_mode_waits_for_nothing_and_says_so(emulator, run_module):
    run = run_module("pa_import_stage", dict(FAST, applications=[{"name": "HR Portal"}], wait=True),
                     check=True)
    assert run.rc == 0, run.output
    assert "check mode: not waiting (nothing was staged)" in run["msg"]
    assert "wait_stats" not in run.result and "finished" not in run["summary"]
    assert emulator.stats()["imports_created"] == 0


def test_items_that_failed_to_stage_are_not_waited_on(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=0.3)
    run = run_module("pa_import_stage", dict(FAST, applications=[
        {"name": "Card Issuing"}, {"name": "HR Portal"}], wait=True))
    assert run.rc != 0
    card, hr = run["application_results"]
    assert card["failed"] and "HTTP 422" in card["msg"] and "wait" not in card and card["import_id"] is None
    assert hr["status"] == "Finished" and not hr["failed"]
    assert run["summary"]["failed"] == 1 and run["summary"]["finished"] == 1


def test_cancel_on_timeout_is_refused_with_applications_before_any_request(emulator, run_module):
    app = application_id(emulator, "HR Portal")
    before = emulator.stats()["total"]
    run = run_module("pa_import_stage", {"applications": [app], "wait": True, "cancel_on_timeout": True})
    assert run.rc != 0 and run["msg"].startswith("cancel_on_timeout: cannot be combined with applications")
    assert emulator.stats()["total"] == before

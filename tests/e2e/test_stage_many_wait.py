"""stage_imports_wait: the role and the batch form of pa_import_stage wait for every import in one module run.

The installed collection runs through ansible against the emulator (reset, build job paused, before each test; each
test starts the job itself). Request counts come from the emulator's own stats.
"""

import json
import threading
import time

from pa_testlib import (REPO, api_get, application_id, include_role, role_playbook, run_module, run_playbook,
                        start_emulator)
from pa_emulator.seed import extra_application_id

LIST_ROUTE = "GET /api/application-imports"
SINGLE_ROUTE = "GET /api/application-imports/{id}"
FAST = {"poll_interval": 0.2, "wait_timeout": 60}
ROLE_PLAYBOOK = role_playbook({
    "block": [include_role("stage_imports", stage_imports_applications="{{ apps }}", stage_imports_reuse_pending=False,
                           stage_imports_wait=True, stage_imports_wait_timeout=60, stage_imports_poll_interval=0.2)],
    "rescue": [{"ansible.builtin.set_fact": {"failed_task": "{{ ansible_failed_task.name }}"}}],
    "always": [{"ansible.builtin.copy": {
        "content": "{{ {'results': stage_imports_results, 'summary': stage_imports_summary,"
                   " 'failed_task': failed_task | default('')} | to_json }}",
        "dest": "{{ report }}", "mode": "0600"}}],
})


def run_role(emulator, tmp_path, apps):
    playbook = tmp_path / "wait.yml"
    playbook.write_text(ROLE_PLAYBOOK)
    report = tmp_path / "report.json"
    process = run_playbook(emulator, playbook, {"apps": apps, "report": str(report)})
    return process, json.loads(report.read_text())


def requests(emulator, route):
    return emulator.stats()["requests"].get(route, 0)


def test_role_waits_until_all_finish_and_records_final_statuses(emulator, tmp_path):
    emulator.set_worker(paused=False, build_seconds=0.3)
    process, data = run_role(emulator, tmp_path, [{"name": "HR Portal"}, {"name": "Payments Gateway"},
                                                  {"name": "Treasury Management"}])
    assert process.returncode == 0 and data["failed_task"] == "", process.stdout[-3000:]
    assert requests(emulator, SINGLE_ROUTE) == 3  # one full read per import that ended; none found missing
    results = data["results"]
    assert [row["status"] for row in results] == ["Finished"] * 3
    assert all(row["wait"] == "finished" and not row["failed"] and row["changed"] for row in results)
    assert all(row["application_import"]["metrics"] for row in results)  # the full record, read once it ended
    assert all(api_get(emulator, "/application-imports/" + row["import_id"])["status"] == "Finished" for row in results)
    assert data["summary"] == {"requested": 3, "staged": 3, "reused": 0, "failed": 0, "not_attempted": 0, "finished": 3,
                               "failed_build": 0, "canceled": 0, "timed_out": 0, "wait_error": 0}


def test_one_failed_build_fails_that_item_with_its_log_tail_and_the_role_at_the_end(emulator, tmp_path):
    emulator.set_worker(paused=False, build_seconds=0.3)
    process, data = run_role(emulator, tmp_path, [{"name": "HR Portal"}, {"name": "Data Warehouse"},
                                                  {"name": "Payments Gateway"}])
    assert process.returncode == 0, process.stdout[-3000:]  # the test playbook rescues the role's failure
    assert data["failed_task"].startswith("Fail when an application")  # fail-at-end, after every result was set
    hr, warehouse, payments = data["results"]
    assert hr["status"] == payments["status"] == "Finished" and not hr["failed"] and not payments["failed"]
    assert warehouse["failed"] and warehouse["wait"] == "failed_build" and warehouse["changed"]
    assert warehouse["status"] == "Failed" and "failed" in warehouse["msg"]
    assert warehouse["log_tail"] == warehouse["application_import"]["log"].splitlines()[-20:]
    assert warehouse["log_tail"][-1].startswith("Error")
    summary = data["summary"]
    assert (summary["staged"], summary["failed"], summary["finished"], summary["failed_build"]) == (3, 1, 2, 1)


def test_timeout_marks_the_stuck_and_the_queued_behind_it_timed_out(emulator):
    emulator.set_worker(paused=False, build_seconds=0.3)
    # The build job runs in staging order: HR Portal ends, Risk Engine never does, Treasury waits behind it.
    run = run_module(emulator, "pa_import_stage", {
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


def test_list_requests_per_poll_stay_flat_for_fifty_applications():
    count = 50
    emulator = start_emulator(extra_applications=count, build_seconds=0.05)
    try:
        apps = [extra_application_id(index) for index in range(1, count + 1)]
        run = run_module(emulator, "pa_import_stage", {"applications": apps, "reuse_pending": False, "wait": True,
                                                       "wait_timeout": 120, "poll_interval": 0.5})
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


def test_a_failed_poll_mid_wait_keeps_every_record_and_says_why(emulator):
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
    run = run_module(emulator, "pa_import_stage", dict(FAST, applications=[
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


def test_check_mode_waits_for_nothing_and_says_so(emulator):
    run = run_module(emulator, "pa_import_stage", dict(FAST, applications=[{"name": "HR Portal"}], wait=True),
                     check=True)
    assert run.rc == 0, run.output
    assert "check mode: not waiting (nothing was staged)" in run["msg"]
    assert "wait_stats" not in run.result and "finished" not in run["summary"]
    assert emulator.stats()["imports_created"] == 0


def test_items_that_failed_to_stage_are_not_waited_on(emulator):
    emulator.set_worker(paused=False, build_seconds=0.3)
    run = run_module(emulator, "pa_import_stage", dict(FAST, applications=[
        {"name": "Card Issuing"}, {"name": "HR Portal"}], wait=True))
    assert run.rc != 0
    card, hr = run["application_results"]
    assert card["failed"] and "HTTP 422" in card["msg"] and "wait" not in card and card["import_id"] is None
    assert hr["status"] == "Finished" and not hr["failed"]
    assert run["summary"]["failed"] == 1 and run["summary"]["finished"] == 1


def test_cancel_on_timeout_is_refused_with_applications_before_any_request(emulator):
    app = application_id(emulator, "HR Portal")
    before = emulator.stats()["total"]
    run = run_module(emulator, "pa_import_stage", {"applications": [app], "wait": True, "cancel_on_timeout": True})
    assert run.rc != 0 and run["msg"].startswith("cancel_on_timeout: cannot be combined with applications")
    assert emulator.stats()["total"] == before


def test_job_template_playbook_waits_when_asked_and_exits_non_zero_on_a_failed_build(emulator, tmp_path):
    emulator.set_worker(paused=False, build_seconds=0.3)
    report = tmp_path / "report.json"
    process = run_playbook(emulator, REPO / "playbooks" / "stage_imports.yml", {
        "applications": "HR Portal, Data Warehouse", "wait": "true", "wait_timeout": "60",
        "report_path": str(report)})
    assert process.returncode != 0
    data = json.loads(report.read_text())
    assert [row["status"] for row in data["results"]] == ["Finished", "Failed"]
    assert data["summary"]["finished"] == 1 and data["summary"]["failed_build"] == 1

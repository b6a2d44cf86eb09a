"""The role over 1,000 applications: every result accounted for, within the per-application request budget."""

import json
import time

from pa_testlib import include_role, role_playbook, run_playbook, start_emulator
from pa_emulator.seed import extra_application_id, extra_profile, last_import_id

COUNT = 1000
BUDGET = {False: 1, True: 1.2}  # requests per application, by reuse_pending (issue #16)
PLAYBOOK = role_playbook(
    include_role("stage_imports", stage_imports_applications="{{ apps }}",
                 stage_imports_reuse_pending="{{ reuse | bool }}", stage_imports_fail_on_error=False),
    {"ansible.builtin.copy": {
        "content": "{{ {'results': stage_imports_results, 'summary': stage_imports_summary} | to_json }}",
        "dest": "{{ report }}", "mode": "0600"}})


def run_role(emulator, tmp_path, items, reuse):
    """Run the role once; return its report and the emulator's stats before and after."""
    playbook = tmp_path / "load.yml"
    playbook.write_text(PLAYBOOK)
    report = tmp_path / "report-{0}.json".format(reuse)
    before = emulator.stats()
    process = run_playbook(emulator, playbook, {"apps": items, "reuse": reuse, "report": str(report)})
    assert process.returncode == 0, process.stdout[-3000:]
    return json.loads(report.read_text()), before, emulator.stats()


def test_role_over_a_thousand_applications(tmp_path):
    emulator = start_emulator(extra_applications=COUNT, worker_paused=True)
    try:
        apps = [extra_application_id(index) for index in range(1, COUNT + 1)]
        apps[10] = "Card Issuing"  # one failure among them (no import schedule: 422)
        items = [app if index != 10 else {"name": app} for index, app in enumerate(apps)]
        for reuse in (False, True):
            data, before, after = run_role(emulator, tmp_path, items, reuse)
            results = data["results"]
            assert len(results) == COUNT
            assert [row["application_id"] for row in results if row["application_id"]][:10] == apps[:10]
            assert [row["application_name"] for row in results if row["failed"]] == ["Card Issuing"]
            listing = "GET /api/applications"  # the one name in the list is resolved by walking the applications
            requests = (after["total"] - after["requests"].get(listing, 0)) - (before["total"] - before["requests"].get(listing, 0))
            assert requests <= BUDGET[reuse] * COUNT, (reuse, requests)
            if not reuse:
                assert data["summary"] == {"requested": COUNT, "staged": COUNT - 1, "reused": 0, "failed": 1,
                                           "not_attempted": 0}
                assert after["imports_created"] - before["imports_created"] == COUNT - 1
            else:  # everything staged by the first run is still Pending: reused, nothing new
                assert data["summary"] == {"requested": COUNT, "staged": 0, "reused": COUNT - 1, "failed": 1,
                                           "not_attempted": 0}
                assert after["imports_created"] == before["imports_created"]
    finally:
        emulator.stop()


def start_running(emulator, import_id):
    """Let the build job start the first queued import (``import_id``), then pause it: Running for the whole test."""
    emulator.set_worker(paused=False, build_seconds=3600)
    deadline = time.monotonic() + 30
    while emulator.store.imports[import_id]["status"] != "Running":
        assert time.monotonic() < deadline, "the build job never started " + import_id
        time.sleep(0.01)
    emulator.set_worker(paused=True)


FAILURES = ("HTTP 400 validation_error", "HTTP 422 unprocessable_entity")  # archived, no import schedule


def expected_outcome(index, running_index):
    """What the role reports for load-test application ``index`` under extra_mix (see emulator/README.md)."""
    profile = extra_profile(index)[0]
    if index == running_index:
        return "staged"  # its only active import is Running: not reusable
    return {"long_pending": "reused", "pending": "reused", "archived": FAILURES[0],
            "no_schedule": FAILURES[1]}.get(profile, "staged")


def test_role_over_a_thousand_applications_with_mixed_histories(tmp_path):
    """Long histories (Pending on page 3, or nothing reusable there), short ones with and without a Pending, one
    Running import, archived and unscheduled applications: one role run with reuse_pending, then one without."""
    emulator = start_emulator(extra_applications=COUNT, extra_mix=True, worker_paused=True)
    try:
        apps = [extra_application_id(index) for index in range(1, COUNT + 1)]
        running_index = 2  # long_pending: its Pending import is the first queued, so the build job takes it
        start_running(emulator, last_import_id(apps[running_index - 1]))
        expected = [expected_outcome(index, running_index) for index in range(1, COUNT + 1)]
        counts = {outcome: expected.count(outcome) for outcome in set(expected)}
        assert all(counts[outcome] > 100 for outcome in ("staged", "reused", FAILURES[0], FAILURES[1]))

        data, before, after = run_role(emulator, tmp_path, apps, reuse=True)
        results = data["results"]
        assert [row["application_id"] for row in results] == apps  # one per input, in order
        for app_id, row, outcome in zip(apps, results, expected):
            if outcome == "reused":
                assert (row["import_id"], row["status"], row["changed"], row["failed"]) == \
                    (last_import_id(app_id), "Pending", False, False), row
            elif outcome == "staged":
                assert row["status"] == "Pending" and row["changed"] and not row["failed"], row
                assert row["import_id"] != last_import_id(app_id)
            else:  # the error message names the reason
                assert row["failed"] and not row["changed"] and outcome in row["msg"], row
                assert ("archived" if outcome.startswith("HTTP 400") else "no import schedule") in row["msg"]
        failed = counts[FAILURES[0]] + counts[FAILURES[1]]
        assert data["summary"] == {"requested": COUNT, "staged": counts["staged"], "reused": counts["reused"],
                                   "failed": failed, "not_attempted": 0}
        assert after["imports_created"] - before["imports_created"] == counts["staged"]
        assert after["total"] - before["total"] <= BUDGET[True] * COUNT, after["requests"]
        # No application's own list: the never-started end of the unfiltered list, 286 Pending and 143 Canceled
        # never-started imports on 9 pages, and page 1 (which says where that end is).
        assert after["requests"]["GET /api/application-imports"] <= 12, after["requests"]

        data, before, after = run_role(emulator, tmp_path, apps, reuse=False)
        assert [row["application_id"] for row in data["results"]] == apps
        assert [row["failed"] for row in data["results"]] == [outcome in FAILURES for outcome in expected]
        assert data["summary"] == {"requested": COUNT, "staged": COUNT - failed, "reused": 0, "failed": failed,
                                   "not_attempted": 0}
        assert after["imports_created"] - before["imports_created"] == COUNT - failed
        assert after["total"] - before["total"] <= BUDGET[False] * COUNT, after["requests"]
    finally:
        emulator.stop()

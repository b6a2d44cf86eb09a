"""The roles under the emulator's stricter readings of the contract's gaps, over HTTP, through ansible-playbook.
The modules' own behaviour under them is tested in-process: tests/unit/plugins/modules/test_module_stricter_readings.py.

- cancel_race / cancel_seconds (6.2): a canceled import may still end Finished or Failed; Canceling may last.
- pending_sort=first (6.3): never-started imports sort first instead of last.
- non-API imports (6.6): a Scheduled Pending import, reused by reuse_pending and canceled like any other.
- stage_omits_application (6.1, 11): the stage answer without ``application``.
"""

import pytest

from pa_testlib import api_get, include_role, run_role_report, running, status_of, wait_until
from pa_emulator.seed import extra_application_id

CANCEL_ROUTE = "POST /api/application-imports/cancel"
LOAD_APPS = 60  # more never-started imports than one page holds


def requests_to(emulator, route):
    return emulator.stats()["requests"].get(route, 0)


def test_cancel_imports_role_reports_the_cancel_it_sent_and_a_rerun_the_finished_import(emulator, tmp_path):
    staged = running(emulator, "Treasury Management", cancel_race="finished", cancel_seconds=60)
    role = include_role("cancel_imports", cancel_imports_imports=[staged["id"]])
    process, data = run_role_report(emulator, tmp_path, role, "cancel_imports_results", "cancel_imports_summary")
    assert process.returncode == 0, process.stdout[-3000:]
    [result] = data["results"]
    assert result["status"] == "Canceling" and result["changed"] is True and result["failed"] is False
    assert result["msg"].startswith("cancel requested for import #{0}".format(staged["number"]))
    assert data["summary"] == {"requested": 1, "canceled": 1, "unchanged": 0, "failed": 0, "not_attempted": 0}

    emulator.set_worker(cancel_seconds=0)  # the build job now ends it: Finished, the cancel came too late
    wait_until(lambda: status_of(emulator, staged["id"]) == "Finished")
    process, data = run_role_report(emulator, tmp_path, role, "cancel_imports_results", "cancel_imports_summary")
    assert process.returncode == 0, process.stdout[-3000:]
    [result] = data["results"]
    assert result["status"] == "Finished" and result["changed"] is False and result["failed"] is False
    assert "nothing to cancel" in result["msg"] and "already Finished" in result["msg"]
    assert data["summary"] == {"requested": 1, "canceled": 0, "unchanged": 1, "failed": 0, "not_attempted": 0}
    assert requests_to(emulator, CANCEL_ROUTE) == 1


# Never-started imports sorting first (6.3: unspecified)

@pytest.fixture
def nulls_first(emulator_with):
    return emulator_with(build_seconds=0.05, pending_sort="first", extra_applications=LOAD_APPS)


def test_stage_imports_role_waits_with_nulls_first_over_many_pages(nulls_first, tmp_path):
    nulls_first.set_worker(paused=False)
    apps = ["Data Warehouse", "HR Portal"] + [extra_application_id(i) for i in range(1, LOAD_APPS + 1)]
    role = include_role("stage_imports", stage_imports_applications="{{ apps }}", stage_imports_reuse_pending=False,
                        stage_imports_wait=True, stage_imports_wait_timeout=180, stage_imports_poll_interval=0.3,
                        stage_imports_fail_on_error=False)
    role_apps = [{"name": name} for name in apps[:2]] + apps[2:]
    process, data = run_role_report(nulls_first, tmp_path, role, "stage_imports_results",
                                    "stage_imports_summary | combine({'wait_stats': stage_imports_wait_stats})",
                                    {"apps": role_apps})
    assert process.returncode == 0, process.stdout[-3000:]
    results, summary = data["results"], data["summary"]
    assert [row["status"] for row in results] == ["Failed"] + ["Finished"] * (LOAD_APPS + 1)
    assert results[0]["wait"] == "failed_build" and results[0]["failed"] and results[0]["log_tail"]
    assert all(row["wait"] == "finished" and not row["failed"] for row in results[1:])
    assert all(api_get(nulls_first, "/application-imports/" + row["import_id"])["status"] == row["status"]
               for row in results)
    assert {key: summary[key] for key in ("finished", "failed_build", "timed_out", "wait_error")} == {
        "finished": LOAD_APPS + 1, "failed_build": 1, "timed_out": 0, "wait_error": 0}
    stats = summary["wait_stats"]
    # One read of each import by itself: its full record when it ended, or a fallback read that found it ended. The
    # role waits after staging and printing every import, so by its first poll many have ended and sorted off the
    # pages it reads (each read once, by itself); beyond those, a fallback read per poll at most (an import that
    # moved between two page reads).
    singles = stats["final_record_requests"] + stats["fallback_requests"]
    assert LOAD_APPS + 2 <= singles <= LOAD_APPS + 2 + stats["polls"], stats
    # Page 1, the pages of the never-started run behind it, the last page: never one read per import.
    assert stats["list_requests"] <= 5 * stats["polls"], stats
    print("nulls first, {0} imports: {1}".format(LOAD_APPS + 2, stats))

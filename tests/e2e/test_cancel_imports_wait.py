"""Cancel with a wait over a list of imports (import_ids, the cancel_imports role, playbooks/cancel_imports.yml).

Every cancel is sent first; then all the imports are waited for together and each is judged: Canceled, overtaken by
its build (contract 6.2: it may still end Finished or Failed), or still Canceling at the deadline.
"""

import json

import pytest

from pa_testlib import (REPO, api_get, include_role, run_module, run_playbook, run_role_report, running,
                        stage_directly, status_of, wait_until)

CANCEL = REPO / "playbooks" / "cancel_imports.yml"
FAST = {"cancel_imports_wait": True, "cancel_imports_poll_interval": 0.2, "cancel_imports_wait_timeout": 30}
RESULTS, SUMMARY = "cancel_imports_results", "cancel_imports_summary"
CANCEL_ROUTE = "POST /api/application-imports/cancel"


def one_running_two_pending(emulator, **worker):
    """A Running import (HR Portal) and two Pending ones queued behind it; the ids in that order."""
    first = running(emulator, "HR Portal", **worker)
    return [first["id"]] + [stage_directly(emulator, name)["id"] for name in ("Treasury Management", "Payments Gateway")]


def by_id(results):
    return {result["import_id"]: result for result in results}


def test_role_waits_until_every_import_is_canceled(emulator, tmp_path):
    ids = one_running_two_pending(emulator)
    role = include_role("cancel_imports", cancel_imports_imports=ids, **FAST)
    process, data = run_role_report(emulator, tmp_path, role, RESULTS, SUMMARY)
    assert process.returncode == 0, process.stdout[-3000:]
    assert [result["import_id"] for result in data["results"]] == ids
    for result in data["results"]:
        assert result["status"] == "Canceled" and result["changed"] is True, result
        assert result["failed"] is False and result["timed_out"] is False, result
        assert result["msg"].endswith("; it is Canceled"), result
    assert data["summary"] == {"requested": 3, "canceled": 3, "unchanged": 0, "failed": 0, "not_attempted": 0,
                               "confirmed_canceled": 3, "overtaken": 0, "timed_out": 0}
    assert [status_of(emulator, import_id) for import_id in ids] == ["Canceled"] * 3


@pytest.mark.parametrize("fail_on_error", [True, False])
def test_role_names_the_import_whose_build_won_and_fails_at_the_end(emulator, tmp_path, fail_on_error):
    ids = one_running_two_pending(emulator, cancel_race="finished")
    role = include_role("cancel_imports", cancel_imports_imports=ids, cancel_imports_fail_on_error=fail_on_error,
                        **FAST)
    process, data = run_role_report(emulator, tmp_path, role, RESULTS, SUMMARY)
    assert (process.returncode != 0) == fail_on_error, process.stdout[-3000:]
    assert "Traceback" not in process.stdout + process.stderr
    results = by_id(data["results"])
    won = results[ids[0]]
    assert won["status"] == "Finished" and won["failed"] is True and won["changed"] is True, won
    assert won["timed_out"] is False
    assert "finished before the cancel took effect" in won["msg"] and "it is Finished, not Canceled" in won["msg"]
    assert ids[0] in won["msg"]
    for import_id in ids[1:]:
        assert results[import_id]["status"] == "Canceled" and results[import_id]["failed"] is False
    assert data["summary"] == {"requested": 3, "canceled": 3, "unchanged": 0, "failed": 1, "not_attempted": 0,
                               "confirmed_canceled": 2, "overtaken": 1, "timed_out": 0}
    if fail_on_error:
        assert "1 of 3 import(s) failed" in process.stdout and "finished before the cancel took effect" in process.stdout
    assert status_of(emulator, ids[0]) == "Finished"


def test_role_reports_imports_still_canceling_at_the_deadline_as_timed_out(emulator, tmp_path):
    ids = one_running_two_pending(emulator, cancel_seconds=3600)  # nothing ends Canceled during the test
    role = include_role("cancel_imports", cancel_imports_imports=ids, cancel_imports_wait=True,
                        cancel_imports_wait_timeout=1, cancel_imports_poll_interval=0.2)
    process, data = run_role_report(emulator, tmp_path, role, RESULTS, SUMMARY)
    assert process.returncode != 0, process.stdout[-3000:]
    for result in data["results"]:
        assert result["status"] == "Canceling" and result["changed"] is True, result
        assert result["failed"] is True and result["timed_out"] is True, result
        assert result["msg"].startswith("timed out after 1"), result
        assert "last seen Canceling" in result["msg"], result
    assert data["summary"] == {"requested": 3, "canceled": 3, "unchanged": 0, "failed": 3, "not_attempted": 0,
                               "confirmed_canceled": 0, "overtaken": 0, "timed_out": 3}
    # Every cancel was sent before the wait timed out.
    assert emulator.stats()["requests"].get(CANCEL_ROUTE, 0) == 3


def test_module_import_ids_with_wait_judges_each_and_leaves_the_ended_one_alone(emulator):
    done = stage_directly(emulator, "Payments Gateway")
    emulator.set_worker(paused=False)
    wait_until(lambda: status_of(emulator, done["id"]) == "Finished")
    emulator.set_worker(paused=True)  # so the next import starts with running()'s long build
    active = running(emulator, "HR Portal")
    pending = stage_directly(emulator, "Treasury Management")
    unknown = "00000000-0000-4000-8000-000000000000"
    ids = [active["id"], done["id"], unknown, pending["id"]]
    args = {"import_ids": ids, "wait": True, "wait_timeout": 30, "poll_interval": 0.2}
    run = run_module(emulator, "pa_import_cancel", args)
    assert run.rc != 0 and run["failed"] is True and run["changed"] is True, run.output
    assert "Traceback" not in run.output
    results = run["import_results"]
    assert [result["import_id"] for result in results] == ids
    assert [result["status"] for result in results] == ["Canceled", "Finished", None, "Canceled"]
    assert [result["failed"] for result in results] == [False, False, True, False]
    assert [result["timed_out"] for result in results] == [False] * 4
    assert "nothing to cancel" in results[1]["msg"] and results[1]["changed"] is False
    assert run["summary"] == {"requested": 4, "canceled": 2, "unchanged": 1, "failed": 1, "not_attempted": 0,
                              "confirmed_canceled": 2, "overtaken": 0, "timed_out": 0}
    assert run["msg"].startswith("1 of 4 import(s) failed: " + unknown) and run["timed_out"] is False
    assert api_get(emulator, "/application-imports/" + pending["id"])["buildStart"] is None  # it never ran


def test_module_import_ids_with_wait_succeeds_when_all_end_canceled(emulator):
    ids = one_running_two_pending(emulator)
    run = run_module(emulator, "pa_import_cancel", {"import_ids": ids, "wait": True, "poll_interval": 0.2})
    assert run.rc == 0, run.output
    assert run["changed"] is True
    assert run["msg"] == "canceled 3, unchanged 0 of 3; 3 confirmed Canceled"
    assert [result["status"] for result in run["import_results"]] == ["Canceled"] * 3


# Survey answers are strings; ids one per line or comma-separated. Without the wait the imports are still Canceling.
@pytest.mark.parametrize("wait,separator,worker,status,confirmed", [
    ("true", "\n", {}, "Canceled", 3),
    ("false", ",", {"cancel_seconds": 3600}, "Canceling", None),
])
def test_playbook_waits_only_when_the_survey_says_so(emulator, tmp_path, wait, separator, worker, status, confirmed):
    ids = one_running_two_pending(emulator, **worker)
    report = tmp_path / "cancel.json"
    process = run_playbook(emulator, CANCEL, {"import_ids": separator.join(ids), "wait": wait, "wait_timeout": "30",
                                              "report_path": str(report)})
    assert process.returncode == 0, process.stdout[-3000:]
    data = json.loads(report.read_text())
    assert [row["status"] for row in data["results"]] == [status] * 3
    assert data["summary"].get("confirmed_canceled") == confirmed and data["summary"]["failed"] == 0
    shown = "canceled 3, unchanged 0, failed 0 of 3" + (", confirmed Canceled 3" if confirmed else "")
    assert '"' + shown + '"' in process.stdout, process.stdout[-3000:]

"""Cancel with a wait through the cancel_imports role and playbooks/cancel_imports.yml: what the role adds (failing at
the end, or not, on an import whose build won) and the playbook's survey strings.

The module's judgement of each import (Canceled, overtaken, still Canceling at the deadline, not cancelable) is
tested in-process: tests/unit/plugins/modules/test_module_cancel_many_wait.py.
"""

import json

import pytest

from pa_testlib import REPO, include_role, run_playbook, run_role_report, running, stage_directly, status_of

CANCEL = REPO / "playbooks" / "cancel_imports.yml"
FAST = {"cancel_imports_wait": True, "cancel_imports_poll_interval": 0.2, "cancel_imports_wait_timeout": 30}
RESULTS, SUMMARY = "cancel_imports_results", "cancel_imports_summary"


def one_running_two_pending(emulator, **worker):
    """A Running import (HR Portal) and two Pending ones queued behind it; the ids in that order."""
    first = running(emulator, "HR Portal", **worker)
    return [first["id"]] + [stage_directly(emulator, name)["id"] for name in ("Treasury Management", "Payments Gateway")]


def by_id(results):
    return {result["import_id"]: result for result in results}


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

"""pa_import_cancel with import_ids and wait, in-process (tests/pa_modulelib.py): every cancel is sent first, then
all the imports are waited for together and each is judged: Canceled, overtaken by its build (contract 6.2: it may
still end Finished or Failed, tests/e2e/test_cancel_imports_wait.py through the role), still Canceling at the
deadline, or not cancelable.
"""

from pa_testlib import api_get, running, stage_directly, status_of, wait_until

CANCEL_ROUTE = "POST /api/application-imports/cancel"


def one_running_two_pending(emulator, **worker):
    """A Running import (HR Portal) and two Pending ones queued behind it; the ids in that order."""
    first = running(emulator, "HR Portal", **worker)
    return [first["id"]] + [stage_directly(emulator, name)["id"] for name in ("Treasury Management", "Payments Gateway")]


def test_import_ids_with_wait_judges_each_and_leaves_the_ended_one_alone(emulator, run_module):
    done = stage_directly(emulator, "Payments Gateway")
    emulator.set_worker(paused=False)
    wait_until(lambda: status_of(emulator, done["id"]) == "Finished")
    emulator.set_worker(paused=True)  # so the next import starts with running()'s long build
    active = running(emulator, "HR Portal")
    pending = stage_directly(emulator, "Treasury Management")
    unknown = "00000000-0000-4000-8000-000000000000"
    ids = [active["id"], done["id"], unknown, pending["id"]]
    args = {"import_ids": ids, "wait": True, "wait_timeout": 30, "poll_interval": 0.2}
    run = run_module("pa_import_cancel", args)
    assert run.rc != 0 and run["failed"] is True and run["changed"] is True, run.output
    assert "exception" not in run.result
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


def test_import_ids_with_wait_succeeds_when_all_end_canceled(emulator, run_module):
    ids = one_running_two_pending(emulator)
    run = run_module("pa_import_cancel", {"import_ids": ids, "wait": True, "poll_interval": 0.2})
    assert run.rc == 0, run.output
    assert run["changed"] is True
    assert run["msg"] == "canceled 3, unchanged 0 of 3; 3 confirmed Canceled"
    assert [result["import_id"] for result in run["import_results"]] == ids
    for result in run["import_results"]:
        assert result["status"] == "Canceled" and result["changed"] is True, result
        assert result["failed"] is False and result["timed_out"] is False, result
        assert result["msg"].endswith("; it is Canceled"), result
    assert run["summary"] == {"requested": 3, "canceled": 3, "unchanged": 0, "failed": 0, "not_attempted": 0,
                              "confirmed_canceled": 3, "overtaken": 0, "timed_out": 0}
    assert [status_of(emulator, import_id) for import_id in ids] == ["Canceled"] * 3


def test_imports_still_canceling_at_the_deadline_are_timed_out(emulator, run_module):
    ids = one_running_two_pending(emulator, cancel_seconds=3600)  # nothing ends Canceled during the test
    run = run_module("pa_import_cancel", {"import_ids": ids, "wait": True, "wait_timeout": 1, "poll_interval": 0.2})
    assert run.rc != 0 and run["failed"] is True, run.output
    for result in run["import_results"]:
        assert result["status"] == "Canceling" and result["changed"] is True, result
        assert result["failed"] is True and result["timed_out"] is True, result
        assert result["msg"].startswith("timed out after 1"), result
        assert "last seen Canceling" in result["msg"], result
    assert run["summary"] == {"requested": 3, "canceled": 3, "unchanged": 0, "failed": 3, "not_attempted": 0,
                              "confirmed_canceled": 0, "overtaken": 0, "timed_out": 3}
    # Every cancel was sent before the wait timed out.
    assert emulator.stats()["requests"].get(CANCEL_ROUTE, 0) == 3

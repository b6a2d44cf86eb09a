"""Waits end correctly (Finished, Failed, Canceled, timeout); cancel by application; the info modules."""

import threading
import time

import requests

from pa_testlib import TOKEN, application_id, imports_of, run_module

FAST = {"poll_interval": 0.2, "wait_timeout": 30}


def test_stage_waits_until_finished(emulator):
    emulator.set_worker(paused=False, build_seconds=0.5)
    run = run_module(emulator, "pa_import_stage", dict(FAST, application_name="HR Portal", wait=True))
    assert run.rc == 0, run.output
    record = run["application_import"]
    assert record["status"] == "Finished" and record["metrics"] and record["buildEnd"]


def test_stage_wait_fails_with_the_log_when_the_import_fails(emulator):
    emulator.set_worker(paused=False, build_seconds=0.3)
    run = run_module(emulator, "pa_import_stage", dict(FAST, application_name="Data Warehouse", wait=True))
    assert run["failed"] is True and "failed" in run["msg"]
    assert run["application_import"]["status"] == "Failed"
    assert run["log_tail"][-1].startswith("Error")


def test_stage_wait_fails_when_someone_cancels_it(emulator):
    emulator.set_worker(paused=False, build_seconds=0.3)
    app = application_id(emulator, "Risk Engine")  # never finishes on its own

    def cancel_when_running():
        headers = {"Authorization": "Bearer " + TOKEN}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            running = [row for row in imports_of(emulator, app) if row["status"] == "Running"]
            if running:
                requests.post(emulator.url + "/api/application-imports/cancel", headers=headers,
                              json={"applicationImportId": running[0]["id"]}, timeout=5)
                return
            time.sleep(0.05)

    canceler = threading.Thread(target=cancel_when_running)
    canceler.start()
    run = run_module(emulator, "pa_import_stage", dict(FAST, application_id=app, wait=True))
    canceler.join()
    assert run["failed"] is True and "was canceled" in run["msg"]
    assert run["application_import"]["status"] == "Canceled"


def test_wait_timeout_reports_the_last_record_and_can_cancel(emulator):
    emulator.set_worker(paused=False, build_seconds=0.3)
    started = time.monotonic()
    run = run_module(emulator, "pa_import_stage", {"application_name": "Risk Engine", "wait": True, "wait_timeout": 2,
                                                   "poll_interval": 0.3, "request_timeout": 5})
    elapsed = time.monotonic() - started
    assert run["failed"] is True and run["timed_out"] is True and "timed out after 2s" in run["msg"]
    assert run["application_import"]["status"] == "Running"
    # Documented bound: wait_timeout plus at most one request_timeout (plus the ansible process itself).
    assert elapsed < 2 + 5 + 5
    canceled = run_module(emulator, "pa_import_stage", {"application_name": "Risk Engine", "wait": True,
                                                        "wait_timeout": 1, "poll_interval": 0.3,
                                                        "cancel_on_timeout": True})
    assert canceled["failed"] is True and "cancel requested" in canceled["msg"]
    assert canceled["application_import"]["status"] in ("Canceling", "Canceled")


def test_cancel_all_active_of_an_application_is_idempotent_and_check_mode_sends_nothing(emulator):
    for dummy in range(2):
        run_module(emulator, "pa_import_stage", {"application_name": "Treasury Management", "reuse_pending": False})
    args = {"application_name": "Treasury Management", "all_active": True}
    check = run_module(emulator, "pa_import_cancel", args, check=True)
    assert check["changed"] is True and len(check["canceled_import_ids"]) == 2
    assert all(record["status"] == "Pending" for record in check["application_imports"])
    first = run_module(emulator, "pa_import_cancel", args)
    assert first["changed"] is True and sorted(first["canceled_import_ids"]) == sorted(check["canceled_import_ids"])
    assert all(record["status"] == "Canceling" for record in first["application_imports"])
    second = run_module(emulator, "pa_import_cancel", args)
    assert second["changed"] is False and second["application_imports"] == []
    without_confirmation = run_module(emulator, "pa_import_cancel", {"application_name": "Treasury Management"})
    assert without_confirmation["failed"] is True and without_confirmation["msg"].startswith("all_active:")


def test_import_info_walks_every_page_and_filters_by_status(emulator):
    app = application_id(emulator, "Core Banking")
    run_module(emulator, "pa_import_stage", {"application_id": app})
    everything = run_module(emulator, "pa_import_info", {"application_name": "Core Banking"})
    assert len(everything["application_imports"]) == len(imports_of(emulator, app)) == 131
    pending = run_module(emulator, "pa_import_info", {"application_id": app, "status": ["pending"]})
    assert [row["status"] for row in pending["application_imports"]] == ["Pending"]
    one = run_module(emulator, "pa_import_info", {"import_id": pending["application_imports"][0]["id"]})
    assert one["application_import"]["createdBy"].startswith("API Token - ")
    assert one["changed"] is False


def test_application_info_names_and_archived(emulator):
    reporting = run_module(emulator, "pa_application_info", {"name": "Reporting"})
    assert len(reporting["applications"]) == 2
    shared = run_module(emulator, "pa_application_info", {"name": "Shared Services"})
    assert [app["isArchived"] for app in shared["applications"]] == [False]
    both = run_module(emulator, "pa_application_info", {"name": "Shared Services", "include_archived": True})
    assert len(both["applications"]) == 2
    everything = run_module(emulator, "pa_application_info", {}, check=True)
    assert everything["changed"] is False and not any(app["isArchived"] for app in everything["applications"])
    ambiguous = run_module(emulator, "pa_import_stage", {"application_name": "Reporting"})
    assert ambiguous["failed"] is True and "2 active applications" in ambiguous["msg"]
    for app in reporting["applications"]:
        assert app["id"] in ambiguous["msg"]

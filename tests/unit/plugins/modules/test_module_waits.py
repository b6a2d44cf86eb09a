"""Waits end the way the modules document; cancel by application; the info modules.

Every module's main() runs in-process (tests/pa_modulelib.py) against the in-process emulator (reset, build job
paused, before each test); set-up and checks talk to the API directly. The bound of a wait (it ends at most one
request_timeout after wait_timeout) is proven with a fake clock in tests/unit/plugins/module_utils/
test_cancel_wait_deadline.py and test_client.py; here it is counted, never timed. The wait that runs out with and
without cancel_on_timeout is in test_module_faults.py (test_import_running_past_wait_timeout).
"""

import threading

from pa_testlib import api_get, api_post, application_id, imports_of, stage_directly, status_of, wait_until

FAST = {"poll_interval": 0.2, "wait_timeout": 30}
SINGLE_IMPORT_PATH = r"^/api/application-imports/[0-9a-f-]{36}$"


def running_import(emulator, app_id):
    return next((row for row in imports_of(emulator, app_id) if row["status"] == "Running"), None)


# Stage with wait: Finished, Failed, Canceled, timed out

def test_stage_wait_succeeds_when_the_import_finishes(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=0.3)
    run = run_module("pa_import_stage", dict(FAST, application_name="HR Portal", wait=True))
    assert run.rc == 0, run.output
    assert run["changed"] is True and run["failed"] is False
    record = run["application_import"]
    assert record["status"] == "Finished"
    assert record["metrics"] and record["buildStart"] and record["buildEnd"]
    assert status_of(emulator, record["id"]) == "Finished"


def test_stage_wait_fails_with_the_record_and_log_tail_when_the_import_fails(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=0.3)
    run = run_module("pa_import_stage", dict(FAST, application_name="Data Warehouse", wait=True))
    assert run.rc != 0 and run["failed"] is True
    assert run["msg"].endswith(" of Data Warehouse failed: the user extract has 0 rows; import stopped."), run["msg"]
    assert run["changed"] is True  # the import was staged even though the task failed
    record = run["application_import"]
    assert record["status"] == "Failed" and record["metrics"] is None
    assert run["log_tail"] == record["log"].splitlines()[-20:]
    assert run["log_tail"][-1].startswith("Error")


def test_stage_wait_fails_when_the_import_is_canceled_meanwhile(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=0.3)
    app = application_id(emulator, "Risk Engine")  # stays Running until canceled
    canceled = []

    def cancel_when_running():
        row = wait_until(lambda: running_import(emulator, app), timeout=20)
        canceled.append(api_post(emulator, "/application-imports/cancel", {"applicationImportId": row["id"]}))

    canceler = threading.Thread(target=cancel_when_running, daemon=True)
    canceler.start()
    run = run_module("pa_import_stage", dict(FAST, application_id=app, wait=True))
    canceler.join(5)
    assert canceled and canceled[0]["status"] == "Canceling", "the test never canceled the import"
    assert run.rc != 0 and run["failed"] is True and "was canceled" in run["msg"]
    assert run["application_import"]["id"] == canceled[0]["id"]
    assert run["application_import"]["status"] == "Canceled"
    assert "log_tail" in run.result


def test_wait_against_a_server_that_stops_answering_ends_within_its_bound_and_keeps_the_record(emulator, run_module):
    emulator.set_worker(paused=False, build_seconds=0.3)
    emulator.add_fault(method="GET", path=SINGLE_IMPORT_PATH, action="delay", seconds=4, times=5)
    wait_timeout, request_timeout = 2, 1.5
    # The only poll starts just before the deadline and hangs: the worst case the bound allows.
    run = run_module("pa_import_stage", {
        "application_name": "Risk Engine", "wait": True, "wait_timeout": wait_timeout, "poll_interval": 1.9,
        "request_timeout": request_timeout})
    assert run.rc != 0 and run["failed"] is True
    assert "no answer within 1.5s" in run["msg"] and "last seen Pending" in run["msg"]
    # The bound, counted rather than timed (a loaded machine stretches any wall-clock figure): the poll that hung at
    # the deadline was the only read of the import, never retried past the deadline (each retry would hang 4 s more).
    # (Counted by the delay rule, which takes one of its 5 uses when a read arrives: the emulator's own request count
    # comes only after the 4 s delay, later than this task ends.)
    [delay] = [rule for rule in emulator.faults.pending() if rule["action"] == "delay"]
    assert delay["times"] == 5 - 1
    # The import exists, so the failure still carries it (RETURN: "on failure once an import exists").
    assert run["application_import"]["application"]["name"] == "Risk Engine"
    emulator.faults.clear()
    assert status_of(emulator, run["application_import"]["id"]) == "Running"


# Cancel

def test_cancel_all_active_with_wait_ends_canceled(emulator, run_module):
    first = stage_directly(emulator, "Payments Gateway")
    second = stage_directly(emulator, "Payments Gateway")
    emulator.set_worker(paused=False, build_seconds=60)
    app = first["application"]["id"]
    wait_until(lambda: running_import(emulator, app))
    run = run_module("pa_import_cancel", dict(FAST, application_name="Payments Gateway", all_active=True,
                                              wait=True))
    assert run.rc == 0, run.output
    assert run["changed"] is True
    assert sorted(run["canceled_import_ids"]) == sorted([first["id"], second["id"]])
    assert [record["status"] for record in run["application_imports"]] == ["Canceled", "Canceled"]
    assert [status_of(emulator, i) for i in (first["id"], second["id"])] == ["Canceled", "Canceled"]


def test_cancel_wait_times_out_reporting_the_cancel_it_sent(emulator, run_module):
    staged = stage_directly(emulator, "Payments Gateway")  # the paused build job never gets to skip it
    args = {"import_id": staged["id"], "wait": True, "wait_timeout": 1, "poll_interval": 0.2, "request_timeout": 5}
    run = run_module("pa_import_cancel", args)
    assert run.rc != 0 and run["failed"] is True and run["timed_out"] is True
    assert "last seen Canceling" in run["msg"]
    assert run["changed"] is True  # the cancel was sent even though the wait failed
    assert run["application_import"]["status"] == "Canceling"
    assert emulator.stats()["requests"]["POST /api/application-imports/cancel"] == 1


def test_cancel_all_active_cancels_pending_and_running_only_of_that_application(emulator, run_module):
    staged = run_module("pa_import_stage", {"applications": [
        {"name": "Treasury Management", "reuse_pending": False},
        {"name": "Treasury Management", "reuse_pending": False}]})
    assert staged.rc == 0 and staged["summary"]["staged"] == 2, staged.output
    ids = [result["import_id"] for result in staged["application_results"]]
    bystander = stage_directly(emulator, "HR Portal")
    # The first one Running (the build job runs one import at a time, oldest first), the second still Pending.
    emulator.set_worker(paused=False, build_seconds=60)
    wait_until(lambda: status_of(emulator, ids[0]) == "Running")
    emulator.set_worker(paused=True)
    args = {"application_name": "Treasury Management", "all_active": True}

    check = run_module("pa_import_cancel", args, check=True)
    assert check.rc == 0, check.output
    assert check["changed"] is True and sorted(check["canceled_import_ids"]) == sorted(ids)
    assert sorted(record["status"] for record in check["application_imports"]) == ["Pending", "Running"]
    assert [status_of(emulator, i) for i in ids] == ["Running", "Pending"]  # check mode sent nothing

    first = run_module("pa_import_cancel", args)
    assert first.rc == 0, first.output
    assert first["changed"] is True and sorted(first["canceled_import_ids"]) == sorted(ids)
    assert [record["status"] for record in first["application_imports"]] == ["Canceling", "Canceling"]
    assert wait_until(lambda: status_of(emulator, ids[0]) == "Canceled")  # the running build stopped
    assert status_of(emulator, ids[1]) == "Canceling"  # skipped when the paused job gets to it
    assert status_of(emulator, bystander["id"]) == "Pending"

    second = run_module("pa_import_cancel", args)
    assert second.rc == 0, second.output
    assert second["changed"] is False
    assert second["canceled_import_ids"] == [] and second["application_imports"] == []


# Info modules

def test_import_info_walks_every_page_and_filters_by_status(emulator, run_module):
    app = application_id(emulator, "Core Banking")
    stage_directly(emulator, "Core Banking")
    direct = imports_of(emulator, app)
    assert len(direct) > 100  # 3 pages of 50

    everything = run_module("pa_import_info", {"application_name": "Core Banking"})
    assert everything.rc == 0 and everything["changed"] is False, everything.output
    listed = [row["id"] for row in everything["application_imports"]]
    assert listed == [row["id"] for row in direct] and len(set(listed)) == len(listed)

    filtered = run_module("pa_import_info", {"application_id": app, "status": ["finished", "PENDING"]})
    expected = [row["id"] for row in direct if row["status"] in ("Finished", "Pending")]
    assert [row["id"] for row in filtered["application_imports"]] == expected
    assert {row["status"] for row in filtered["application_imports"]} == {"Finished", "Pending"}
    assert len(expected) > 100


def test_import_info_by_unknown_application_id_fails_naming_it(emulator, run_module):
    unknown = "0badc0de-0000-4000-8000-000000000000"
    run = run_module("pa_import_info", {"application_id": unknown.upper()})
    assert run["failed"] is True and run["msg"] == "application_id: no application with id " + unknown, run.output
    assert "Traceback" not in run.output and "exception" not in run.result
    assert emulator.stats()["requests"] == {"GET /api/applications/{id}": 1}  # the list was never read


def test_import_info_by_application_id_checks_it_then_lists(emulator, run_module):
    card_issuing = run_module("pa_import_info", {"application_id": application_id(emulator, "Card Issuing")})
    assert card_issuing.rc == 0 and card_issuing["application_imports"] == [], card_issuing.output  # no imports yet
    legacy = application_id(emulator, "Legacy Mainframe", archived=True)  # archived: still readable
    archived = run_module("pa_import_info", {"application_id": legacy})
    assert [row["id"] for row in archived["application_imports"]] == [row["id"] for row in imports_of(emulator, legacy)]
    assert len(archived["application_imports"]) == 5
    requests = emulator.stats()["requests"]
    assert requests["GET /api/applications/{id}"] == 2 and requests["GET /api/application-imports"] == 3


def test_application_info_by_name_and_archived(emulator, run_module):
    reporting = run_module("pa_application_info", {"name": "Reporting"})
    assert reporting.rc == 0 and reporting["changed"] is False, reporting.output
    expected = [app["id"] for app in api_get(emulator, "/applications")["items"] if app["name"] == "Reporting"]
    assert len(expected) == 2
    assert sorted(app["id"] for app in reporting["applications"]) == sorted(expected)

    active = run_module("pa_application_info", {"name": "Shared Services"})
    both = run_module("pa_application_info", {"name": "Shared Services", "include_archived": True})
    assert [app["isArchived"] for app in active["applications"]] == [False]
    assert sorted(app["isArchived"] for app in both["applications"]) == [False, True]

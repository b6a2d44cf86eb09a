"""The two import modules' main() in-process (tests/pa_modulelib.py) against the emulator over HTTP.

What the removed integration target pa_import_stage asserted is here too (check mode, reuse, reuse_pending false,
archived and unscheduled applications, wait_timeout 0). The token at -vvvv is tests/e2e/test_secrets.py's; a cancel
waited for through Canceling is test_module_stricter_readings.py's; malformed GUIDs are test_module_bad_input.py's.
"""

import uuid

from pa_testlib import application_id, imports_of


def stats_created(emulator):
    return emulator.stats()["imports_created"]


def test_stage_returns_the_pending_record(emulator, run_module):
    app = application_id(emulator, "Core Banking")
    run = run_module("pa_import_stage", {"application_id": app, "reuse_pending": False})
    assert run.rc == 0, run.output
    assert run["changed"] is True
    record = run["application_import"]
    assert record["status"] == "Pending"
    assert record["application"]["id"] == app
    assert record["buildStart"] is None
    assert stats_created(emulator) == 1


def test_stage_reuses_pending_import(emulator, run_module):
    app = application_id(emulator, "HR Portal")
    first = run_module("pa_import_stage", {"application_id": app})
    second = run_module("pa_import_stage", {"application_id": app})
    assert first["changed"] is True and second["changed"] is False
    assert second["reused"] is True and second["predicted"] is False
    assert second["application_import"]["id"] == first["application_import"]["id"]
    assert stats_created(emulator) == 1
    # reuse_pending false stages a new one every run, with the next number.
    third = run_module("pa_import_stage", {"application_name": "HR Portal", "reuse_pending": False})
    assert third["changed"] is True and third["reused"] is False
    assert third["application_import"]["number"] > first["application_import"]["number"]
    pending = run_module("pa_import_info", {"application_name": "HR Portal", "status": ["Pending"]})
    assert sorted(row["id"] for row in pending["application_imports"]) == sorted(
        run["application_import"]["id"] for run in (first, third))


def test_stage_by_name_uppercase_guid_and_check_mode(emulator, run_module):
    app = application_id(emulator, "Treasury Management")
    predicted = run_module("pa_import_stage", {"application_id": app.upper()}, check=True)
    assert predicted.rc == 0, predicted.output
    assert predicted["changed"] is True and predicted["predicted"] is True and predicted["reused"] is False
    record = predicted["application_import"]
    assert (record["id"], record["number"], record["status"]) == (None, None, "Pending")
    assert record["application"]["name"] == "Treasury Management"
    assert stats_created(emulator) == 0
    staged = run_module("pa_import_stage", {"application_name": "Treasury Management"})
    assert staged["application_import"]["application"]["id"] == app
    again = run_module("pa_import_stage", {"application_name": "Treasury Management"}, check=True)
    assert again["changed"] is False and again["application_import"]["id"] == staged["application_import"]["id"]
    assert again["reused"] is True and again["predicted"] is False
    assert stats_created(emulator) == 1


def test_cancel_then_cancel_again_without_change(emulator, run_module):
    app = application_id(emulator, "Payments Gateway")
    staged = run_module("pa_import_stage", {"application_id": app})
    import_id = staged["application_import"]["id"]
    check = run_module("pa_import_cancel", {"import_id": import_id}, check=True)
    assert check["changed"] is True and check["application_import"]["status"] == "Pending"
    first = run_module("pa_import_cancel", {"import_id": import_id})
    assert first.rc == 0, first.output
    assert first["changed"] is True and first["application_import"]["status"] == "Canceling"
    second = run_module("pa_import_cancel", {"import_id": import_id})
    assert second["changed"] is False
    assert second["application_import"]["status"] in ("Canceling", "Canceled")


def test_cancel_of_finished_import_reports_nothing_to_cancel(emulator, run_module):
    app = application_id(emulator, "Core Banking")
    finished = next(row for row in imports_of(emulator, app) if row["status"] == "Finished")
    run = run_module("pa_import_cancel", {"import_id": finished["id"]})
    assert run.rc == 0 and run["changed"] is False and run["cancelable"] is False
    assert "nothing to cancel" in run["msg"] and run["application_import"]["status"] == "Finished"
    strict = run_module("pa_import_cancel", {"import_id": finished["id"], "fail_if_not_cancelable": True})
    assert strict["failed"] is True and "nothing to cancel" in strict["msg"] and "already Finished" in strict["msg"]


def test_cancel_unknown_import_fails_with_not_found(run_module):
    unknown = str(uuid.uuid4())
    run = run_module("pa_import_cancel", {"import_id": unknown})
    assert run["failed"] is True
    assert "no import with id " + unknown in run["msg"], run["msg"]


def test_cancel_race_409_is_not_a_crash(emulator, run_module):
    app = application_id(emulator, "Core Banking")
    staged = run_module("pa_import_stage", {"application_id": app})
    # The cancel answer says 409 as if the import ended between our read and the cancel.
    emulator.add_fault(method="POST", path="^/api/application-imports/cancel$", action="status", status=409, body="json")
    run = run_module("pa_import_cancel", {"import_id": staged["application_import"]["id"]})
    assert run.rc != 0 or run["changed"] is False
    assert "Traceback" not in run.output


def test_stage_archived_application_fails_naming_the_field(emulator, run_module):
    app = application_id(emulator, "Legacy Mainframe", archived=True)
    run = run_module("pa_import_stage", {"application_id": app, "reuse_pending": False})
    assert run["failed"] is True and run["status"] == 400
    assert "HTTP 400" in run["msg"] and "Application is archived" in run["msg"] and "applicationId" in run["msg"]
    assert run["field_errors"][0]["field"] == "applicationId"
    assert len(run["correlation_id"]) == 32
    predicted = run_module("pa_import_stage", {"application_id": app}, check=True)
    assert predicted["failed"] is True and "is archived; staging would fail" in predicted["msg"]


def test_stage_unscheduled_application_fails_with_422(emulator, run_module):
    app = application_id(emulator, "Card Issuing")
    run = run_module("pa_import_stage", {"application_id": app})
    assert run["failed"] is True and run["status"] == 422
    assert "HTTP 422" in run["msg"] and "no import schedule" in run["msg"]


def test_stage_unknown_application_fails(emulator, run_module):
    run = run_module("pa_import_stage", {"application_id": str(uuid.uuid4()), "reuse_pending": False})
    assert run["failed"] is True and "HTTP 400" in run["msg"]
    assert stats_created(emulator) == 0


def test_connection_options_from_environment_are_coerced(emulator, run_module):
    app = application_id(emulator, "Core Banking")
    emulator.add_fault(method="GET", path="^/api/application-imports", action="status", status=503, body="json", times=9)
    before = emulator.stats()["total"]
    refused = run_module("pa_import_info", {"application_id": app}, env={"PA_REQUEST_RETRIES": "2"})
    assert refused["failed"] is True and "HTTP 503" in refused["msg"]
    # The application read first, then one try of the list and PA_REQUEST_RETRIES=2 retries.
    assert emulator.stats()["total"] - before == 4, emulator.stats()
    assert emulator.stats()["requests"]["GET /api/application-imports"] == 3
    emulator.reset()
    emulator.add_fault(method="GET", path="^/api/application-imports", action="delay", seconds=1.5)
    slow = run_module("pa_import_info", {"application_id": app},
                      env={"PA_REQUEST_TIMEOUT": "0.25", "PA_REQUEST_RETRIES": "0", "PA_VALIDATE_CERTS": "false"})
    assert slow["failed"] is True and "no answer within 0.25s" in slow["msg"]
    bad = run_module("pa_import_info", {}, env={"PA_REQUEST_TIMEOUT": "soon"})
    assert bad["failed"] is True and "request_timeout" in bad["msg"]


def test_url_without_scheme_fails_naming_pa_url(run_module):
    run = run_module("pa_application_info", {}, env={"PA_URL": "pa.example.com"})
    assert run["failed"] is True and run["msg"].startswith("pa_url:")


def test_wait_timeout_zero_fails_naming_it(emulator, run_module):
    run = run_module("pa_import_stage", {"application_name": "Payments Gateway", "wait": True, "wait_timeout": 0})
    assert run["failed"] is True and run["msg"] == "wait_timeout: must be greater than 0 seconds"
    assert emulator.stats()["total"] == 0

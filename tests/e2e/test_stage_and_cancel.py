"""The two import modules through the ansible CLI, from the built tarball, against the emulator over HTTP."""

import uuid

from pa_testlib import TOKEN, application_id, imports_of, run_module


def stats_created(emulator):
    return emulator.stats()["imports_created"]


def test_stage_returns_the_pending_record(emulator):
    app = application_id(emulator, "Core Banking")
    run = run_module(emulator, "pa_import_stage", {"application_id": app, "reuse_pending": False})
    assert run.rc == 0, run.output
    assert run["changed"] is True
    record = run["application_import"]
    assert record["status"] == "Pending"
    assert record["application"]["id"] == app
    assert record["buildStart"] is None
    assert stats_created(emulator) == 1


def test_stage_reuses_pending_import(emulator):
    app = application_id(emulator, "HR Portal")
    first = run_module(emulator, "pa_import_stage", {"application_id": app})
    second = run_module(emulator, "pa_import_stage", {"application_id": app})
    assert first["changed"] is True and second["changed"] is False
    assert second["reused"] is True
    assert second["application_import"]["id"] == first["application_import"]["id"]
    assert stats_created(emulator) == 1


def test_stage_by_name_uppercase_guid_and_check_mode(emulator):
    app = application_id(emulator, "Treasury Management")
    predicted = run_module(emulator, "pa_import_stage", {"application_id": app.upper()}, check=True)
    assert predicted.rc == 0, predicted.output
    assert predicted["changed"] is True and predicted["predicted"] is True
    assert predicted["application_import"]["id"] is None
    assert stats_created(emulator) == 0
    staged = run_module(emulator, "pa_import_stage", {"application_name": "Treasury Management"})
    assert staged["application_import"]["application"]["id"] == app
    again = run_module(emulator, "pa_import_stage", {"application_name": "Treasury Management"}, check=True)
    assert again["changed"] is False and again["application_import"]["id"] == staged["application_import"]["id"]
    assert stats_created(emulator) == 1


def test_cancel_then_cancel_again_without_change(emulator):
    app = application_id(emulator, "Payments Gateway")
    staged = run_module(emulator, "pa_import_stage", {"application_id": app})
    import_id = staged["application_import"]["id"]
    check = run_module(emulator, "pa_import_cancel", {"import_id": import_id}, check=True)
    assert check["changed"] is True and check["application_import"]["status"] == "Pending"
    first = run_module(emulator, "pa_import_cancel", {"import_id": import_id})
    assert first.rc == 0, first.output
    assert first["changed"] is True and first["application_import"]["status"] == "Canceling"
    second = run_module(emulator, "pa_import_cancel", {"import_id": import_id})
    assert second["changed"] is False
    assert second["application_import"]["status"] in ("Canceling", "Canceled")


def test_cancel_waits_for_canceled(emulator):
    app = application_id(emulator, "Payments Gateway")
    staged = run_module(emulator, "pa_import_stage", {"application_id": app})
    emulator.set_worker(paused=False, build_seconds=60)  # it is Running when the cancel arrives
    run = run_module(emulator, "pa_import_cancel", {"import_id": staged["application_import"]["id"], "wait": True,
                                                    "poll_interval": 0.2, "wait_timeout": 30})
    assert run.rc == 0, run.output
    assert run["changed"] is True and run["application_import"]["status"] == "Canceled"
    assert run["application_import"]["buildStart"] is not None


def test_cancel_of_finished_import_reports_nothing_to_cancel(emulator):
    app = application_id(emulator, "Core Banking")
    finished = next(row for row in imports_of(emulator, app) if row["status"] == "Finished")
    run = run_module(emulator, "pa_import_cancel", {"import_id": finished["id"]})
    assert run.rc == 0 and run["changed"] is False and run["cancelable"] is False
    assert "nothing to cancel" in run["msg"]
    strict = run_module(emulator, "pa_import_cancel", {"import_id": finished["id"], "fail_if_not_cancelable": True})
    assert strict["failed"] is True and "nothing to cancel" in strict["msg"]


def test_cancel_unknown_import_fails_with_not_found(emulator):
    run = run_module(emulator, "pa_import_cancel", {"import_id": str(uuid.uuid4())})
    assert run["failed"] is True
    assert "not found" in run["msg"] or "no import" in run["msg"]


def test_cancel_race_409_is_not_a_crash(emulator):
    app = application_id(emulator, "Core Banking")
    staged = run_module(emulator, "pa_import_stage", {"application_id": app})
    # The cancel answer says 409 as if the import ended between our read and the cancel.
    emulator.add_fault(method="POST", path="^/api/application-imports/cancel$", action="status", status=409, body="json")
    run = run_module(emulator, "pa_import_cancel", {"import_id": staged["application_import"]["id"]})
    assert run.rc != 0 or run["changed"] is False
    assert "Traceback" not in run.output


def test_stage_archived_application_fails_naming_the_field(emulator):
    app = application_id(emulator, "Legacy Mainframe", archived=True)
    run = run_module(emulator, "pa_import_stage", {"application_id": app, "reuse_pending": False})
    assert run["failed"] is True
    assert "HTTP 400" in run["msg"] and "archived" in run["msg"] and "applicationId" in run["msg"]
    assert len(run["correlation_id"]) == 32
    predicted = run_module(emulator, "pa_import_stage", {"application_id": app}, check=True)
    assert predicted["failed"] is True and "archived" in predicted["msg"]


def test_stage_unscheduled_application_fails_with_422(emulator):
    app = application_id(emulator, "Card Issuing")
    run = run_module(emulator, "pa_import_stage", {"application_id": app})
    assert run["failed"] is True
    assert "HTTP 422" in run["msg"] and "schedule" in run["msg"]


def test_stage_unknown_application_fails(emulator):
    run = run_module(emulator, "pa_import_stage", {"application_id": str(uuid.uuid4()), "reuse_pending": False})
    assert run["failed"] is True and "HTTP 400" in run["msg"]
    assert stats_created(emulator) == 0


def test_malformed_guid_fails_before_any_request(emulator):
    before = emulator.stats()["total"]
    run = run_module(emulator, "pa_import_stage", {"application_id": "not-a-guid"})
    assert run["failed"] is True
    assert run["msg"].startswith("application_id:") and "not a GUID" in run["msg"]
    cancel = run_module(emulator, "pa_import_cancel", {"import_id": "1234"})
    assert cancel["msg"].startswith("import_id:")
    assert emulator.stats()["total"] == before
    assert "Traceback" not in run.output + cancel.output


def test_bad_token_fails_clearly_and_never_shows_the_token(emulator):
    app = application_id(emulator, "Core Banking")
    run = run_module(emulator, "pa_import_stage", {"application_id": app},
                     env={"PA_TOKEN": "pa_wrong_secret_value"}, verbosity=4)
    assert run["failed"] is True and "HTTP 401" in run["msg"] and "unauthorized" in run["msg"]
    assert "pa_wrong_secret_value" not in run.output
    assert "pa_wrong_secret_value" not in str(run.result)


def test_good_token_never_in_verbose_output(emulator):
    app = application_id(emulator, "Core Banking")
    run = run_module(emulator, "pa_import_stage", {"application_id": app}, verbosity=4)
    assert run.rc == 0
    assert TOKEN not in run.output and TOKEN not in str(run.result)


def test_connection_options_from_environment_are_coerced(emulator):
    app = application_id(emulator, "Core Banking")
    emulator.add_fault(method="GET", path="^/api/application-imports", action="status", status=503, body="json", times=9)
    before = emulator.stats()["total"]
    refused = run_module(emulator, "pa_import_info", {"application_id": app}, env={"PA_REQUEST_RETRIES": "2"})
    assert refused["failed"] is True and "HTTP 503" in refused["msg"]
    # The application read first, then one try of the list and PA_REQUEST_RETRIES=2 retries.
    assert emulator.stats()["total"] - before == 4, emulator.stats()
    assert emulator.stats()["requests"]["GET /api/application-imports"] == 3
    emulator.reset()
    emulator.add_fault(method="GET", path="^/api/application-imports", action="delay", seconds=1.5)
    slow = run_module(emulator, "pa_import_info", {"application_id": app},
                      env={"PA_REQUEST_TIMEOUT": "0.25", "PA_REQUEST_RETRIES": "0", "PA_VALIDATE_CERTS": "false"})
    assert slow["failed"] is True and "no answer within 0.25s" in slow["msg"]
    bad = run_module(emulator, "pa_import_info", {}, env={"PA_REQUEST_TIMEOUT": "soon"})
    assert bad["failed"] is True and "request_timeout" in bad["msg"]


def test_url_without_scheme_fails_naming_pa_url(emulator):
    run = run_module(emulator, "pa_application_info", {}, env={"PA_URL": "pa.example.com"})
    assert run["failed"] is True and run["msg"].startswith("pa_url:")

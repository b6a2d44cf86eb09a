"""POST /api/application-imports/stage and /cancel: every documented status row (contract 6.5, 6.6)."""

import uuid

import pytest

from emu_helpers import (CARD_ISSUING, CORE_BANKING, FULL_FIELDS, HR_PORTAL, LEGACY_MAINFRAME, PAYMENTS, SHARED_ACTIVE,
                         SHARED_ARCHIVED, Api, assert_error)


def test_stage_returns_201_with_a_pending_full_record(api, emulator):
    response = api.post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert response.status_code == 201
    record = response.json()
    assert set(record) == FULL_FIELDS
    assert record["kind"] == "Application Import" and record["status"] == "Pending"
    assert record["buildStart"] is None and record["buildEnd"] is None and record["log"] is None
    assert record["metrics"] is None and record["files"] == []
    assert record["createdBy"] == "API Token - Automation Service"
    assert record["type"].lower() == "api"
    assert record["application"]["id"] == CORE_BANKING and record["application"]["name"] == "Core Banking"
    uuid.UUID(record["id"])
    assert record["id"] == record["id"].lower()
    assert api.record(record["id"]) == record
    assert emulator.stats()["imports_created"] == 1


def test_stage_is_not_idempotent_and_numbers_are_one_global_sequence(api, emulator):
    records = [api.stage(app) for app in (CORE_BANKING, CORE_BANKING, HR_PORTAL, CORE_BANKING)]
    assert len({record["id"] for record in records}) == 4
    numbers = [record["number"] for record in records]
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    total = api.get("/application-imports").json()["totalCount"]
    assert numbers[-1] == total  # one sequence over every application's imports, history included
    rows = api.get("/application-imports", applicationId=CORE_BANKING, page=3).json()["items"]
    assert sum(row["status"] == "Pending" for row in rows) == 3
    assert emulator.stats()["imports_created"] == 4


def test_type_alternates_between_the_documented_spellings(api):
    types = [api.stage(PAYMENTS)["type"] for dummy in range(4)]
    assert types == ["API", "Api", "API", "Api"]


@pytest.mark.parametrize("spelling", ["API", "Api"])
def test_type_spelling_knob(make_emulator, spelling):
    api = Api(make_emulator(type_spelling=spelling, worker_paused=True))
    assert {api.stage(PAYMENTS)["type"] for dummy in range(3)} == {spelling}


@pytest.mark.parametrize("body,message", [
    ({}, "Application ID is required"),
    ({"applicationId": None}, "Application ID is required"),
    ({"applicationId": ""}, "Application ID is required"),
    ({"applicationId": 42}, None),
    ({"applicationId": ["x"]}, None),
    ({"applicationId": "not-a-guid"}, None),
    ({"applicationId": "{" + CORE_BANKING + "}"}, None),
    ({"applicationId": str(uuid.uuid4())}, "Application not found"),
    ({"applicationId": CORE_BANKING.upper()}, "Application not found"),
    ({"applicationId": LEGACY_MAINFRAME}, "Application is archived"),
    ({"applicationId": SHARED_ARCHIVED}, "Application is archived"),
], ids=["missing", "null", "empty", "number", "list", "malformed", "braces", "unknown", "upper-case", "archived",
        "archived-twin"])
def test_stage_validation_errors_are_400_on_application_id(api, emulator, body, message):
    error = assert_error(api.post("/application-imports/stage", body), 400, "validation_error", field="applicationId")
    assert error["message"] == "One or more validation errors occurred"
    if message:
        assert error["errors"][0]["message"] == message
    assert emulator.stats()["imports_created"] == 0


def test_stage_without_import_schedule_is_422(api, emulator):
    error = assert_error(api.post("/application-imports/stage", {"applicationId": CARD_ISSUING}), 422,
                         "unprocessable_entity")
    assert error["message"] == "Application has no import schedule configured"
    assert emulator.stats()["imports_created"] == 0


def test_unknown_body_fields_are_ignored(api):
    assert api.post("/application-imports/stage", {"applicationId": SHARED_ACTIVE, "extra": 1}).status_code == 201


def test_cancel_pending_returns_200_canceling(api):
    record = api.stage(CORE_BANKING)
    response = api.cancel(record["id"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == FULL_FIELDS
    assert body["status"] == "Canceling" and body["id"] == record["id"] and body["buildStart"] is None
    assert body["application"]["id"] == CORE_BANKING
    assert api.record(record["id"])["status"] == "Canceling"


@pytest.mark.parametrize("body,message", [
    ({}, "Application import ID is required"),
    ({"applicationImportId": None}, "Application import ID is required"),
    ({"applicationImportId": ""}, "Application import ID is required"),
    ({"applicationImportId": "nope"}, None),
    ({"applicationImportId": 7}, None),
], ids=["missing", "null", "empty", "malformed", "number"])
def test_cancel_validation_errors(api, body, message):
    error = assert_error(api.post("/application-imports/cancel", body), 400, "validation_error",
                         field="applicationImportId")
    if message:
        assert error["errors"][0]["message"] == message


def test_cancel_unknown_import_is_404(api):
    import_id = str(uuid.uuid4())
    assert import_id in assert_error(api.cancel(import_id), 404, "not_found")["message"]
    record = api.stage(CORE_BANKING)
    assert_error(api.cancel(record["id"].upper()), 404, "not_found")  # exact, case-sensitive match


def test_cancel_refused_while_canceling(api):
    record = api.stage(CORE_BANKING)
    assert api.cancel(record["id"]).status_code == 200
    error = assert_error(api.cancel(record["id"]), 409, "conflict")
    assert error["message"] == "Import is already being canceled"
    assert "Canceling" not in error["message"]


@pytest.mark.parametrize("status", ["Finished", "Failed"])
def test_cancel_refused_on_terminal_history(api, status):
    rows = api.get("/application-imports", applicationId=CORE_BANKING).json()["items"]
    row = next(row for row in rows if row["status"] == status)
    error = assert_error(api.cancel(row["id"]), 409, "conflict")
    assert error["message"] == "Import is already in a terminal state"
    assert api.record(row["id"])["status"] == status


def test_cancel_refused_on_canceled(api, emulator):
    record = api.stage(HR_PORTAL)
    api.cancel(record["id"])
    emulator.set_worker(paused=False)
    api.wait_for(record["id"], ("Canceled",))
    error = assert_error(api.cancel(record["id"]), 409, "conflict")
    assert error["message"] == "Import is already in a terminal state"

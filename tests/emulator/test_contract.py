"""The emulator against the API contract (../shared/api/permission-assist-api.md), over real HTTP."""

import time
import uuid

import pytest
import requests

from conftest import Api
from pa_testlib import application_id

CORE = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"
LIST_FIELDS = {"id", "kind", "number", "type", "status", "buildStart", "buildEnd", "application"}
FULL_FIELDS = LIST_FIELDS | {"createdBy", "log", "files", "metrics"}


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code and body["message"]
    assert len(body["correlationId"]) == 32 and int(body["correlationId"], 16) >= 0
    return body


def wait_for(api, import_id, statuses, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = api.get("/application-imports/" + import_id).json()
        if record["status"] in statuses:
            return record
        time.sleep(0.02)
    raise AssertionError("{0} never reached {1}".format(import_id, statuses))


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "pa_test_0123456789abcdef"])
def test_auth_is_required_on_every_endpoint(emulator, header):
    headers = {"Authorization": header} if header else {}
    for method, path in [("GET", "/applications"), ("GET", "/application-imports"), ("POST", "/application-imports/stage"),
                         ("GET", "/no-such-thing")]:
        response = requests.request(method, emulator.url + "/api" + path, headers=headers, json={}, timeout=5)
        body = assert_error(response, 401, "unauthorized")
        assert "errors" not in body


def test_unknown_path_and_wrong_method(api):
    assert_error(api.get("/nothing-here"), 404, "not_found")
    response = api.session.delete(api.base + "/application-imports/stage", timeout=5)
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"].split(", ")


def test_stage_creates_a_pending_record(api, emulator):
    response = api.post("/application-imports/stage", {"applicationId": CORE})
    assert response.status_code == 201
    record = response.json()
    assert set(record) == FULL_FIELDS
    assert record["status"] == "Pending" and record["kind"] == "Application Import"
    assert record["buildStart"] is None and record["buildEnd"] is None and record["log"] is None
    assert record["files"] == [] and record["metrics"] is None
    assert record["createdBy"] == "API Token - Collection Tests"
    assert record["type"] in ("API", "Api")
    assert record["application"]["id"] == CORE and record["application"]["kind"] == "Application"
    second = api.post("/application-imports/stage", {"applicationId": CORE}).json()
    assert second["id"] != record["id"] and second["number"] > record["number"]
    assert {record["type"], second["type"]} == {"API", "Api"}  # both documented spellings occur
    assert emulator.stats()["imports_created"] == 2


@pytest.mark.parametrize("body,field", [({}, "applicationId"), ({"applicationId": "xyz"}, "applicationId"),
                                        ({"applicationId": CORE.upper()}, "applicationId"),
                                        ({"applicationId": str(uuid.uuid4())}, "applicationId")])
def test_stage_validation_errors(api, body, field):
    error = assert_error(api.post("/application-imports/stage", body), 400, "validation_error")
    assert error["errors"][0]["field"] == field


def test_stage_archived_and_unscheduled(api, emulator):
    archived = application_id(emulator, "Legacy Mainframe", archived=True)
    error = assert_error(api.post("/application-imports/stage", {"applicationId": archived}), 400, "validation_error")
    assert error["errors"] == [{"field": "applicationId", "message": "Application is archived"}]
    unscheduled = application_id(emulator, "Card Issuing")
    assert_error(api.post("/application-imports/stage", {"applicationId": unscheduled}), 422, "unprocessable_entity")
    assert emulator.stats()["imports_created"] == 0


def test_post_needs_a_json_object(api):
    response = api.session.post(api.base + "/application-imports/stage", data="applicationId=x",
                                headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=5)
    assert_error(response, 400, "validation_error")
    assert_error(api.post("/application-imports/stage", ["not", "an", "object"]), 400, "validation_error")


def test_list_paging_and_order(api):
    staged = api.post("/application-imports/stage", {"applicationId": CORE}).json()
    first = api.get("/application-imports", applicationId=CORE).json()
    assert first["page"] == 1 and first["pageSize"] == 50 and len(first["items"]) == 50
    assert first["totalCount"] == 131 and first["totalPages"] == 3
    rows = first["items"] + api.get("/application-imports", applicationId=CORE, page=2).json()["items"]
    last = api.get("/application-imports", applicationId=CORE, page=3).json()
    rows += last["items"]
    assert len(rows) == 131 and len(set(row["id"] for row in rows)) == 131
    assert all(set(row) == LIST_FIELDS for row in rows)
    assert rows[-1]["id"] == staged["id"] and rows[-1]["buildStart"] is None  # never-started imports sort last
    starts = [row["buildStart"] for row in rows[:-1]]
    assert starts == sorted(starts, reverse=True)
    past = api.get("/application-imports", applicationId=CORE, page=9).json()
    assert past["items"] == [] and past["totalCount"] == 131


@pytest.mark.parametrize("params,field", [({"page": 0}, "page"), ({"page": "two"}, "page"),
                                          ({"applicationId": "nope"}, "applicationId")])
def test_list_bad_parameters(api, params, field):
    error = assert_error(api.get("/application-imports", **params), 400, "validation_error")
    assert error["errors"][0]["field"] == field


def test_list_unknown_application_is_empty(api):
    body = api.get("/application-imports", applicationId=str(uuid.uuid4())).json()
    assert body["items"] == [] and body["totalCount"] == 0


def test_applications(api):
    listing = api.get("/applications").json()
    names = [app["name"] for app in listing["items"]]
    assert names == sorted(names)
    assert any(app["isArchived"] for app in listing["items"])
    assert set(listing["items"][0]) == {"id", "kind", "name", "priority", "isArchived", "lastUpdated"}
    assert api.get("/applications/" + CORE).json()["name"] == "Core Banking"
    assert_error(api.get("/applications/" + str(uuid.uuid4())), 404, "not_found")


def test_imports_run_one_at_a_time_in_order(api, emulator):
    apps = [application_id(emulator, name) for name in ("Core Banking", "HR Portal", "Payments Gateway")]
    ids = [api.post("/application-imports/stage", {"applicationId": app}).json()["id"] for app in apps]
    emulator.set_worker(paused=False, build_seconds=0.3)
    running_seen = []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert emulator.stats()["by_status"].get("Running", 0) <= 1  # one consistent snapshot of every import
        statuses = [api.get("/application-imports/" + import_id).json()["status"] for import_id in ids]
        if "Running" in statuses:
            current = ids[statuses.index("Running")]
            if not running_seen or running_seen[-1] != current:
                running_seen.append(current)
        if all(status == "Finished" for status in statuses):
            break
        time.sleep(0.02)
    assert running_seen == ids
    done = api.get("/application-imports/" + ids[0]).json()
    assert done["buildStart"] and done["buildEnd"] and done["metrics"] and done["files"]


def test_failing_application_ends_failed(api, emulator):
    app = application_id(emulator, "Data Warehouse")
    record = api.post("/application-imports/stage", {"applicationId": app}).json()
    emulator.set_worker(paused=False)
    done = wait_for(api, record["id"], ("Failed", "Finished"))
    assert done["status"] == "Failed" and "Error" in done["log"] and done["metrics"] is None


def test_cancel_pending_is_skipped_to_canceled_without_starting(api, emulator):
    record = api.post("/application-imports/stage", {"applicationId": CORE}).json()
    canceled = api.post("/application-imports/cancel", {"applicationImportId": record["id"]})
    assert canceled.status_code == 200 and canceled.json()["status"] == "Canceling"
    assert_error(api.post("/application-imports/cancel", {"applicationImportId": record["id"]}), 409, "conflict")
    emulator.set_worker(paused=False)
    done = wait_for(api, record["id"], ("Canceled",))
    assert done["buildStart"] is None and done["buildEnd"] is not None
    assert_error(api.post("/application-imports/cancel", {"applicationImportId": record["id"]}), 409, "conflict")


def test_cancel_running_stops_it(api, emulator):
    app = application_id(emulator, "Risk Engine")  # never finishes on its own
    record = api.post("/application-imports/stage", {"applicationId": app}).json()
    emulator.set_worker(paused=False, build_seconds=0.1)
    wait_for(api, record["id"], ("Running",))
    time.sleep(0.3)
    assert api.get("/application-imports/" + record["id"]).json()["status"] == "Running"
    response = api.post("/application-imports/cancel", {"applicationImportId": record["id"]})
    assert response.json()["status"] == "Canceling" and response.json()["buildStart"]
    done = wait_for(api, record["id"], ("Canceled",))
    assert done["buildEnd"] is not None


def test_cancel_errors(api):
    assert_error(api.post("/application-imports/cancel", {}), 400, "validation_error")
    assert_error(api.post("/application-imports/cancel", {"applicationImportId": "x"}), 400, "validation_error")
    assert_error(api.post("/application-imports/cancel", {"applicationImportId": str(uuid.uuid4())}), 404, "not_found")
    finished = next(row for row in api.get("/application-imports", applicationId=CORE).json()["items"]
                    if row["status"] == "Finished")
    assert_error(api.post("/application-imports/cancel", {"applicationImportId": finished["id"]}), 409, "conflict")


def test_get_import_not_found(api):
    assert_error(api.get("/application-imports/" + str(uuid.uuid4())), 404, "not_found")


def test_faults(api, emulator):
    emulator.add_fault(method="GET", path="^/api/applications$", action="status", status=503, retry_after=2, body="html")
    response = api.get("/applications")
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.headers["Content-Type"] == "text/html"
    assert api.get("/applications").status_code == 200  # used up
    emulator.add_fault(method="POST", path="stage$", action="drop_after")
    with pytest.raises(requests.ConnectionError):
        Api(emulator).post("/application-imports/stage", {"applicationId": CORE})
    assert emulator.stats()["imports_created"] == 1  # the work was committed before the drop
    emulator.add_fault(method="POST", path="stage$", action="drop_before")
    with pytest.raises(requests.ConnectionError):
        Api(emulator).post("/application-imports/stage", {"applicationId": CORE})
    assert emulator.stats()["imports_created"] == 1
    emulator.add_fault(method="GET", path="^/api/applications$", action="malformed_ok")
    with pytest.raises(ValueError):
        api.get("/applications").json()


def test_stats_count_requests_by_route(api, emulator):
    api.get("/applications")
    api.get("/application-imports", applicationId=CORE)
    api.get("/application-imports/" + str(uuid.uuid4()))
    stats = emulator.stats()
    assert stats["total"] == 3
    assert stats["requests"]["GET /api/application-imports/{id}"] == 1


def test_prefix_and_keep_alive_speed():
    from pa_testlib import start_emulator
    emulator = start_emulator(prefix="/pa")
    try:
        api = Api(emulator)
        assert requests.get(emulator.url.replace("/pa", "") + "/api/applications", timeout=5).status_code == 404
        for dummy in range(100):  # one kept-alive connection; emulator/loadcheck.py prints the rate
            assert api.get("/applications").status_code == 200
        assert emulator.stats()["total"] == 100
    finally:
        emulator.stop()


def test_access_log_never_holds_the_token(tmp_path):
    from pa_testlib import TOKEN, start_emulator
    log = tmp_path / "access.log"
    emulator = start_emulator(log_file=str(log))
    try:
        Api(emulator).get("/applications")
        Api(emulator, token="pa_wrong").get("/applications")
    finally:
        emulator.stop()
    text = log.read_text()
    assert "GET /api/applications 200" in text and "GET /api/applications 401" in text
    assert TOKEN not in text and "pa_wrong" not in text

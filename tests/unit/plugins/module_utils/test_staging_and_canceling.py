"""Domain rules against the emulator over HTTP: reuse, request budget, reconciliation, cancel convergence."""

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import parse_items, stage_many
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import cancel_import
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import OperationError, is_systemic
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage import stage
from pa_testlib import application_id, imports_of, start_emulator, wait_until
from pa_clientlib import STAGE, make_api


def test_reuse_finds_pending_on_the_last_page_within_three_requests(emulator):
    app = application_id(emulator, "Core Banking")  # 130+ imports: Pending ones sort onto the last page
    api = make_api(emulator)
    first = stage(api, app, reuse_pending=True)
    assert first.changed and api.client.request_count == 3  # page 1, last page, POST
    api = make_api(emulator)
    second = stage(api, app, reuse_pending=True)
    assert not second.changed and second.reused
    assert second.record["id"] == first.record["id"]
    assert api.client.request_count == 3  # page 1, last page, single read
    assert emulator.stats()["imports_created"] == 1


def test_running_import_is_not_reused(emulator):
    app = application_id(emulator, "HR Portal")
    api = make_api(emulator)
    first = stage(api, app)
    emulator.set_worker(paused=False, build_seconds=30)
    wait_until(lambda: api.get_import(first.record["id"])["status"] == "Running", timeout=10)
    second = stage(api, app)
    assert second.changed and second.record["id"] != first.record["id"]


def test_without_reuse_one_request_per_stage(emulator):
    app = application_id(emulator, "Core Banking")
    api = make_api(emulator)
    stage(api, app, reuse_pending=False)
    stage(api, app, reuse_pending=False)
    assert api.client.request_count == 2
    assert emulator.stats()["imports_created"] == 2


def test_check_mode_sends_no_post(emulator):
    app = application_id(emulator, "Core Banking")
    api = make_api(emulator)
    outcome = stage(api, app, reuse_pending=False, check_mode=True)
    assert outcome.predicted and outcome.changed and outcome.record["id"] is None
    assert outcome.record["application"]["id"] == app
    assert emulator.stats()["imports_created"] == 0


def test_lost_answer_is_reconciled_to_the_one_new_import(emulator):
    app = application_id(emulator, "Core Banking")
    api = make_api(emulator)
    emulator.add_fault(method="POST", path=STAGE, action="drop_after")
    outcome = stage(api, app, reuse_pending=True)
    assert outcome.changed and outcome.warnings
    pending = [row for row in imports_of(emulator, app) if row["status"] == "Pending"]
    assert [row["id"] for row in pending] == [outcome.record["id"]]
    assert emulator.stats()["imports_created"] == 1


def test_lost_answer_without_a_snapshot_reports_unknown_outcome(emulator):
    app = application_id(emulator, "Core Banking")
    api = make_api(emulator)
    emulator.add_fault(method="POST", path=STAGE, action="drop_after")
    with pytest.raises(OperationError) as info:
        stage(api, app, reuse_pending=False)
    details = info.value.fail_kwargs()
    assert details["outcome_unknown"] is True
    assert len(details["candidate_import_ids"]) == 1
    assert emulator.stats()["imports_created"] == 1


def test_lost_answer_whose_look_up_fails_too_is_an_unknown_outcome_not_a_systemic_error(emulator):
    """The stage request reached the server; a look-up refused afterwards must not read as "nothing was sent"."""
    app = application_id(emulator, "Core Banking")
    api = make_api(emulator)
    emulator.add_fault(method="POST", path=STAGE, action="drop_after")
    emulator.add_fault(method="GET", path=r"^/api/application-imports$", action="status", status=401, times=10)
    with pytest.raises(OperationError) as info:
        stage(api, app, reuse_pending=False)
    details = info.value.fail_kwargs()
    assert details["outcome_unknown"] is True and details["msg"].startswith("outcome unknown: ")
    assert "HTTP 401" in details["msg"]
    assert not is_systemic(info.value)
    assert emulator.stats()["imports_created"] == 1


def test_lost_answer_when_nothing_was_created_stages_again(emulator):
    app = application_id(emulator, "Core Banking")
    api = make_api(emulator)
    emulator.add_fault(method="POST", path=STAGE, action="status", status=502, body="html")
    outcome = stage(api, app, reuse_pending=True)
    assert outcome.changed and not outcome.reused
    assert outcome.warnings == ["the stage request failed (HTTP 502: non-JSON error body (text/html: 502 Bad Gateway)); "
                                "no new import of the application appeared (looked twice), so it was sent again"]
    assert emulator.stats()["imports_created"] == 1
    assert emulator.stats()["requests"]["POST /api/application-imports/stage"] == 2


def test_cancel_converges(emulator):
    app = application_id(emulator, "Treasury Management")
    api = make_api(emulator)
    record = stage(api, app).record
    first = cancel_import(api, record["id"], check_mode=False)
    assert first.changed and first.record["status"] == "Canceling"
    second = cancel_import(api, record["id"], check_mode=False)
    assert not second.changed and second.cancelable


# A lost cancel answer (drop_after) is confirmed by reading again; a refused one (drop_before) is sent again.
@pytest.mark.parametrize("fault", ["drop_after", "drop_before"], ids=["lost_answer", "refused_answer"])
def test_cancel_with_a_cut_connection_converges(emulator, fault):
    app = application_id(emulator, "Treasury Management")
    api = make_api(emulator)
    record = stage(api, app).record
    emulator.add_fault(method="POST", path="^/api/application-imports/cancel$", action=fault)
    outcome = cancel_import(api, record["id"], check_mode=False)
    assert outcome.changed and outcome.record["status"] == "Canceling"


@pytest.fixture(scope="module")
def no_application_emulator():
    emulator = start_emulator(stage_omits_application=True, worker_paused=True)
    yield emulator
    emulator.stop()


def test_stage_answer_without_application_is_completed_with_one_read(no_application_emulator):
    api = make_api(no_application_emulator)
    outcome = stage(api, application_id(no_application_emulator, "HR Portal"), reuse_pending=False)
    assert outcome.record["application"]["name"] == "HR Portal" and not outcome.warnings
    assert api.client.request_count == 2  # the POST and GET /applications/{id}


def test_stage_answer_without_application_stays_staged_when_the_read_fails(no_application_emulator):
    no_application_emulator.add_fault(method="GET", path="^/api/applications/", action="status", status=500, times=10)
    api = make_api(no_application_emulator, retries=0)
    outcome = stage(api, application_id(no_application_emulator, "Payments Gateway"), reuse_pending=False)
    assert outcome.changed and outcome.record["id"] and "application" not in outcome.record
    assert "reading application" in outcome.warnings[0] and "HTTP 500" in outcome.warnings[0]
    no_application_emulator.clear_faults()


def test_batch_item_msg_carries_the_warning_of_its_stage(no_application_emulator):
    no_application_emulator.add_fault(method="GET", path="^/api/applications/", action="status", status=500, times=10)
    api = make_api(no_application_emulator, retries=0)
    app = application_id(no_application_emulator, "Treasury Management")
    [result] = stage_many(api, parse_items([{"id": app, "reuse_pending": False}], True), check_mode=False).results
    assert not result["failed"] and result["changed"] and result["import_id"]
    assert result["application_name"] is None  # given by id, and the application could not be read
    assert "reading application {0} failed".format(app) in result["msg"]
    no_application_emulator.clear_faults()

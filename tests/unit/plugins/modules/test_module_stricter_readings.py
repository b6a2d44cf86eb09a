"""The modules under the emulator's stricter readings of the contract's gaps, their main() in-process
(tests/pa_modulelib.py) over HTTP. What the roles add under them is tests/e2e/test_stricter_readings.py's.

- cancel_race / cancel_seconds (6.2): a canceled import may still end Finished or Failed; Canceling may last.
- pending_sort=first (6.3): never-started imports sort first instead of last.
- non-API imports (6.6): a Scheduled Pending import, reused by reuse_pending and canceled like any other.
- stage_omits_application (6.1, 11): the stage answer without ``application``.
"""

import threading

import pytest

from pa_testlib import api_get, application_id, running, stage_directly, status_of, wait_until

FAST = {"poll_interval": 0.2, "wait_timeout": 30}
SINGLE_ROUTE = "GET /api/application-imports/{id}"
LIST_ROUTE = "GET /api/application-imports"
APPLICATION_ROUTE = "GET /api/applications/{id}"
STAGE_ROUTE = "POST /api/application-imports/stage"
CANCEL_ROUTE = "POST /api/application-imports/cancel"
LOAD_APPS = 60  # more never-started imports than one page holds


def requests_to(emulator, route):
    return emulator.stats()["requests"].get(route, 0)


# A canceled import that still ends Finished or Failed (6.2: unspecified)

@pytest.mark.parametrize("race, status", [("finished", "Finished"), ("failed", "Failed")])
def test_cancel_wait_fails_when_the_build_ends_before_the_cancel_takes_effect(emulator, race, status, run_module):
    staged = running(emulator, "HR Portal", cancel_race=race)
    run = run_module("pa_import_cancel", dict(FAST, import_id=staged["id"], wait=True))
    assert run.rc != 0 and run["failed"] is True, run.output
    assert run["changed"] is True  # the cancel was sent
    assert "Traceback" not in run.output
    assert run["msg"].startswith("import #{0} ({1}) of HR Portal {2} before the cancel took effect".format(
        staged["number"], staged["id"], race)), run["msg"]
    assert "it is {0}, not Canceled".format(status) in run["msg"]
    record = run["application_import"]
    assert record["id"] == staged["id"] and record["status"] == status and record["buildEnd"]
    assert (record["metrics"] is not None) == (status == "Finished")
    assert run["log_tail"][-1] == record["log"].splitlines()[-1]
    assert status_of(emulator, staged["id"]) == status
    assert requests_to(emulator, CANCEL_ROUTE) == 1


def test_cancel_all_active_cancels_every_import_before_waiting_and_names_the_one_that_finished(emulator, run_module):
    first = running(emulator, "Payments Gateway", cancel_race="finished")
    second = stage_directly(emulator, "Payments Gateway")  # queued behind the running one
    run = run_module("pa_import_cancel", dict(FAST, application_name="Payments Gateway", all_active=True,
                                              wait=True))
    assert run.rc != 0 and run["failed"] is True and run["changed"] is True, run.output
    assert sorted(run["canceled_import_ids"]) == sorted([first["id"], second["id"]])
    statuses = {record["id"]: record["status"] for record in run["application_imports"]}
    assert statuses == {first["id"]: "Finished", second["id"]: "Canceled"}
    assert "; 1 of 2 import(s) failed: " in run["msg"]
    assert "import #{0} ({1}) of Payments Gateway finished before the cancel took effect".format(
        first["number"], first["id"]) in run["msg"]
    # The second was canceled although the wait for the first failed: it never ran.
    assert api_get(emulator, "/application-imports/" + second["id"])["buildStart"] is None


# Canceling that lasts (6.2: unspecified)

def test_cancel_wait_polls_through_canceling_until_canceled(emulator, run_module):
    staged = running(emulator, "HR Portal", cancel_seconds=60)
    baseline = requests_to(emulator, SINGLE_ROUTE)
    released = []

    def end_canceling_after_two_polls():
        # One read before the cancel, then two polls of the wait while it is still Canceling.
        wait_until(lambda: requests_to(emulator, SINGLE_ROUTE) >= baseline + 3, timeout=60)
        assert status_of(emulator, staged["id"]) == "Canceling"
        released.append(True)
        emulator.set_worker(cancel_seconds=0)

    releaser = threading.Thread(target=end_canceling_after_two_polls, daemon=True)
    releaser.start()
    run = run_module("pa_import_cancel", dict(FAST, import_id=staged["id"], wait=True))
    releaser.join(10)
    assert released, "the wait never polled twice while Canceling"
    assert run.rc == 0, run.output
    assert run["changed"] is True and run["application_import"]["status"] == "Canceled"
    assert run["application_import"]["buildStart"] is not None  # it was Running when the cancel arrived
    # The module's read, two polls that saw Canceling, the releaser's own read, and the poll that saw Canceled.
    assert requests_to(emulator, SINGLE_ROUTE) >= baseline + 5


def test_a_recancel_while_canceling_is_unchanged(emulator, run_module):
    staged = running(emulator, "HR Portal", cancel_seconds=60)
    first = run_module("pa_import_cancel", {"import_id": staged["id"]})
    assert first.rc == 0 and first["changed"] is True and first["application_import"]["status"] == "Canceling"
    again = run_module("pa_import_cancel", {"import_id": staged["id"]})
    assert again.rc == 0, again.output
    assert again["changed"] is False and again["cancelable"] is True
    assert again["application_import"]["status"] == "Canceling" and "already Canceling" in again["msg"]
    assert requests_to(emulator, CANCEL_ROUTE) == 1  # read first, nothing sent


# Never-started imports sorting first (6.3: unspecified)

@pytest.fixture
def nulls_first(emulator_with):
    return emulator_with(build_seconds=0.05, pending_sort="first", extra_applications=LOAD_APPS)


def test_reuse_pending_with_nulls_first_reads_page_1_and_the_last_page(nulls_first, run_module):
    app = application_id(nulls_first, "Core Banking")  # 130 past imports: 3 pages
    staged = run_module("pa_import_stage", {"application_id": app}, server=nulls_first)
    assert staged.rc == 0 and staged["changed"] is True, staged.output
    page_1 = api_get(nulls_first, "/application-imports", applicationId=app)
    assert page_1["totalPages"] == 3 and page_1["items"][0]["id"] == staged["application_import"]["id"]

    nulls_first.reset()  # counters to zero; a Pending import from another client, first in the list
    other = stage_directly(nulls_first, "Core Banking")
    reused = run_module("pa_import_stage", {"application_id": app}, server=nulls_first)
    assert reused.rc == 0, reused.output
    assert reused["changed"] is False and reused["reused"] is True
    assert reused["application_import"]["id"] == other["id"]
    assert requests_to(nulls_first, LIST_ROUTE) == 2  # page 1 and the last page, as with nulls last
    assert requests_to(nulls_first, SINGLE_ROUTE) == 1
    assert requests_to(nulls_first, STAGE_ROUTE) == 1  # the other client's only


# A Pending import that is not API-staged (6.6: cancel works on any import)

def test_a_scheduled_pending_import_is_reused_and_can_be_canceled(emulator, run_module):
    app = application_id(emulator, "HR Portal")
    scheduled = emulator.add_import(app, "Scheduled")
    staged = run_module("pa_import_stage", {"application_name": "HR Portal"})
    assert staged.rc == 0, staged.output
    assert staged["changed"] is False and staged["reused"] is True
    assert staged["application_import"]["id"] == scheduled["id"]
    assert staged["application_import"]["type"] == "Scheduled"
    assert emulator.stats()["imports_created"] == 0
    canceled = run_module("pa_import_cancel", {"import_id": scheduled["id"]})
    assert canceled.rc == 0 and canceled["changed"] is True, canceled.output
    assert canceled["application_import"]["status"] == "Canceling"
    emulator.set_worker(paused=False)
    wait_until(lambda: status_of(emulator, scheduled["id"]) == "Canceled")


def test_a_manual_running_import_is_canceled_by_all_active(emulator, run_module):
    app = application_id(emulator, "Treasury Management")
    manual = emulator.add_import(app, "Manual")
    emulator.set_worker(paused=False, build_seconds=60)
    wait_until(lambda: status_of(emulator, manual["id"]) == "Running")
    run = run_module("pa_import_cancel", dict(FAST, application_id=app, all_active=True, wait=True))
    assert run.rc == 0, run.output
    assert run["canceled_import_ids"] == [manual["id"]]
    assert [record["status"] for record in run["application_imports"]] == ["Canceled"]


# The stage answer without `application` (6.1, 11: the stage reference omits it)

@pytest.fixture
def no_application(emulator_with):
    return emulator_with(build_seconds=0.05, stage_omits_application=True)


def test_stage_without_application_in_the_answer_fills_it_in(no_application, run_module):
    hr = application_id(no_application, "HR Portal")
    card = application_id(no_application, "Card Issuing")  # no import history at all
    by_id = run_module("pa_import_stage", {"application_id": hr, "reuse_pending": False}, server=no_application)
    assert by_id.rc == 0 and "Traceback" not in by_id.output, by_id.output
    assert by_id["application_import"]["application"]["name"] == "HR Portal"
    assert requests_to(no_application, APPLICATION_ROUTE) == 1  # nothing else had read it
    by_name = run_module("pa_import_stage", {"application_name": "Payments Gateway"}, server=no_application)
    assert by_name.rc == 0, by_name.output
    assert by_name["changed"] is True and by_name["application_import"]["application"]["name"] == "Payments Gateway"
    from_list = run_module("pa_import_stage", {"application_id": application_id(
        no_application, "Treasury Management")}, server=no_application)
    assert from_list["changed"] is True  # its history rows, read for reuse, carry the application
    assert from_list["application_import"]["application"]["name"] == "Treasury Management"
    assert requests_to(no_application, APPLICATION_ROUTE) == 1
    refused = run_module("pa_import_stage", {"application_id": card}, server=no_application)
    assert refused.rc != 0 and "HTTP 422" in refused["msg"] and "Traceback" not in refused.output


def test_batch_staging_without_application_in_the_answer_names_every_application(no_application, run_module):
    hr = application_id(no_application, "HR Portal")
    no_application.set_worker(paused=False)
    run = run_module("pa_import_stage", dict(FAST, applications=[
        hr, {"name": "Payments Gateway"}, {"id": application_id(no_application, "Treasury Management"),
                                           "reuse_pending": False}], wait=True), server=no_application)
    assert run.rc == 0 and "Traceback" not in run.output, run.output
    results = run["application_results"]
    assert [row["application_name"] for row in results] == ["HR Portal", "Payments Gateway", "Treasury Management"]
    assert [row["status"] for row in results] == ["Finished"] * 3
    assert all(row["application_import"]["application"]["id"] == row["application_id"] for row in results)

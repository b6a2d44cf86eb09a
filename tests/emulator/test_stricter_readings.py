"""Readings of the contract's gaps that are harder on a client than the defaults (6.1, 6.2, 6.3, 6.6, 11).

cancel_seconds / cancel_race (6.2: how long Canceling lasts and whether it can end Finished/Failed are unspecified),
pending_sort (6.3: where null buildStart sorts is unspecified), stage_omits_application (6.1/11: the stage reference
has no application) and non-API imports added through the control API (6.6: cancel works on any import).
"""

import pytest
import requests

from emu_helpers import (CORE_BANKING, FULL_FIELDS, HR_PORTAL, PAYMENTS, RISK_ENGINE, TREASURY, Api, assert_error)
from pa_emulator.worker import CANCEL_SECONDS

TERMINAL = ("Finished", "Failed", "Canceled")


def control_post(emulator, name, payload):
    return requests.post(emulator.url + "/_emulator/" + name, json=payload, timeout=5)


def running(api, emulator, app_id):
    record = api.stage(app_id)
    emulator.set_worker(paused=False, build_seconds=60)
    api.wait_for(record["id"], ("Running",))
    return record


# cancel_seconds

def test_default_cancel_seconds_makes_canceling_observable(api, emulator):
    assert CANCEL_SECONDS > 0
    record = running(api, emulator, HR_PORTAL)
    assert api.cancel(record["id"]).json()["status"] == "Canceling"
    assert api.record(record["id"])["status"] == "Canceling"  # read right after the 200, well within the default
    assert api.wait_for(record["id"], TERMINAL)["status"] == "Canceled"


def test_canceling_lasts_until_cancel_seconds_pass_and_blocks_the_queue(api, emulator):
    emulator.set_worker(cancel_seconds=60)
    record = running(api, emulator, RISK_ENGINE)
    behind = api.stage(HR_PORTAL)
    assert api.cancel(record["id"]).status_code == 200
    for unused in range(20):  # many looks of the job (20 ms each) later
        assert api.record(record["id"])["status"] == "Canceling"
        assert api.record(behind["id"])["status"] == "Pending"  # the job is still stopping the canceled build
    assert_error(api.cancel(record["id"]), 409, "conflict")  # still "already being canceled"
    emulator.set_worker(cancel_seconds=0)  # applies to an import already Canceling
    done = api.wait_for(record["id"], TERMINAL)
    assert done["status"] == "Canceled" and done["buildEnd"] and done["metrics"] is None
    assert done["log"].endswith("Import canceled.")
    assert api.wait_for(behind["id"], ("Running", "Finished"))["buildStart"] >= done["buildEnd"]


def test_cancel_seconds_zero_ends_a_running_import_at_the_next_look(api, emulator):
    emulator.set_worker(cancel_seconds=0)
    record = running(api, emulator, PAYMENTS)
    assert api.cancel(record["id"]).status_code == 200
    assert api.wait_for(record["id"], TERMINAL, timeout=2)["status"] == "Canceled"


def test_a_pending_import_canceled_is_skipped_at_once_whatever_cancel_seconds(api, emulator):
    emulator.set_worker(cancel_seconds=60)
    first = api.stage(HR_PORTAL)
    second = api.stage(PAYMENTS)
    assert api.cancel(first["id"]).status_code == 200
    emulator.set_worker(paused=False, build_seconds=0.05)
    skipped = api.wait_for(first["id"], TERMINAL, timeout=5)
    assert skipped["status"] == "Canceled" and skipped["buildStart"] is None  # "skipped altogether" (6.2)
    assert api.wait_for(second["id"], TERMINAL, timeout=5)["status"] == "Finished"


# cancel_race

@pytest.mark.parametrize("race, status", [("finished", "Finished"), ("failed", "Failed")])
def test_a_canceled_running_import_can_end_finished_or_failed(api, emulator, race, status):
    emulator.set_worker(cancel_race=race)
    record = running(api, emulator, CORE_BANKING)
    assert api.cancel(record["id"]).json()["status"] == "Canceling"
    done = api.wait_for(record["id"], TERMINAL)
    assert done["status"] == status and done["buildEnd"]
    if status == "Finished":
        assert done["metrics"] and done["log"].endswith("Import finished.")
    else:
        assert done["metrics"] is None and done["log"].splitlines()[-1].startswith("Error:")
    assert_error(api.cancel(record["id"]), 409, "conflict")
    assert api.get("/applications/" + CORE_BANKING).json()["lastUpdated"] == done["buildEnd"]


def test_cancel_race_never_applies_to_an_import_that_had_not_started(api, emulator):
    emulator.set_worker(cancel_race="finished")
    record = api.stage(TREASURY)
    api.cancel(record["id"])
    emulator.set_worker(paused=False, build_seconds=0.05)
    done = api.wait_for(record["id"], TERMINAL)
    assert done["status"] == "Canceled" and done["buildStart"] is None


# pending_sort

def test_pending_sort_first_puts_never_started_imports_on_page_1(make_emulator):
    emulator = make_emulator(pending_sort="first", worker_paused=True)
    api = Api(emulator)
    older, newer = api.stage(CORE_BANKING), api.stage(CORE_BANKING)
    first = api.get("/application-imports", applicationId=CORE_BANKING).json()
    assert first["totalCount"] == 132 and first["totalPages"] == 3
    assert [row["id"] for row in first["items"][:2]] == [newer["id"], older["id"]]  # ties: number descending
    assert first["items"][2]["buildStart"] is not None
    started = [row["buildStart"] for row in first["items"][2:]]
    assert started == sorted(started, reverse=True)
    last = api.get("/application-imports", applicationId=CORE_BANKING, page=3).json()["items"]
    assert all(row["buildStart"] is not None for row in last)
    unfiltered = api.get("/application-imports").json()["items"]
    assert [row["id"] for row in unfiltered[:2]] == [newer["id"], older["id"]]


def test_pending_sort_last_is_the_default(api):
    record = api.stage(CORE_BANKING)
    assert api.get("/application-imports", applicationId=CORE_BANKING, page=3).json()["items"][-1]["id"] == record["id"]


# stage_omits_application

def test_stage_omits_application_only_in_the_stage_answer(make_emulator):
    emulator = make_emulator(stage_omits_application=True, worker_paused=True)
    api = Api(emulator)
    staged = api.stage(HR_PORTAL)
    assert set(staged) == FULL_FIELDS - {"application"} and staged["status"] == "Pending"
    assert api.record(staged["id"])["application"]["id"] == HR_PORTAL
    assert api.cancel(staged["id"]).json()["application"]["id"] == HR_PORTAL  # the cancel reference shows it


# Non-API imports (control API)

def test_control_adds_a_scheduled_pending_import_that_runs_and_cancels_like_any_other(api, emulator):
    response = control_post(emulator, "imports", {"applicationId": HR_PORTAL, "type": "Scheduled"})
    assert response.status_code == 200, response.text
    record = response.json()
    assert set(record) == FULL_FIELDS
    assert (record["type"], record["status"], record["createdBy"]) == ("Scheduled", "Pending", "Permission Assist")
    assert record["buildStart"] is None and record["application"]["id"] == HR_PORTAL
    assert api.record(record["id"]) == record
    assert emulator.stats()["imports_created"] == 0  # counts API stages only
    emulator.set_worker(paused=False, build_seconds=60)
    assert api.wait_for(record["id"], ("Running",))["type"] == "Scheduled"
    assert api.cancel(record["id"]).json()["status"] == "Canceling"
    assert api.wait_for(record["id"], TERMINAL)["status"] == "Canceled"


def test_control_adds_a_manual_import_queued_in_creation_order(api, emulator):
    staged = api.stage(PAYMENTS)
    manual = emulator.add_import(PAYMENTS, "Manual")
    assert manual["type"] == "Manual" and manual["createdBy"] == "Dana Whitfield" and manual["number"] > staged["number"]
    emulator.set_worker(paused=False, build_seconds=0.05)
    done = [api.wait_for(i, TERMINAL) for i in (staged["id"], manual["id"])]
    assert [record["status"] for record in done] == ["Finished", "Finished"]
    assert done[0]["buildEnd"] <= done[1]["buildStart"]


@pytest.mark.parametrize("payload, words", [
    ({"type": "Scheduled"}, "no application"),
    ({"applicationId": "7c2e91d4-0000-4000-8000-000000000000"}, "no application"),
    ({"applicationId": HR_PORTAL, "type": "API"}, "type must be one of"),
    ({"applicationId": HR_PORTAL, "status": "Running"}, "status must be Pending"),
    ({"applicationId": HR_PORTAL, "colour": "red"}, "unknown import field"),
    ({"applicationId": [HR_PORTAL]}, "no application"),
    ({"applicationId": HR_PORTAL, "createdBy": 7}, "createdBy must be a string"),
])
def test_control_refuses_a_bad_import(emulator, payload, words):
    before = emulator.stats()["imports"]
    response = control_post(emulator, "imports", payload)
    assert response.status_code == 400 and words in response.json()["message"]
    assert emulator.stats()["imports"] == before  # nothing added


def test_readings_are_checked_when_the_emulator_is_built():
    from pa_emulator import Emulator  # pylint: disable=import-outside-toplevel
    for bad in ({"pending_sort": "middle"}, {"cancel_race": "never"}, {"cancel_seconds": -1}):
        with pytest.raises(ValueError):
            Emulator(**bad)

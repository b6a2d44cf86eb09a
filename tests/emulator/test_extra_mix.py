"""extra_mix: load-test applications with a fixed mix of histories and states (emulator/README.md)."""

import pytest

from emu_helpers import Api, assert_error, start  # also puts emulator/ on sys.path
from pa_emulator import seed  # noqa: E402  pylint: disable=wrong-import-position

COUNT = 14  # every profile twice


@pytest.fixture(scope="module")
def mixed():
    emulator = start(extra_applications=COUNT, extra_mix=True, worker_paused=True)
    yield emulator
    emulator.stop()


@pytest.fixture
def api(mixed):
    mixed.reset()
    mixed.set_worker(paused=True)
    return Api(mixed)


def imports(api, app_id, page):
    return api.get("/application-imports", applicationId=app_id, page=page).json()


def test_profiles_cycle_in_a_fixed_order():
    assert [seed.extra_profile(i)[0] for i in range(1, 9)] == [
        "empty", "long_pending", "long_settled", "pending", "settled", "archived", "no_schedule", "empty"]


@pytest.mark.parametrize("index", range(1, COUNT + 1))
def test_each_application_has_its_profile(api, index):
    app_id = seed.extra_application_id(index)
    profile, behaviour, past, last = seed.extra_profile(index)
    app = api.get("/applications/" + app_id).json()
    assert app["name"] == "Load App {0:04d}".format(index) and app["isArchived"] is (profile == "archived")
    first = imports(api, app_id, 1)
    assert first["totalCount"] == past + (1 if last else 0)
    if not last:
        assert all(row["status"] in ("Finished", "Failed") for row in first["items"])
        return
    final = imports(api, app_id, first["totalPages"])
    # The added import was never started, so it sorts last: alone on page 3 of a long history.
    assert final["items"][-1]["id"] == seed.last_import_id(app_id)
    assert final["items"][-1]["status"] == last and final["items"][-1]["buildStart"] is None
    assert (last == "Canceled") is (final["items"][-1]["buildEnd"] is not None)
    if past == 100:
        assert first["totalPages"] == 3 and len(final["items"]) == 1
    others = [row for page in range(1, first["totalPages"] + 1) for row in imports(api, app_id, page)["items"]]
    assert [row["status"] for row in others].count("Pending") == (1 if last == "Pending" else 0)


def test_stage_answers_follow_the_behaviour(api):
    archived = seed.extra_application_id(6)
    no_schedule = seed.extra_application_id(7)
    body = assert_error(api.post("/application-imports/stage", {"applicationId": archived}), 400,
                        "validation_error", field="applicationId")
    assert body["errors"][0]["message"] == "Application is archived"
    body = assert_error(api.post("/application-imports/stage", {"applicationId": no_schedule}), 422,
                        "unprocessable_entity")
    assert body["message"] == "Application has no import schedule configured"
    staged = api.stage(seed.extra_application_id(1))
    assert staged["status"] == "Pending"


def test_added_pending_imports_are_queued_for_the_build_job(api, mixed):
    pending = [seed.last_import_id(seed.extra_application_id(i)) for i in range(1, COUNT + 1)
               if seed.extra_profile(i)[3] == "Pending"]
    assert len(pending) == 4
    mixed.set_worker(paused=False, build_seconds=0.01)
    for import_id in pending:
        api.wait_for(import_id, ("Finished",))


def test_without_extra_mix_the_history_stays_empty():
    assert all(row[3:] == (seed.NORMAL, 0, None) for row in seed.extra_applications(COUNT))

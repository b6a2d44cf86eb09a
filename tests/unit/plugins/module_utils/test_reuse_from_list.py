"""reuse_pending for a whole batch, settled from the never-started end of the unfiltered import list (issue #16).

Over real HTTP against the in-process emulator: the walk from either end (``pending_sort``), the request budget, the
fallback to each application's own list when that is cheaper, the race with the build job and a lost stage answer.
"""

from datetime import datetime, timezone

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PermissionAssistApi
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_list import PendingIndex
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import parse_items, run_batch, stage_many
from pa_clientlib import make_api
from pa_emulator.seed import extra_application_id, extra_profile, last_import_id
from pa_emulator.store import utcnow

COUNT = 140  # 20 of each extra_mix profile: 40 with a Pending import (20 of them behind 100 older imports)
LIST = "GET /api/application-imports"
STAGE = "^/api/application-imports/stage$"
LOAD_APPS = [extra_application_id(index) for index in range(1, COUNT + 1)]


def params(applications, **overrides):
    values = dict(applications=applications, reuse_pending=True, wait=False, wait_timeout=30, poll_interval=0.1,
                  cancel_on_timeout=False)
    values.update(overrides)
    return values


def staged(api, applications):
    """run_batch's result, also when some applications failed (the archived and unscheduled ones do)."""
    try:
        return run_batch(api, params(applications), check_mode=False)
    except OperationError as exc:
        return exc.fail_kwargs()


def expected(index):
    return {"long_pending": "reused", "pending": "reused", "archived": "failed", "no_schedule": "failed"}.get(
        extra_profile(index)[0], "staged")


def outcome_of(row):
    return "failed" if row["failed"] else "staged" if row["changed"] else "reused"


@pytest.mark.parametrize("pending_sort", ["last", "first"])
def test_a_batch_settles_reuse_from_a_few_pages_of_the_list_whichever_end_pending_imports_sort(
        emulator_with, pending_sort):
    emulator = emulator_with(extra_applications=COUNT, extra_mix=True, pending_sort=pending_sort, worker_paused=True)
    api = make_api(emulator)
    before = emulator.stats()
    result = staged(api, LOAD_APPS)
    rows = result["application_results"]
    assert [outcome_of(row) for row in rows] == [expected(index) for index in range(1, COUNT + 1)]
    for app, row in zip(LOAD_APPS, rows):
        if outcome_of(row) == "reused":
            assert (row["import_id"], row["status"]) == (last_import_id(app), "Pending")
    lookup = result["reuse_lookup"]
    assert lookup["method"] == "import_list" and lookup["list_pages"] <= 3, lookup
    after = emulator.stats()
    lists = after["requests"].get(LIST, 0) - before["requests"].get(LIST, 0)
    assert lists == lookup["list_pages"]  # no application's own list was read
    requests = api.client.request_count
    # one stage POST or one read of the reused import per application, the pages and one read of the app list
    assert requests == COUNT + lookup["list_pages"], requests
    assert requests <= 1.2 * COUNT


def test_few_applications_read_their_own_lists(emulator):
    result = run_batch(make_api(emulator), params(["HR Portal"]), check_mode=False)
    assert result["reuse_lookup"]["method"] == "per_application"
    assert "reading each one's list is as cheap" in result["reuse_lookup"]["reason"]
    assert run_batch(make_api(emulator), params(["HR Portal"], reuse_pending=False),
                     check_mode=False)["reuse_lookup"]["method"] == "none"


def test_very_many_pending_imports_of_other_applications_fall_back_to_each_applications_list(emulator):
    for dummy in range(130):  # 130 Pending imports of one application: three pages of never-started imports
        emulator.add_import(emulator_app_id(emulator, "Payments Gateway"))
    names = ["HR Portal", "Core Banking", "Treasury Management", "Risk Engine"]
    run = stage_many(make_api(emulator), parse_items(names, True), check_mode=False)
    assert run.reuse_lookup["method"] == "per_application" and run.reuse_lookup["list_pages"] == 2
    assert "did not settle every application within 2 page(s)" in run.reuse_lookup["reason"]
    assert [row["changed"] for row in run.results] == [True] * 4  # still right: nothing of theirs was Pending


def test_the_walk_reads_from_either_end_until_a_started_import(emulator_with):
    for pending_sort in ("last", "first"):
        emulator = emulator_with(extra_applications=COUNT, extra_mix=True, pending_sort=pending_sort, worker_paused=True)
        index, pages = PendingIndex.walk(make_api(emulator), page_budget=10)
        pending = sorted(row["id"] for rows in index.by_application.values() for row in rows)
        every = sorted(row["id"] for row in emulator.store.imports.values() if row["status"] == "Pending")
        assert pending == every and index.pages == pages >= 2
        assert PendingIndex.walk(make_api(emulator), page_budget=1) == (None, 1)  # more than one page is needed


class StartsOnRead(PermissionAssistApi):
    """The build job starts ``import_id`` just before the module reads it to reuse it (after the list was read)."""

    def __init__(self, client, emulator, import_id):
        super(StartsOnRead, self).__init__(client)
        self.emulator = emulator
        self.import_id = import_id

    def get_import(self, import_id, deadline=None):
        if import_id == self.import_id:
            with self.emulator.store.lock:
                record = self.emulator.store.imports[import_id]
                record.update(status="Running", buildStart=datetime.now(timezone.utc))
        return super(StartsOnRead, self).get_import(import_id, deadline)


def test_a_pending_import_that_starts_between_the_list_and_the_decision_gets_a_new_import(emulator_with):
    emulator = emulator_with(extra_applications=COUNT, extra_mix=True, worker_paused=True)
    target_app = LOAD_APPS[3]  # "pending" profile: its only Pending import is last_import_id
    racing = last_import_id(target_app)
    api = StartsOnRead(make_api(emulator).client, emulator, racing)
    result = staged(api, LOAD_APPS)
    row = result["application_results"][3]
    assert result["reuse_lookup"]["method"] == "import_list"
    assert row["changed"] and row["import_id"] != racing and row["status"] == "Pending", row["msg"]


def test_a_lost_stage_answer_is_adopted_from_the_list_in_a_list_settled_batch(emulator_with):
    emulator = emulator_with(extra_applications=COUNT, extra_mix=True, worker_paused=True)
    emulator.add_fault(method="POST", path=STAGE, action="drop_after", times=1)
    before = emulator.stats()["imports_created"]
    result = staged(make_api(emulator), LOAD_APPS)
    first = result["application_results"][0]  # "empty" profile: nothing to reuse, staged, answer lost
    assert result["reuse_lookup"]["method"] == "import_list"
    assert first["changed"] and not first["failed"] and "answer lost" in first["msg"]
    new = len([row for row in result["application_results"] if row["changed"]])
    assert emulator.stats()["imports_created"] - before == new  # never sent twice


def emulator_app_id(emulator, name):
    return next(app["id"] for app in emulator.store.applications.values() if app["name"] == name)


def test_an_application_named_twice_in_a_list_settled_batch_gets_one_import(emulator_with):
    emulator = emulator_with(extra_applications=COUNT, extra_mix=True, worker_paused=True)
    before = emulator.stats()["imports_created"]
    rows = staged(make_api(emulator), LOAD_APPS + [LOAD_APPS[0], {"id": LOAD_APPS[0]}])["application_results"]
    first, again, by_dict = rows[0], rows[-2], rows[-1]  # "empty" profile: nothing to reuse before the batch
    assert first["changed"] and not again["changed"] and not by_dict["changed"]
    assert again["import_id"] == by_dict["import_id"] == first["import_id"]
    assert emulator.stats()["imports_created"] - before == len([row for row in rows if row["changed"]])


def test_a_dropped_stage_with_nothing_in_sight_is_staged_again_in_a_list_settled_batch(emulator_with):
    """The walk saw every never-started import and the newest start: two looks at the application's own list that
    show neither a new never-started import nor one started since say that nothing was staged (issue 21)."""
    emulator = emulator_with(extra_applications=COUNT, extra_mix=True, worker_paused=True)
    emulator.add_fault(method="POST", path=STAGE, action="drop_before", times=1)
    result = staged(make_api(emulator), LOAD_APPS)
    assert result["reuse_lookup"]["method"] == "import_list"
    first = result["application_results"][0]
    assert not first["failed"] and first["changed"], first
    assert "(looked twice), so it was sent again" in first["msg"]
    assert emulator.stats()["imports_created"] == len([row for row in result["application_results"] if row["changed"]])


def test_an_import_that_started_since_the_walk_is_adopted_in_a_list_settled_batch(emulator_with):
    """The lost stage request's import started before the look (the build job took it): it is not on the walk's
    pages, but it started after the newest start the walk saw, so it is new, and adopted."""
    emulator = emulator_with(extra_applications=COUNT, extra_mix=True, worker_paused=True)
    emulator.add_fault(method="POST", path=STAGE, action="drop_after", times=1)
    api = make_api(emulator)
    original = api.stage_import

    def stage_then_start(application_id):
        try:
            return original(application_id)
        finally:
            with emulator.store.lock:  # as the build job would: the newest start of the whole list
                record = [row for row in emulator.store.imports.values() if row["applicationId"] == application_id
                          and row["status"] == "Pending"][0]
                record.update(status="Running", buildStart=utcnow())

    api.stage_import = stage_then_start
    first = staged(api, LOAD_APPS[:2])["application_results"][0]
    assert not first["failed"] and first["status"] == "Running" and "answer lost" in first["msg"], first
    assert emulator.stats()["imports_created"] == 1  # the second application reused its Pending import

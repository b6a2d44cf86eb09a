"""GET /api/application-imports (paging, order, list fields) and GET /api/application-imports/{id} (full record)."""

import uuid

import pytest

from emu_helpers import (CORE_BANKING, DATA_WAREHOUSE, FULL_FIELDS, HR_PORTAL, LIST_FIELDS, PAYMENTS, STAMP_Z, Api,
                         assert_error)


def all_rows(api, **params):
    rows, page = [], 1
    while True:
        body = api.get("/application-imports", page=page, **params).json()
        rows.extend(body["items"])
        if page >= body["totalPages"]:
            return rows
        page += 1


def test_core_banking_history_spans_three_pages(api):
    pages = [api.get("/application-imports", applicationId=CORE_BANKING, page=page).json() for page in (1, 2, 3)]
    assert [len(page["items"]) for page in pages] == [50, 50, 30]
    for number, page in enumerate(pages, 1):
        assert page["page"] == number and page["pageSize"] == 50
        assert page["totalCount"] == 130 and page["totalPages"] == 3
    ids = [row["id"] for page in pages for row in page["items"]]
    assert len(set(ids)) == 130
    assert api.get("/application-imports", applicationId=CORE_BANKING).json() == pages[0]  # page defaults to 1


def test_history_is_historical(api):
    rows = all_rows(api, applicationId=CORE_BANKING)
    assert {row["type"] for row in rows} == {"Scheduled", "Manual"}
    assert {row["status"] for row in rows} == {"Finished", "Failed"}
    assert all(row["buildStart"] < "2026-11" and row["buildEnd"] > row["buildStart"] for row in rows)
    creators = {api.record(row["id"])["createdBy"] for row in rows[:10]}
    assert "Permission Assist" in creators and len(creators) == 2


def test_page_past_the_end_is_empty_with_true_totals(api):
    body = api.get("/application-imports", applicationId=CORE_BANKING, page=4).json()
    assert body["items"] == [] and body["totalCount"] == 130 and body["totalPages"] == 3 and body["page"] == 4
    assert api.get("/application-imports", page=2 ** 31 - 1).json()["items"] == []


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2.0", "", "2147483648"])
def test_bad_page_is_400(api, page):
    assert_error(api.get("/application-imports", page=page), 400, "validation_error", field="page")


def test_repeated_page_is_400(api):
    response = api.session.get(api.base + "/application-imports?page=1&page=2", timeout=5)
    assert_error(response, 400, "validation_error", field="page")


@pytest.mark.parametrize("value", ["nope", "", CORE_BANKING[:-1], "{" + CORE_BANKING + "}", CORE_BANKING.replace("-", "")])
def test_malformed_application_id_is_400(api, value):
    assert_error(api.get("/application-imports", applicationId=value), 400, "validation_error", field="applicationId")


@pytest.mark.parametrize("value", [str(uuid.uuid4()), CORE_BANKING.upper()], ids=["unknown", "upper-case"])
def test_unknown_well_formed_application_id_is_an_empty_list(api, value):
    body = api.get("/application-imports", applicationId=value).json()
    assert body == {"items": [], "totalCount": 0, "page": 1, "pageSize": 50, "totalPages": 0}


def test_list_items_carry_exactly_the_list_fields(api, emulator):
    api.stage(HR_PORTAL)
    for row in all_rows(api):
        assert set(row) == LIST_FIELDS, row
        assert row["kind"] == "Application Import"
        assert set(row["application"]) == {"id", "kind", "name", "priority", "isArchived", "lastUpdated"}


def test_order_is_build_start_descending_with_never_started_last(api, emulator):
    first = api.stage(CORE_BANKING)
    second = api.stage(CORE_BANKING)
    rows = all_rows(api, applicationId=CORE_BANKING)
    assert [row["id"] for row in rows[-2:]] == [second["id"], first["id"]]  # null buildStart last, newer number first
    started = rows[:-2]
    keys = [(row["buildStart"], row["number"]) for row in started]
    assert keys == sorted(keys, reverse=True)
    api.cancel(second["id"])
    emulator.set_worker(paused=False)
    api.wait_for(first["id"], ("Finished",))
    api.wait_for(second["id"], ("Canceled",))
    rows = all_rows(api, applicationId=CORE_BANKING)
    assert rows[0]["id"] == first["id"]  # now the newest build start
    assert rows[-1]["id"] == second["id"]  # canceled before it started: still no buildStart, still last


def test_unfiltered_list_covers_every_application(api):
    rows = all_rows(api)
    apps = {row["application"]["id"] for row in rows}
    assert CORE_BANKING in apps and DATA_WAREHOUSE in apps and PAYMENTS in apps
    keys = [(row["buildStart"], row["number"]) for row in rows]
    assert keys == sorted(keys, reverse=True)
    numbers = [row["number"] for row in rows]
    assert len(set(numbers)) == len(numbers)


def test_get_import_is_the_full_record(api):
    row = api.get("/application-imports", applicationId=CORE_BANKING).json()["items"][0]
    record = api.record(row["id"])
    assert set(record) == FULL_FIELDS
    assert {key: record[key] for key in LIST_FIELDS} == row
    assert STAMP_Z.match(record["buildStart"]) and STAMP_Z.match(record["buildEnd"])
    assert isinstance(record["log"], str) and record["files"]
    for item in record["files"]:
        assert set(item) == {"id", "fileGroupId", "fileGroup", "name"}
    assert (record["metrics"] is not None) == (record["status"] == "Finished")


@pytest.mark.parametrize("import_id", [str(uuid.uuid4()), "not-a-guid", "12345"], ids=["unknown", "malformed", "number"])
def test_unknown_or_malformed_import_is_404(api, import_id):
    body = assert_error(api.get("/application-imports/" + import_id), 404, "not_found")
    assert import_id in body["message"]


def test_import_ids_are_matched_case_sensitively(api):
    record = api.stage(CORE_BANKING)
    assert_error(api.get("/application-imports/" + record["id"].upper()), 404, "not_found")


def test_seeded_history_ids_are_stable_across_resets(api, emulator):
    before = [row["id"] for row in api.get("/application-imports", applicationId=CORE_BANKING).json()["items"]]
    emulator.reset()
    after = [row["id"] for row in api.get("/application-imports", applicationId=CORE_BANKING).json()["items"]]
    assert before == after


def test_naive_timestamps_knob(make_emulator):
    emulator = make_emulator(timestamp_style="naive", worker_paused=True)
    row = Api(emulator).get("/application-imports").json()["items"][0]
    assert len(row["buildStart"]) == 19 and not row["buildStart"].endswith("Z") and "+" not in row["buildStart"]
    assert not row["application"]["lastUpdated"].endswith("Z")

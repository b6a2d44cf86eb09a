"""GET /api/applications and /api/applications/{id} (summary fields of 6.1 only), and the seeded applications."""

import uuid

import pytest

from emu_helpers import (APP_FIELDS, CARD_ISSUING, CORE_BANKING, LEGACY_MAINFRAME, REPORTING, SHARED_ACTIVE,
                         SHARED_ARCHIVED, STAMP_Z, Api, assert_error)

SEEDED = {
    "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3": ("Core Banking", False),
    "1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64": ("HR Portal", False),
    "9e4a7b13-2c6d-4f85-a9b0-3d1e5f7c2a98": ("Payments Gateway", False),
    "4d2c8e61-7f3a-4b59-9e12-6a0b4c8d1f37": ("Treasury Management", False),
    "b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19": ("Legacy Mainframe", True),
    "c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45": ("Card Issuing", False),
    "e6b9c3a7-4f18-4d2e-9c65-1a8f0b7d3e52": ("Data Warehouse", False),
    "2f7d4b8c-9a31-4e6f-b5c2-8d0e1a4f7c96": ("Trading Platform", False),
    "5a0e8f3d-6b2c-4197-8d4a-9f3c7e1b2d08": ("Risk Engine", False),
    "8c1f6e2a-3d94-4a7b-9f05-b2e8c4d6a173": ("Reporting", False),
    "f4d7a9c2-8e13-4b6f-a2d5-c9b1e3f7a604": ("Reporting", False),
    "a7e2c5f8-0b39-4d61-8e7a-4c1f9b2d6e35": ("Shared Services", True),
    "d9b4e1c6-7a52-4f38-b1e9-5e3d8a2c7f40": ("Shared Services", False),
}


def test_list_holds_every_seeded_application_sorted_by_name_then_id(api):
    body = api.get("/applications").json()
    assert set(body) == {"items", "totalCount", "page", "pageSize", "totalPages"}
    assert body["totalCount"] == len(SEEDED) and body["page"] == 1 and body["pageSize"] == 50 and body["totalPages"] == 1
    items = body["items"]
    assert {app["id"]: (app["name"], app["isArchived"]) for app in items} == SEEDED
    assert [(app["name"], app["id"]) for app in items] == sorted((app["name"], app["id"]) for app in items)
    for app in items:
        assert set(app) == APP_FIELDS
        assert app["kind"] == "Application"
        assert app["priority"] in ("None", "Low", "Moderate", "High", "Critical")
        assert STAMP_Z.match(app["lastUpdated"])


def test_ambiguous_and_archived_names_are_seeded(api):
    items = api.get("/applications").json()["items"]
    reporting = [app for app in items if app["name"] == "Reporting"]
    assert sorted(app["id"] for app in reporting) == sorted(REPORTING) and not any(app["isArchived"] for app in reporting)
    shared = {app["id"]: app["isArchived"] for app in items if app["name"] == "Shared Services"}
    assert shared == {SHARED_ARCHIVED: True, SHARED_ACTIVE: False}


def test_unknown_query_parameters_are_ignored(api):
    assert api.get("/applications", name="Core Banking", isArchived="false").json()["totalCount"] == len(SEEDED)


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.5", " 1", ""])
def test_bad_page_is_400(api, page):
    assert_error(api.get("/applications", page=page), 400, "validation_error", field="page")


def test_get_one_application_has_the_summary_fields_and_the_connector(api):
    for app_id in (CORE_BANKING, LEGACY_MAINFRAME, CARD_ISSUING):
        body = api.get("/applications/" + app_id).json()
        assert set(body) == APP_FIELDS | {"connector"}
        assert body["id"] == app_id and body["name"] == SEEDED[app_id][0] and body["isArchived"] is SEEDED[app_id][1]
        assert set(body["connector"]) == {"name", "fileBased", "fileGroups"}
    assert api.get("/applications/" + CORE_BANKING).json()["connector"]["fileBased"] is False
    groups = api.get("/applications/" + CARD_ISSUING).json()["connector"]["fileGroups"]
    assert [(group["name"], group["required"]) for group in groups] == [
        ("Users", True), ("Roles", True), ("Entitlements", False)]


def test_hide_connector_knob_leaves_the_summary_only(make_emulator):
    api = Api(make_emulator(hide_connector=True, worker_paused=True))
    assert set(api.get("/applications/" + CARD_ISSUING).json()) == APP_FIELDS


@pytest.mark.parametrize("app_id", [str(uuid.uuid4()), CORE_BANKING.upper(), "not-a-guid", "{" + CORE_BANKING + "}"],
                         ids=["unknown", "upper-case", "malformed", "braces"])
def test_unknown_application_is_404_naming_the_id(api, app_id):
    body = assert_error(api.get("/applications/" + app_id), 404, "not_found")
    assert app_id in body["message"]


def test_extra_applications_page_and_have_fixed_ids(make_emulator):
    emulator = make_emulator(extra_applications=120, worker_paused=True)
    api = Api(emulator)
    pages = [api.get("/applications", page=page).json() for page in (1, 2, 3, 4)]
    assert [len(page["items"]) for page in pages] == [50, 50, 33, 0]
    assert all(page["totalCount"] == 133 and page["totalPages"] == 3 for page in pages)
    load = [app for page in pages for app in page["items"] if app["name"].startswith("Load App ")]
    assert [app["name"] for app in load] == ["Load App {0:04d}".format(i) for i in range(1, 121)]
    assert load[0]["id"] == str(uuid.UUID(int=(0x10AD << 112) | 1, version=4))
    again = make_emulator(extra_applications=120, worker_paused=True)
    assert Api(again).get("/applications/" + load[-1]["id"]).json()["name"] == "Load App 0120"
    staged = api.stage(load[0]["id"])
    assert staged["application"]["name"] == "Load App 0001"
    assert api.get("/application-imports", applicationId=load[0]["id"]).json()["totalCount"] == 1  # empty history

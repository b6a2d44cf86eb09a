import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import match_by_name
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import OperationError

APPS = [
    {"id": "1", "name": "Reporting", "isArchived": False},
    {"id": "2", "name": "Reporting", "isArchived": False},
    {"id": "3", "name": "Shared Services", "isArchived": True},
    {"id": "4", "name": "Shared Services", "isArchived": False},
    {"id": "5", "name": "Legacy", "isArchived": True},
    {"id": "6", "name": "core banking", "isArchived": False},
]


def test_single_active_match_wins_over_archived_twin():
    assert match_by_name(APPS, "Shared Services")["id"] == "4"


def test_case_insensitive_fallback():
    assert match_by_name(APPS, "Core Banking")["id"] == "6"


@pytest.mark.parametrize("name,words", [("Reporting", ["2 active", "1", "2"]), ("Legacy", ["archived"]),
                                        ("Nothing", ["no application"])])
def test_ambiguous_archived_or_missing_names_fail_listing_matches(name, words):
    with pytest.raises(OperationError) as info:
        match_by_name(APPS, name)
    assert str(info.value).startswith("application_name: ")
    for word in words:
        assert word in str(info.value)


def test_a_name_that_is_a_guid_in_braces_points_at_application_id():
    guid = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"
    apps = APPS + [{"id": guid, "name": "Core Banking", "isArchived": False}]
    with pytest.raises(OperationError) as info:
        match_by_name(apps, "{" + guid.upper() + "}")
    assert str(info.value) == ("application_name: no application is named '{" + guid.upper() + "}'; it looks like "
                               "the application id " + guid + " (Core Banking): pass it as application_id")

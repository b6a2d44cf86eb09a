"""The imports lookup against the emulator's seed history (Core Banking: 130 imports, 3 pages of its list)."""

import pytest
from ansible.errors import AnsibleError

from pa_testlib import api_get, imports_of, stage_directly

CORE_BANKING = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
LIST = "GET /api/application-imports"


def failure(run, *args, **kwargs):
    with pytest.raises(AnsibleError) as info:
        run(*args, **kwargs)
    return str(info.value)


def test_ids_give_full_records_in_the_order_given(lookup, emulator):
    first = stage_directly(emulator, "HR Portal")
    second = stage_directly(emulator, "Payments Gateway")
    records = lookup("imports", second["id"], first["id"].upper())
    assert [record["id"] for record in records] == [second["id"], first["id"]]
    assert records[0]["createdBy"] == second["createdBy"] and records[0]["files"] == []
    assert records[1]["application"]["name"] == "HR Portal"


def test_an_unknown_or_malformed_id_fails_naming_it(lookup):
    assert failure(lookup, "imports", UNKNOWN) == "no import with id {0}".format(UNKNOWN)
    assert failure(lookup, "imports", "12345").startswith("terms[0]: '12345' is not a GUID")


def test_an_application_by_name_every_page_of_its_imports(lookup, emulator, requests_to):
    expected = imports_of(emulator, CORE_BANKING)
    pages = api_get(emulator, "/application-imports", applicationId=CORE_BANKING)["totalPages"]
    emulator.reset()
    records = lookup("imports", application="Core Banking")
    assert records == expected and len(records) == 130
    assert requests_to(emulator, "GET /api/applications") == 1 and requests_to(emulator, LIST) == pages == 3


def test_an_application_by_guid_is_checked_to_exist(lookup, emulator, requests_to):
    assert len(lookup("imports", application=CORE_BANKING)) == 130
    assert requests_to(emulator, "GET /api/applications/{id}") == 1
    assert failure(lookup, "imports", application=UNKNOWN) == \
        "application: no application with id {0}".format(UNKNOWN)


def test_an_archived_application_s_imports_and_the_active_one_of_a_shared_name(lookup):
    legacy = lookup("imports", application="Legacy Mainframe")
    assert len(legacy) == 5 and set(record["application"]["name"] for record in legacy) == {"Legacy Mainframe"}
    shared = lookup("imports", application="Shared Services")
    assert [record["application"]["id"] for record in shared] == ["d9b4e1c6-7a52-4f38-b1e9-5e3d8a2c7f40"]


def test_status_one_or_a_list_ignoring_case(lookup, emulator):
    failed = lookup("imports", application="Core Banking", status="failed")
    assert len(failed) == 12 and set(record["status"] for record in failed) == {"Failed"}
    staged = stage_directly(emulator, "Core Banking")
    active = lookup("imports", application="Core Banking", status=["Pending", "RUNNING"])
    assert [record["id"] for record in active] == [staged["id"]]
    assert [record["id"] for record in lookup("imports", staged["id"], status="Finished")] == []


def test_without_terms_or_application_every_import_of_the_list(lookup, emulator):
    total = api_get(emulator, "/application-imports")["totalCount"]
    assert len(lookup("imports")) == total
    assert [record["number"] for record in lookup("imports", status="Pending")] == []


@pytest.mark.parametrize("options, message", [
    ({"application": "Core Bankin"}, "application: no application is named 'Core Bankin'; closest names: "
                                     "'Core Banking'"),
    ({"application": "Reporting"}, "application: 2 active applications are named 'Reporting'; give one's id: "
                                   "8c1f6e2a-3d94-4a7b-9f05-b2e8c4d6a173, f4d7a9c2-8e13-4b6f-a2d5-c9b1e3f7a604"),
    ({"status": "Done"}, "status: unknown value 'Done'; use any of Pending, Running, Finished, Failed, Canceled, "
                         "Canceling"),
])
def test_bad_selections_fail_naming_the_option(lookup, options, message):
    assert failure(lookup, "imports", **options) == message


def test_ids_and_application_together_are_refused_before_any_request(lookup, emulator):
    assert failure(lookup, "imports", UNKNOWN, application="Core Banking") == \
        "application: give import ids or application, not both"
    assert emulator.stats()["total"] == 0

"""The applications lookup against the emulator's seed data (13 applications: one page of the list)."""

import pytest
from ansible.errors import AnsibleError

from pa_modulelib import run_module_in_process
from pa_testlib import TOKEN, api_get

LIST = "GET /api/applications"
DETAILS = "GET /api/applications/{id}"


def names(records):
    return [record["name"] for record in records]


def failure(run, *args, **kwargs):
    with pytest.raises(AnsibleError) as info:
        run(*args, **kwargs)
    return str(info.value)


def test_patterns_and_names_in_term_order_each_application_once(lookup, emulator, requests_to):
    records = lookup("applications", "Tr*", "HR Portal", "Treasury Management", "Core Bank?ng", "[CD]*")
    assert names(records) == ["Trading Platform", "Treasury Management", "HR Portal", "Core Banking", "Card Issuing",
                              "Data Warehouse"]
    assert records[2] == {"id": "1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64", "kind": "Application", "name": "HR Portal",
                          "priority": "Moderate", "isArchived": False, "lastUpdated": records[2]["lastUpdated"]}
    assert requests_to(emulator, LIST) == 1


def test_a_pattern_is_case_sensitive_and_may_match_nothing_an_exact_name_falls_back_to_any_case(lookup):
    assert lookup("applications", "hr *") == []
    assert lookup("applications", "Nothing*") == []
    assert names(lookup("applications", "core banking")) == ["Core Banking"]


def test_no_term_selects_every_active_application_in_name_order_archived_on_request(lookup, emulator):
    active = lookup("applications")
    assert names(active) == sorted(names(active))
    assert len(active) == 11 and not any(record["isArchived"] for record in active)
    everything = lookup("applications", include_archived=True)
    assert len(everything) == api_get(emulator, "/applications")["totalCount"] == 13
    assert sorted(names(everything)) == sorted(names(active) + ["Legacy Mainframe", "Shared Services"])


def test_an_exact_name_that_matches_nothing_fails_naming_it_and_the_closest_names(lookup):
    assert failure(lookup, "applications", "HR *", "HR Portl") == \
        "no application is named 'HR Portl'; closest names: 'HR Portal'"
    assert failure(lookup, "applications", "Reportin") == \
        "no application is named 'Reportin'; closest names: 'Reporting'"
    assert failure(lookup, "applications", "Zebra Zoo") == \
        "no application is named 'Zebra Zoo'; no name is close to it among the 11 application(s)"


def test_archived_applications_are_left_out_unless_asked_for(lookup):
    shared = lookup("applications", "Shared Services")
    assert [(record["id"], record["isArchived"]) for record in shared] == [
        ("d9b4e1c6-7a52-4f38-b1e9-5e3d8a2c7f40", False)]
    message = failure(lookup, "applications", "Legacy Mainframe")
    assert message == ("every application named 'Legacy Mainframe' is archived (b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19); "
                       "include_archived=true selects archived applications")
    assert names(lookup("applications", "Legacy Mainframe", include_archived=True)) == ["Legacy Mainframe"]
    assert len(lookup("applications", "Shared Services", include_archived=True)) == 2
    assert lookup("applications", "Legacy*") == []


def test_two_applications_of_one_name_are_both_returned(lookup):
    assert [record["priority"] for record in lookup("applications", "Reporting")] == ["Low", "None"]


@pytest.mark.parametrize("priority, expected", [
    ("Critical", ["Payments Gateway", "Trading Platform"]),
    (["critical", " HIGH "], ["Card Issuing", "Core Banking", "Payments Gateway", "Risk Engine", "Trading Platform",
                              "Treasury Management"]),
    ("Low,None", ["Reporting", "Reporting"]),
])
def test_priority_one_or_a_list_ignoring_case(lookup, priority, expected):
    assert names(lookup("applications", priority=priority)) == expected


def test_priority_narrows_the_terms_and_an_unknown_priority_fails_before_any_request(lookup, emulator):
    assert names(lookup("applications", "HR *", "Pay*", priority="Critical")) == ["Payments Gateway"]
    assert lookup("applications", "HR Portal", priority="Critical") == []
    emulator.reset()
    assert failure(lookup, "applications", priority=["High", "Urgent"]) == \
        "priority: unknown value 'Urgent'; use any of None, Low, Moderate, High, Critical"
    assert emulator.stats()["total"] == 0


def test_file_based_reads_the_details_of_the_candidates_only(lookup, emulator, requests_to):
    uploadable = lookup("applications", file_based=True)
    assert names(uploadable) == ["Card Issuing", "HR Portal"]  # Legacy Mainframe is file-based but archived
    assert uploadable[1]["connector"]["fileBased"] is True
    assert [group["name"] for group in uploadable[1]["connector"]["fileGroups"]] == ["Users", "Roles"]
    assert requests_to(emulator, LIST) == 1 and requests_to(emulator, DETAILS) == 11
    emulator.reset()
    assert names(lookup("applications", "HR *", "Core Banking", file_based=False)) == ["Core Banking"]
    assert requests_to(emulator, LIST) == 1 and requests_to(emulator, DETAILS) == 2


def test_file_based_fails_where_the_server_does_not_show_the_connector(lookup, emulator_with):
    hidden = emulator_with(hide_connector=True)
    assert failure(lookup, "applications", "HR Portal", file_based=True, server=hidden) == (
        "file_based: the server does not show the connector of HR Portal (1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64): "
        "GET /applications/{id} has no connector.fileBased; leave file_based out")


def test_one_walk_of_the_application_list_whatever_the_number_of_terms(lookup, emulator_with, requests_to):
    """133 applications: 3 pages of 50; a call reads each page once, for any number of names and patterns."""
    server = emulator_with(extra_applications=120)
    pages = api_get(server, "/applications")["totalPages"]
    server.reset()
    records = lookup("applications", "Load App 00*", "Core Banking", "HR *", "Load App 0120", "Reporting",
                     server=server)
    assert len(records) == 99 + 1 + 1 + 1 + 2
    assert requests_to(server, LIST) == pages == 3
    assert server.stats()["total"] == pages


def test_a_wrong_token_fails_in_one_line_naming_the_401_and_the_server(lookup, emulator):
    message = failure(lookup, "applications", "HR *", variables={"pa_url": emulator.url, "pa_token": "pa_wrong_123"})
    assert message.startswith("GET /applications failed: HTTP 401 unauthorized: Invalid or expired authentication token")
    assert message.endswith("(Permission Assist at {0})".format(emulator.url))
    assert "\n" not in message and "pa_wrong_123" not in message and "Traceback" not in message


def test_connection_from_the_environment_and_keywords_over_variables(lookup, emulator, monkeypatch):
    monkeypatch.setenv("PA_URL", emulator.url)
    monkeypatch.setenv("PA_TOKEN", TOKEN)
    assert names(lookup("applications", "HR *", variables={})) == ["HR Portal"]
    nowhere = {"pa_url": "http://127.0.0.1:9", "pa_token": "pa_nothing"}
    assert names(lookup("applications", "HR *", variables=nowhere, pa_url=emulator.url, pa_token=TOKEN)) == \
        ["HR Portal"]
    monkeypatch.delenv("PA_URL")
    assert failure(lookup, "applications", variables={}) == \
        "pa_url: not set; give pa_url=..., set the variable pa_url, or the environment variable PA_URL"


def test_a_term_that_is_not_a_name_fails_naming_it(lookup):
    assert failure(lookup, "applications", "HR *", " ") == \
        "terms[1]: must be an application name or a shell-style pattern, got ' '"


def test_records_are_staged_as_they_are_by_pa_import_stage(lookup, emulator, requests_to):
    records = lookup("applications", "Pay*", "Reporting", "Card Issuing")
    result = run_module_in_process(emulator, "pa_import_stage", {"applications": records})
    outcomes = [(row["application_id"], row["application_name"], row["changed"], row["failed"])
                for row in result["application_results"]]
    assert outcomes == [(record["id"], record["name"], record["name"] != "Card Issuing",
                         record["name"] == "Card Issuing") for record in records]
    assert "Card Issuing: POST /application-imports/stage failed: HTTP 422" in result["msg"]
    assert result["summary"]["staged"] == 3
    assert requests_to(emulator, LIST) == 1  # the lookup's; the module resolves no name


def test_a_dict_that_is_not_an_application_record_still_refuses_unknown_keys(emulator):
    result = run_module_in_process(emulator, "pa_import_stage", {"applications": [
        {"name": "HR Portal", "reuse_pendng": False}]})
    assert result.rc == 1
    assert result["msg"] == ("applications[0]: unknown key(s) reuse_pendng; allowed: id, name, reuse_pending, files")

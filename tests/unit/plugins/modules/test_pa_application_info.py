"""pa_application_info's main() in-process (tests/pa_modulelib.py) against the seeded emulator: reads only.

The seed has two active applications named "Reporting", "Shared Services" archived and active, and the archived
"Legacy Mainframe". A name shared by an archived and an active application is test_module_waits.py's; a name ""
is test_module_bad_input.py's.
"""

import pytest

REPORTING = ["8c1f6e2a-3d94-4a7b-9f05-b2e8c4d6a173", "f4d7a9c2-8e13-4b6f-a2d5-c9b1e3f7a604"]
LEGACY_MAINFRAME = "b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def names(applications):
    return [app["name"] for app in applications]


def only_reads(emulator):
    return all(route.startswith("GET ") for route in emulator.stats()["requests"])


def test_list_leaves_the_archived_out_in_check_mode_too_and_again(emulator, run_module):
    active = run_module("pa_application_info", {}, check=True)
    assert active.rc == 0 and active["changed"] is False, active.output
    assert active["applications"] and [app for app in active["applications"] if app["isArchived"]] == []
    assert "Core Banking" in names(active["applications"])
    assert "Legacy Mainframe" not in names(active["applications"])
    again = run_module("pa_application_info", {})
    assert again["changed"] is False and again["applications"] == active["applications"]
    assert only_reads(emulator)


def test_include_archived_adds_the_archived_ones(run_module):
    active = run_module("pa_application_info", {})
    everything = run_module("pa_application_info", {"include_archived": True})
    assert [app for app in everything["applications"] if not app["isArchived"]] == active["applications"]
    assert "Legacy Mainframe" in names(app for app in everything["applications"] if app["isArchived"])


@pytest.mark.parametrize("name,expected_ids", [
    ("Reporting", REPORTING),  # a name two active applications share: both are returned
    ("core banking", []),  # names match exactly: another case is another name
], ids=["shared_name", "other_case"])
def test_look_up_by_name(run_module, name, expected_ids):
    run = run_module("pa_application_info", {"name": name})
    assert run.rc == 0 and run["changed"] is False, run.output
    assert sorted(app["id"] for app in run["applications"]) == expected_ids
    assert set(names(run["applications"])) <= {name}


def test_read_an_archived_application_by_an_upper_case_id(emulator, run_module):
    run = run_module("pa_application_info", {"application_id": LEGACY_MAINFRAME.upper()})
    assert run.rc == 0 and run["changed"] is False, run.output
    [app] = run["applications"]
    assert app["id"] == LEGACY_MAINFRAME and app["isArchived"] is True
    assert emulator.stats()["requests"] == {"GET /api/applications/{id}": 1}  # read by its id, not from the list


# (id, args, exact message or its start, requests it may send)
FAILURES = [
    ("unknown_id", {"application_id": UNKNOWN}, "=application_id: no application with id " + UNKNOWN, 1),
    ("id_in_braces", {"application_id": "{" + REPORTING[0] + "}"},
     "application_id: '{" + REPORTING[0] + "}' is not a GUID", 0),
    ("name_blank", {"name": " "}, "=name: must not be empty", 0),
    ("id_and_name", {"application_id": REPORTING[0], "name": "Reporting"},
     "parameters are mutually exclusive: application_id|name", 0),
]


@pytest.mark.parametrize("args,message,requests_sent", [row[1:] for row in FAILURES], ids=[row[0] for row in FAILURES])
def test_failures_name_the_option(emulator, run_module, args, message, requests_sent):
    run = run_module("pa_application_info", args)
    assert run.rc == 1 and run["failed"] is True and run["changed"] is False
    if message.startswith("="):
        assert run["msg"] == message[1:]
    else:
        assert run["msg"].startswith(message), run["msg"]
    assert "Traceback" not in run.output
    assert emulator.stats()["total"] == requests_sent

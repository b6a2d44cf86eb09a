"""The ``applications`` form of pa_import_stage as a user meets it, over real HTTP against the emulator.

| point | what                                                                     | test                                      |
|-------|--------------------------------------------------------------------------|-------------------------------------------|
| 2     | a GUID string is an id, any other string a name; one list read per run   | test_bare_names_and_guids_*, test_*_once  |
| 2     | a mangled GUID is a name, and the "no application" message says so      | test_mangled_guid_*                       |
| 6     | 401 / refused connection stops the batch: one error, the rest not tried  | test_systemic_*                           |
| 6     | per-application errors (400, 422, unknown name) never stop the others    | test_per_application_errors_*             |
| 7     | a failed build's msg carries the cause; the wait's counts in the msg     | test_failure_cause_*, test_wait_*         |
| 8     | check mode says "would stage N"; --diff is a list, one per change        | test_check_mode_*, test_diff_*            |
"""

import socket
import threading
import time

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PermissionAssistApi
from ansible_collections.sycorr.permission_assist.plugins.module_utils.client import Client
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError, OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.obtained import wait_for_obtained
from ansible_collections.sycorr.permission_assist.plugins.module_utils.report import stage_summary
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage import stage
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import parse_items, run_batch, stage_many
from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import failure_cause
from pa_clientlib import LIST, make_api
from pa_testlib import TOKEN, application_id

CORE_BANKING = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"
APPS = "GET /api/applications"
STAGE_ROUTE = "POST /api/application-imports/stage"


def params(applications, **overrides):
    values = dict(applications=applications, reuse_pending=False, wait=False, wait_timeout=30, poll_interval=0.1,
                  cancel_on_timeout=False)
    values.update(overrides)
    return values


def requests_to(emulator, route):
    return emulator.stats()["requests"].get(route, 0)


def closed_port():
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Point 2: one grammar

def test_bare_names_and_guids_stage_with_one_application_list_read(emulator):
    api = make_api(emulator)
    result = run_batch(api, params(["HR Portal", "Payments Gateway", CORE_BANKING.upper(), {"name": "Treasury Management"},
                                    " Core Banking "]), check_mode=False)
    rows = result["application_results"]
    assert [row["application_name"] for row in rows] == [
        "HR Portal", "Payments Gateway", "Core Banking", "Treasury Management", "Core Banking"]
    assert not any(row["failed"] for row in rows) and all(row["changed"] for row in rows)
    assert rows[2]["application_id"] == CORE_BANKING  # upper-case GUID: an id, sent in lower case
    assert requests_to(emulator, APPS) == 1  # four names, one read of the application list
    assert requests_to(emulator, STAGE_ROUTE) == 5 and api.client.request_count == 6


def test_a_failed_application_list_read_is_not_repeated_for_each_name(emulator):
    emulator.add_fault(method="GET", path="^/api/applications$", action="status", status=500, times=10)
    api = make_api(emulator, retries=0)
    run = stage_many(api, parse_items(["HR Portal", "Payments Gateway", CORE_BANKING], False), check_mode=False)
    hr, payments, core = run.results
    assert hr["failed"] and payments["failed"] and "HTTP 500" in hr["msg"] and hr["msg"] == payments["msg"]
    assert not core["failed"] and core["changed"]  # an id needs no list, and a 500 is not systemic
    assert requests_to(emulator, APPS) == 1


@pytest.mark.parametrize("value,message", [
    ("", "applications[0]: must not be empty"),
    ("   ", "applications[0]: must not be empty"),
    (12, "applications[0]: must be an application GUID or name, or a dict with id or name"),
    ({"id": "HR Portal"}, "applications[0].id: 'HR Portal' is not a GUID"),  # a dict's id must still be a GUID
])
def test_what_is_still_refused_before_any_request(value, message):
    with pytest.raises(InputError) as info:
        parse_items([value], True)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("value,hint", [
    ("{" + CORE_BANKING + "}", "; it looks like the application id " + CORE_BANKING + " (Core Banking): write the bare GUID"),
    (CORE_BANKING.replace("-", ""), "; it looks like the application id " + CORE_BANKING + " (Core Banking)"),
    (CORE_BANKING[:-1], "; it is not a GUID either (expected 8-4-4-4-12 hexadecimal digits), so it was taken as a name"),
])
def test_mangled_guid_is_a_name_and_the_message_says_what_was_meant(emulator, value, hint):
    run = stage_many(make_api(emulator), parse_items([value, "HR Portal"], False), check_mode=False)
    mangled, hr = run.results
    assert mangled["failed"] and mangled["attempted"]
    assert mangled["msg"].startswith("applications[0]: no application is named {0!r}{1}".format(value, hint))
    assert not hr["failed"]  # an unknown name is the item's own failure
    assert emulator.stats()["imports_created"] == 1


# Point 6: systemic failures stop the batch

def test_systemic_refused_connection_stops_at_the_first_item_within_one_call(emulator):
    """20 applications, server down, the default request_retries (3, real sleeps): one call's retries, not 20."""
    client = Client("http://127.0.0.1:{0}".format(closed_port()), TOKEN)  # default RetryPolicy: 3 retries
    api = PermissionAssistApi(client)
    names = ["HR Portal", "Payments Gateway", "Core Banking", "Treasury Management"] * 5
    started = time.monotonic()
    with pytest.raises(OperationError) as info:
        run_batch(api, params(names, reuse_pending=True), check_mode=False)
    elapsed = time.monotonic() - started
    print("20 applications, server down, request_retries 3: failed in {0:.2f}s, {1} connection attempts".format(
        elapsed, client.request_count))
    assert client.request_count == 4  # the application-list read and its 3 retries; nothing for the 19 others
    details = info.value.fail_kwargs()
    message = details["msg"]
    assert message.count("Connection refused") == 1, message
    assert message.startswith("GET /applications failed: cannot connect to 127.0.0.1:")
    assert "the batch stopped at applications[0] (HR Portal): 19 of 20 application(s) not attempted" in message
    first, rest = details["application_results"][0], details["application_results"][1:]
    assert first["failed"] and first["attempted"] and "Connection refused" in first["msg"]
    assert all(row["failed"] and row["attempted"] is False for row in rest)
    assert set(row["msg"] for row in rest) == {"not attempted: connection refused"}
    assert details["summary"] == {"requested": 20, "staged": 0, "reused": 0, "failed": 20, "not_attempted": 19}
    assert details["changed"] is False


def test_systemic_401_after_a_staged_item_stops_the_rest_and_keeps_what_was_done(emulator):
    names = ("HR Portal", "Payments Gateway", "Treasury Management")
    hr, payments, treasury = (application_id(emulator, name) for name in names)
    emulator.add_fault(method="GET", path=LIST, action="status", status=401, body="json")
    list_reads = requests_to(emulator, APPS)  # the test's own look-ups above
    api = make_api(emulator)
    with pytest.raises(OperationError) as info:
        # HR Portal: a stage alone; Payments Gateway reads its imports first and meets the 401.
        run_batch(api, params([hr, {"id": payments, "reuse_pending": True}, treasury, "Core Banking"]),
                  check_mode=False)
    details = info.value.fail_kwargs()
    staged, stopped, skipped, named = details["application_results"]
    assert staged["changed"] and not staged["failed"] and staged["attempted"]
    assert stopped["failed"] and stopped["attempted"] and "HTTP 401 unauthorized" in stopped["msg"]
    assert [skipped["msg"], named["msg"]] == ["not attempted: HTTP 401 unauthorized"] * 2
    assert skipped["attempted"] is False and named["attempted"] is False and named["application_name"] == "Core Banking"
    assert details["changed"] is True and details["summary"]["staged"] == 1 and details["summary"]["not_attempted"] == 2
    assert details["msg"].count("HTTP 401") == 1 and "staged 1, reused 0 of 4" in details["msg"]
    assert requests_to(emulator, APPS) == list_reads  # the name after the stop was never resolved
    assert emulator.stats()["imports_created"] == 1 and api.client.request_count == 2


def test_per_application_errors_never_stop_the_others(emulator):
    api = make_api(emulator)
    names = ["Card Issuing", "Legacy Mainframe", "No Such Application", "HR Portal"]  # 422, archived 400, unknown
    with pytest.raises(OperationError) as info:
        run_batch(api, params(names), check_mode=False)
    details = info.value.fail_kwargs()
    rows = details["application_results"]
    assert [row["failed"] for row in rows] == [True, True, True, False] and all(row["attempted"] for row in rows)
    assert "HTTP 422" in rows[0]["msg"] and "no application is named 'No Such Application'" in rows[2]["msg"]
    assert details["summary"]["not_attempted"] == 0 and details["summary"]["failed"] == 3
    assert details["msg"].startswith("staged 1, reused 0 of 4; 3 of 4 application(s) failed: Card Issuing: ")


# Point 7: failures say why

@pytest.mark.parametrize("log,cause", [
    ("Import started.\nReading files...\nValidating rows...\nError: the user extract has 0 rows; import stopped.",
     "the user extract has 0 rows; import stopped."),
    ("Import started.\nERROR: role extract is missing column 'owner'\n\nImport failed.\n  \n",
     "role extract is missing column 'owner'"),
    ("Import started.\nBuild aborted", "Build aborted"),  # nothing more specific: the last line all the same
    ("Connector timed out after 600 s\n*** Import has failed with errors ***", "Connector timed out after 600 s"),
    ("", None),
    (None, None),
])
def test_failure_cause_is_the_last_meaningful_log_line(log, cause):
    assert failure_cause({"log": log}) == cause


def test_failed_build_of_one_application_says_why(emulator):
    emulator.set_worker(paused=False, build_seconds=0.2)
    api = make_api(emulator)
    outcome = stage(api, application_id(emulator, "Data Warehouse"), reuse_pending=False)
    with pytest.raises(OperationError) as info:
        wait_for_obtained(api, outcome, {"wait_timeout": 30, "poll_interval": 0.1})
    assert str(info.value).endswith(" of Data Warehouse failed: the user extract has 0 rows; import stopped.")


def test_wait_counts_every_ending_in_the_failure_message_and_the_failed_build_says_why(emulator):
    emulator.set_worker(paused=False, build_seconds=0.2)
    with pytest.raises(OperationError) as info:
        run_batch(make_api(emulator), params(["HR Portal", "Data Warehouse", "Payments Gateway"], wait=True),
                  check_mode=False)
    details = info.value.fail_kwargs()
    assert details["msg"].startswith("staged 3, reused 0 of 3; finished 2, failed build 1, canceled 0, timed out 0; "
                                     "1 of 3 application(s) failed: Data Warehouse: staged import #")
    assert details["msg"].endswith(" of Data Warehouse failed: the user extract has 0 rows; import stopped.")
    warehouse = details["application_results"][1]
    assert warehouse["msg"].endswith("failed: the user extract has 0 rows; import stopped.")


def test_wait_counts_in_the_success_message(emulator):
    emulator.set_worker(build_seconds=0.1)
    api = make_api(emulator)
    stage(api, application_id(emulator, "Treasury Management"))  # a Pending import to reuse (the job is paused)
    threading.Timer(0.5, lambda: emulator.set_worker(paused=False)).start()  # once staged: let the builds run
    result = run_batch(api, params(["HR Portal", "Payments Gateway", {"name": "Treasury Management",
                                                                      "reuse_pending": True}], wait=True),
                       check_mode=False)
    assert result["msg"] == "staged 2, reused 1 of 3; finished 3, failed build 0, canceled 0, timed out 0"


# Point 8: check mode and diff

def test_check_mode_says_would_stage_and_staged_stays_zero(emulator):
    api = make_api(emulator)
    stage(api, application_id(emulator, "HR Portal"))  # HR Portal has a Pending import to reuse
    result = run_batch(api, params(["HR Portal", "Payments Gateway", "Core Banking"], reuse_pending=True),
                       check_mode=True)
    assert result["msg"] == "would stage 2, reuse 1 of 3 (check mode: nothing was staged)"
    assert result["summary"] == {"requested": 3, "staged": 0, "would_stage": 2, "reused": 1, "failed": 0,
                                 "not_attempted": 0}
    assert result["changed"] is True and "diff" not in result
    assert emulator.stats()["imports_created"] == 1  # only the one staged above


def test_check_mode_with_wait_says_it_does_not_wait(emulator):
    result = run_batch(make_api(emulator), params(["HR Portal"], wait=True), check_mode=True)
    assert result["msg"] == "would stage 1, reuse 0 of 1; check mode: not waiting (nothing was staged)"


def test_diff_lists_one_before_and_after_per_application_that_changed(emulator):
    api = make_api(emulator)
    stage(api, application_id(emulator, "HR Portal"))
    with pytest.raises(OperationError) as info:  # Card Issuing: 422, no diff for it
        run_batch(api, params(["HR Portal", "Payments Gateway", "Card Issuing"], reuse_pending=True),
                  check_mode=False, diff=True)
    details = info.value.fail_kwargs()
    number = details["application_results"][1]["number"]
    assert details["diff"] == [{"before_header": "Payments Gateway", "after_header": "Payments Gateway",
                                "before": "no import\n", "after": "import #{0}: Pending\n".format(number)}]
    predicted = run_batch(api, params(["Payments Gateway", "Core Banking"], reuse_pending=False), check_mode=True,
                          diff=True)
    assert [(d["before_header"], d["before"], d["after"]) for d in predicted["diff"]] == [
        ("Payments Gateway", "no import\n", "new import: Pending\n"), ("Core Banking", "no import\n", "new import: Pending\n")]


def test_summary_of_a_real_run_has_no_would_stage():
    results = [{"failed": False, "changed": True, "attempted": True}]
    assert stage_summary(results) == {"requested": 1, "staged": 1, "reused": 0, "failed": 0, "not_attempted": 0}


def test_an_import_gone_mid_wait_fails_with_the_404_it_got(emulator):
    """The wait for one import reads it by id; a 404 says it is gone, and the task keeps that answer's details."""
    api = make_api(emulator)
    outcome = stage(api, application_id(emulator, "HR Portal"), reuse_pending=False)
    emulator.add_fault(method="GET", path="^/api/application-imports/[0-9a-f-]+$", action="status", status=404,
                       times=5)
    with pytest.raises(OperationError) as info:
        wait_for_obtained(api, outcome, {"wait_timeout": 30, "poll_interval": 0.1})
    details = info.value.fail_kwargs()
    assert "disappeared while waiting" in details["msg"] and details["status"] == 404
    assert details["application_import"]["id"] == outcome.record["id"]

"""pa_import_cancel's run() over real HTTP: the batch forms (import_ids, all_active), systemic stops, check and diff.

The module object is a stand-in carrying what AnsibleModule would (params with their defaults, check mode, --diff);
the API client is the collection's own, against the in-process emulator.
"""

import socket
import uuid
from types import SimpleNamespace

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    InputError, PermissionAssistError)
from ansible_collections.sycorr.permission_assist.plugins.modules import pa_import_cancel
from pa_clientlib import make_api
from pa_testlib import status_of, stage_directly

CANCEL = "^/api/application-imports/cancel$"
CANCEL_ROUTE = "POST /api/application-imports/cancel"
APP = "Payments Gateway"


class Module:
    def __init__(self, check_mode=False, diff=False, **params):
        self.params = dict((name, spec.get("default")) for name, spec in pa_import_cancel.ARGUMENT_SPEC.items())
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff


def failure(api, module):
    with pytest.raises(PermissionAssistError) as caught:
        pa_import_cancel.run(module, api)
    return caught.value.fail_kwargs()


def three_pending(emulator):
    return [stage_directly(emulator, APP) for dummy in range(3)]


def cancels_sent(emulator):
    return emulator.stats()["requests"].get(CANCEL_ROUTE, 0)


# Point 10: all_active goes through the batch path

def test_all_active_one_failed_cancel_never_stops_the_others(emulator):
    staged = three_pending(emulator)
    emulator.add_fault(method="POST", path=CANCEL, action="status", status=500)  # the first cancel only
    result = failure(make_api(emulator), Module(application_name=APP, all_active=True))
    results = result["import_results"]
    assert sorted(r["import_id"] for r in results) == sorted(s["id"] for s in staged)
    [broken] = [r for r in results if r["failed"]]
    assert "HTTP 500" in broken["msg"] and broken["attempted"] is True and broken["changed"] is False
    others = [r for r in results if not r["failed"]]
    assert [(r["changed"], r["status"]) for r in others] == [(True, "Canceling")] * 2
    assert result["changed"] is True
    assert result["summary"] == {"requested": 3, "canceled": 2, "unchanged": 0, "failed": 1, "not_attempted": 0}
    assert result["msg"].startswith("canceled 2 of 3 active import(s) of application {0} (".format(APP))
    assert "1 of 3 import(s) failed: {0}: POST /application-imports/cancel failed: HTTP 500".format(
        broken["import_id"]) in result["msg"]
    # Still returned as before: every active import's record and the ids canceled.
    assert sorted(result["canceled_import_ids"]) == sorted(r["import_id"] for r in others)
    assert sorted(record["status"] for record in result["application_imports"]) == ["Canceling", "Canceling", "Pending"]
    assert sorted(status_of(emulator, s["id"]) for s in staged) == ["Canceling", "Canceling", "Pending"]


def test_all_active_succeeds_with_per_import_results(emulator):
    staged = three_pending(emulator)
    result = pa_import_cancel.run(Module(application_name=APP, all_active=True), make_api(emulator))
    assert result["changed"] is True
    assert [r["import_id"] for r in result["import_results"]] == result["canceled_import_ids"]
    assert sorted(result["canceled_import_ids"]) == sorted(s["id"] for s in staged)
    assert {(r["status"], r["attempted"], r["failed"]) for r in result["import_results"]} == {
        ("Canceling", True, False)}
    assert result["summary"] == {"requested": 3, "canceled": 3, "unchanged": 0, "failed": 0, "not_attempted": 0}
    again = pa_import_cancel.run(Module(application_name=APP, all_active=True), make_api(emulator))
    assert again["changed"] is False and again["import_results"] == [] and again["summary"]["requested"] == 0


# Point 6: a systemic failure stops the batch with one message; per-import errors never do

@pytest.mark.parametrize("form", ["import_ids", "all_active"])
def test_a_401_stops_the_batch_and_the_rest_are_not_attempted(emulator, form):
    staged = three_pending(emulator)
    emulator.add_fault(method="POST", path=CANCEL, action="status", status=401)
    if form == "import_ids":
        args = dict(import_ids=[s["id"] for s in staged])
    else:
        args = dict(application_name=APP, all_active=True)
    result = failure(make_api(emulator), Module(**args))
    first, rest = result["import_results"][0], result["import_results"][1:]
    assert first["failed"] is True and first["attempted"] is True and "HTTP 401" in first["msg"]
    assert [(r["failed"], r["attempted"], r["changed"]) for r in rest] == [(True, False, False)] * 2
    assert all(r["msg"].startswith("not attempted: the batch stopped at import {0}: ".format(first["import_id"]))
               for r in rest)
    assert result["msg"].count("HTTP 401") == 1, result["msg"]  # one message, not one per import
    assert "2 import(s) not attempted" in result["msg"] and result["status"] == 401
    assert result["summary"] == {"requested": 3, "canceled": 0, "unchanged": 0, "failed": 3, "not_attempted": 2}
    assert result["changed"] is False
    assert cancels_sent(emulator) == 1
    assert [status_of(emulator, s["id"]) for s in staged] == ["Pending"] * 3


def test_a_refused_connection_stops_the_batch_at_the_first_import(emulator):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = make_api(SimpleNamespace(url="http://127.0.0.1:{0}".format(port)), retries=0)
    ids = [str(uuid.uuid4()) for dummy in range(4)]
    result = failure(api, Module(import_ids=ids))
    assert [r["attempted"] for r in result["import_results"]] == [True, False, False, False]
    assert result["summary"]["not_attempted"] == 3 and result["summary"]["failed"] == 4
    assert result["request_sent"] is False
    assert result["msg"].count("refused") <= 1 and "3 import(s) not attempted" in result["msg"]


def test_per_import_errors_never_stop_the_batch(emulator):
    staged = three_pending(emulator)
    unknown = str(uuid.uuid4())
    emulator.add_fault(method="POST", path=CANCEL, action="status", status=500)
    result = failure(make_api(emulator), Module(import_ids=[unknown] + [s["id"] for s in staged]))
    assert [(r["failed"], r["attempted"]) for r in result["import_results"]] == [
        (True, True), (True, True), (False, True), (False, True)]
    assert result["summary"]["not_attempted"] == 0 and result["summary"]["canceled"] == 2
    assert result["msg"].startswith("2 of 4 import(s) failed: {0}: import_id: no import with id".format(unknown))


# Point 8 (a): the cancel of an import a check-mode stage only predicted

@pytest.mark.parametrize("empty", [None, "", " "])
def test_check_mode_cancel_of_a_predicted_import_says_what_it_would_do(emulator, empty):
    result = pa_import_cancel.run(Module(check_mode=True, diff=True, import_id=empty), make_api(emulator))
    assert result["changed"] is True and result["application_import"] is None
    assert result["msg"] == ("check mode: the import is only predicted (a check-mode stage); "
                             "a real run would cancel it")
    assert (result["diff"]["before"], result["diff"]["after"]) == ("new import: Pending\n", "new import: Canceling\n")
    assert emulator.stats()["total"] == 0


@pytest.mark.parametrize("empty", [None, ""])
def test_outside_check_mode_an_empty_import_id_fails_naming_it(emulator, empty):
    with pytest.raises(InputError) as caught:
        pa_import_cancel.run(Module(import_id=empty), make_api(emulator))
    assert caught.value.field == "import_id" and str(caught.value).startswith("import_id: is empty")
    assert emulator.stats()["total"] == 0


def test_check_mode_import_ids_with_a_predicted_entry(emulator):
    staged = stage_directly(emulator, APP)
    result = pa_import_cancel.run(Module(check_mode=True, import_ids=["", staged["id"]]), make_api(emulator))
    assert [(r["import_id"], r["changed"], r["failed"]) for r in result["import_results"]] == [
        (None, True, False), (staged["id"], True, False)]
    assert result["import_results"][0]["msg"].startswith("check mode: the import is only predicted")
    with pytest.raises(InputError) as caught:
        pa_import_cancel.run(Module(import_ids=[staged["id"], ""]), make_api(emulator))
    assert str(caught.value).startswith("import_ids[1]: is empty")
    assert status_of(emulator, staged["id"]) == "Pending"


# Point 8 (b): --diff, a line per import before and after

@pytest.mark.parametrize("check_mode", [True, False])
def test_single_cancel_diff(emulator, check_mode):
    staged = stage_directly(emulator, APP)
    result = pa_import_cancel.run(Module(check_mode=check_mode, diff=True, import_id=staged["id"]), make_api(emulator))
    line = "import #{0}: ".format(staged["number"])
    assert result["diff"]["before"] == line + "Pending\n" and result["diff"]["after"] == line + "Canceling\n"
    assert result["diff"]["before_header"].startswith("import #{0} ({1}) of {2}".format(
        staged["number"], staged["id"], APP))
    assert "diff" not in pa_import_cancel.run(Module(import_id=staged["id"]), make_api(emulator))  # no --diff
    unchanged = pa_import_cancel.run(Module(diff=True, import_id=staged["id"]), make_api(emulator))
    assert unchanged["diff"]["before"] == unchanged["diff"]["after"]


@pytest.mark.parametrize("form", ["import_ids", "all_active"])
def test_batch_diff_is_a_list_with_one_entry_per_import_changed(emulator, form):
    first, second = stage_directly(emulator, APP), stage_directly(emulator, APP)
    make_api(emulator).cancel_import(first["id"])  # already Canceling: unchanged, no diff
    if form == "import_ids":
        args = dict(import_ids=[first["id"], second["id"]])
    else:
        args = dict(application_name=APP, all_active=True)
    result = pa_import_cancel.run(Module(diff=True, **args), make_api(emulator))
    assert [(diff["before"], diff["after"]) for diff in result["diff"]] == [
        ("import #{0}: Pending\n".format(second["number"]), "import #{0}: Canceling\n".format(second["number"]))]


@pytest.mark.parametrize("form", ["import_ids", "all_active"])
def test_check_mode_counts_what_a_real_run_would_cancel_and_cancels_nothing(emulator, form):
    staged = three_pending(emulator)
    args = {"import_ids": [s["id"] for s in staged]} if form == "import_ids" else {"application_name": APP,
                                                                                   "all_active": True}
    result = pa_import_cancel.run(Module(check_mode=True, **args), make_api(emulator))
    assert result["changed"] is True
    assert result["summary"] == {"requested": 3, "canceled": 0, "would_cancel": 3, "unchanged": 0, "failed": 0,
                                 "not_attempted": 0}
    assert result["msg"].startswith("would cancel 3")
    assert cancels_sent(emulator) == 0
    assert [status_of(emulator, s["id"]) for s in staged] == ["Pending"] * 3


# main() in-process (tests/pa_modulelib.py): one import, then every active one, each in check mode, for real and again

def test_cancel_one_then_all_active_in_check_mode_for_real_and_again(emulator, run_module):
    staged = stage_directly(emulator, "Treasury Management")
    single = {"import_id": staged["id"]}
    check = run_module("pa_import_cancel", single, check=True)
    assert check.rc == 0 and check["changed"] is True and check["cancelable"] is True, check.output
    assert (check["application_import"]["id"], check["application_import"]["status"]) == (staged["id"], "Pending")
    assert cancels_sent(emulator) == 0 and status_of(emulator, staged["id"]) == "Pending"

    first = run_module("pa_import_cancel", single)
    assert first["changed"] is True and first["cancelable"] is True
    assert first["application_import"]["status"] == "Canceling" and "cancel requested" in first["msg"]
    again = run_module("pa_import_cancel", single)  # the build job is paused: the import stays Canceling
    assert again["changed"] is False and again["cancelable"] is True
    assert again["application_import"]["status"] == "Canceling" and "already Canceling" in again["msg"]

    batch = sorted(stage_directly(emulator, "Treasury Management")["id"] for dummy in range(2))
    every = {"application_name": "Treasury Management", "all_active": True}
    check = run_module("pa_import_cancel", every, check=True)
    assert check["changed"] is True and sorted(check["canceled_import_ids"]) == batch
    assert {record["status"] for record in check["application_imports"]} == {"Pending"}
    assert cancels_sent(emulator) == 1  # the single cancel only
    canceled = run_module("pa_import_cancel", every)
    assert canceled["changed"] is True and sorted(canceled["canceled_import_ids"]) == batch
    assert {record["status"] for record in canceled["application_imports"]} == {"Canceling"}
    again = run_module("pa_import_cancel", every)
    assert again["changed"] is False
    assert again["canceled_import_ids"] == [] and again["application_imports"] == []


@pytest.mark.parametrize("args,start,text", [
    ({"application_name": "Treasury Management"}, "all_active:", ""),
    ({"import_id": "4d2c8e61-7f3a-4b59-9e12"}, "import_id:", "is not a GUID"),
], ids=["by_application_without_all_active", "import_id_malformed"])
def test_refused_before_any_request_naming_the_option(emulator, run_module, args, start, text):
    run = run_module("pa_import_cancel", args)
    assert run.rc == 1 and run["failed"] is True and run["changed"] is False
    assert run["msg"].startswith(start) and text in run["msg"], run["msg"]
    assert emulator.stats()["total"] == 0

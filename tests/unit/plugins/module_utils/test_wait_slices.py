"""pa_import_wait's logic against the emulator: targets, slices and progress lines, stall warning, verdicts, budgets."""

import json
import re
import time

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError, OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait_slices import (
    active_imports, check_options, parse_targets, run_wait)

from pa_clientlib import make_api
from pa_testlib import application_id, stage_directly, status_of, wait_until

APPS = ["Core Banking", "HR Portal", "Payments Gateway", "Treasury Management"]


def params(**values):
    base = dict(import_ids=None, results=None, application_id=None, application_name=None, expect="finished",
                wait_timeout=30.0, poll_interval=0.2, cancel_on_timeout=False, progress_interval=60.0,
                stall_warning=600.0, _wait_state=None)
    base.update(values)
    return base


def targets_of(api, values):
    check_options(values)
    targets = parse_targets(values)
    return active_imports(api, values) if targets is None else targets


def run_sliced(api, values, check_mode=False):
    """What the action plugin does: slices until done, the state through JSON; returns (result, [(time, line)])."""
    lines = []
    state = {}
    started = time.monotonic()
    while True:
        current = dict(values, _wait_state=json.loads(json.dumps(state)))
        targets = None if state else targets_of(api, current)
        try:
            result = run_wait(api, current, check_mode, targets)
        except OperationError as exc:
            result = dict(exc.fail_kwargs(), failed=True)
        lines.append((time.monotonic() - started, result["progress"]))
        if result["done"]:
            return result, lines
        state = result.pop("_wait_state")


def run_once(api, values, check_mode=False):
    return run_wait(api, values, check_mode, targets_of(api, values))


def staged_ids(emulator, names):
    return [stage_directly(emulator, name)["id"] for name in names]


def list_requests(emulator):
    return emulator.stats()["requests"].get("GET /api/application-imports", 0)


def single_reads(emulator):
    return emulator.stats()["requests"].get("GET /api/application-imports/{id}", 0)


def test_a_sliced_wait_prints_each_status_change_and_ends_as_one_run_would(emulator):
    ids = staged_ids(emulator, APPS)
    emulator.set_worker(paused=False, build_seconds=0.4)
    before = emulator.stats()["total"]
    result, lines = run_sliced(make_api(emulator), params(import_ids=ids, progress_interval=1.0))
    assert [entry["wait"] for entry in result["import_results"]] == ["finished"] * 4
    assert result["summary"]["finished"] == 4 and result["summary"]["failed"] == 0
    assert result["msg"] == "all 4 import(s) finished"
    texts = [line for dummy, line in lines]
    assert texts[0].startswith("waiting 0m00s for 4 import(s): ")
    assert "still active: #" in texts[0] and "Core Banking" in texts[0]
    assert texts[-1].startswith("done after ") and "4 Finished, 0 Failed, 0 Canceled" in texts[-1]
    # the imports start and end one after the other: a line on each poll that saw a change
    assert len(lines) >= 3, texts
    assert any(" 1 Running" in text and " 0 Finished" not in text for text in texts[1:-1]), texts
    stats = result["wait_stats"]
    # Each import that ended is read once for its full record, by a final read or by the fallback read of an import
    # that moved between two page reads of one poll (the build job started it meanwhile): which one is timing.
    assert stats["final_record_requests"] <= 4 <= stats["final_record_requests"] + stats["fallback_requests"]
    assert stats["fallback_requests"] <= stats["polls"]
    assert stats["list_requests"] <= 3 * stats["polls"]  # the budget holds across slices
    assert emulator.stats()["total"] - before == (
        stats["list_requests"] + stats["final_record_requests"] + stats["fallback_requests"])
    assert list_requests(emulator) == stats["list_requests"]


def test_the_result_of_a_sliced_wait_is_the_result_of_one_run(emulator):
    ids = staged_ids(emulator, ["HR Portal", "Data Warehouse"])
    emulator.set_worker(paused=False, build_seconds=0.3)
    sliced, dummy = run_sliced(make_api(emulator), params(import_ids=ids, progress_interval=0.5))
    emulator.reset()
    emulator.set_worker(paused=True)
    ids = staged_ids(emulator, ["HR Portal", "Data Warehouse"])
    emulator.set_worker(paused=False, build_seconds=0.3)
    with pytest.raises(OperationError) as once:
        run_once(make_api(emulator), params(import_ids=ids, progress_interval=0))
    whole = once.value.fail_kwargs()
    assert sliced["failed"] and whole["msg"].startswith("1 of 2 import(s) did not end Finished: import #")
    assert [(r["wait"], r["failed"]) for r in sliced["import_results"]] == [
        (r["wait"], r["failed"]) for r in whole["import_results"]] == [("finished", False), ("failed_build", True)]
    assert whole["import_results"][1]["log_tail"][-1].startswith("Error:")
    # A failed build says why (the cause from its log), in the entry and in the task's message.
    assert whole["import_results"][1]["msg"].endswith("of Data Warehouse failed: the user extract has 0 rows; import stopped.")
    assert whole["msg"].endswith("failed: the user extract has 0 rows; import stopped.")
    assert whole["summary"] == sliced["summary"]


def test_a_line_at_least_every_progress_interval_while_nothing_changes(emulator):
    ids = staged_ids(emulator, ["HR Portal"])  # the build job stays paused: nothing changes
    with pytest.raises(OperationError) as info:
        run_once(make_api(emulator), params(import_ids=ids, wait_timeout=0.1))
    assert info.value.fail_kwargs()["timed_out"] is True
    result, lines = run_sliced(make_api(emulator), params(import_ids=ids, wait_timeout=2.2, poll_interval=0.2,
                                                          progress_interval=0.5))
    gaps = [later - earlier for (earlier, dummy), (later, dummy2) in zip(lines, lines[1:])]
    # slices end before a sleep that would pass progress_interval: lines come at that pace, not at the end
    assert len(lines) >= 4 and len(gaps) == len(lines) - 1, (gaps, lines)
    assert all("1 Pending" in line for dummy, line in lines)
    assert result["failed"] and result["timed_out"] and result["import_results"][0]["wait"] == "timed_out"
    # one wait_timeout over all the slices: it ends at most one request after it
    assert result["wait_stats"]["waited"] >= 2.2 and result["wait_stats"]["polls"] <= 2.2 / 0.2 + 1


def test_a_stalled_build_job_is_named_in_the_progress_line_and_at_the_timeout(emulator):
    ids = staged_ids(emulator, ["HR Portal", "Payments Gateway"])  # the build job is paused: nothing runs
    result, lines = run_sliced(make_api(emulator), params(import_ids=ids, wait_timeout=1.6, stall_warning=0.8,
                                                          progress_interval=0.4))
    stalled = [line for dummy, line in lines if "no import has started for" in line]
    assert stalled, lines
    assert all("is the build job running?" not in line for when, line in lines if when < 0.8)
    assert re.search(r"; no import has started for \d+ s: is the build job running\?$", result["msg"]), result["msg"]
    assert result["msg"].count("is the build job running?") == 1
    assert all("is the build job running?" in entry["msg"] for entry in result["import_results"])


def test_no_stall_warning_while_another_import_runs(emulator):
    emulator.set_worker(paused=False, build_seconds=60)
    blocking = stage_directly(emulator, "Core Banking")
    wait_until(lambda: status_of(emulator, blocking["id"]) == "Running")
    ids = staged_ids(emulator, ["HR Portal"])  # queued behind a 60 s build: Pending, but the job is busy
    result, lines = run_sliced(make_api(emulator), params(import_ids=ids, wait_timeout=1.2, stall_warning=0.3,
                                                          progress_interval=0.4))
    assert result["timed_out"]
    assert all("build job" not in line for dummy, line in lines)
    assert "build job" not in result["msg"]


def test_roll_back_wait_expects_canceled(emulator):
    api = make_api(emulator)
    ids = staged_ids(emulator, ["HR Portal", "Payments Gateway"])
    cancel_results = [{"import_id": import_id, "number": None, "application_name": None, "status": "Canceling",
                       "changed": True, "failed": False} for import_id in ids]
    for import_id in ids:
        api.cancel_import(import_id)
    cancel_results.append({"import_id": None, "failed": True, "msg": "no id"})  # skipped
    history = api.list_imports_page(application_id(emulator, "HR Portal"))["items"][-1]
    cancel_results.append({"import_id": history["id"], "status": history["status"], "changed": False,  # left alone
                           "failed": False, "msg": "nothing to cancel: it is already " + history["status"]})
    emulator.set_worker(paused=False)
    result = run_once(api, params(results=cancel_results, expect="canceled", progress_interval=0))
    assert [entry["wait"] for entry in result["import_results"]] == ["canceled", "canceled"]
    # summary, msg and lines over the cancel results given, as the cancel_imports role reports them
    assert result["summary"] == {"requested": 4, "canceled": 2, "unchanged": 1, "failed": 1, "not_attempted": 0,
                                 "confirmed_canceled": 2, "overtaken": 0, "timed_out": 0}
    assert result["msg"] == "1 of 4 import(s) failed: None: no id"
    assert result["lines"][0] == "import {0}: Canceled".format(ids[0])  # the entry given has no number
    assert result["lines"][2] == "?: failed: no id" and result["lines"][3].startswith("import {0}: ".format(history["id"]))
    assert result["import_results"][0]["application_name"] == "HR Portal"
    # the results given, in order, merged as pa_import_cancel's own wait would; the others as they were
    merged = result["results"]
    assert [(entry["status"], entry["msg"], entry["timed_out"]) for entry in merged[:2]] == [
        ("Canceled", "it is Canceled", False)] * 2
    assert merged[2] == dict(cancel_results[2], timed_out=False)  # failed: not waited for, unchanged but for timed_out


def test_stage_results_come_back_merged_as_the_stage_wait_would(emulator):
    api = make_api(emulator)
    records = [stage_directly(emulator, name) for name in ["HR Portal", "Data Warehouse"]]
    given = [{"application_name": record["application"]["name"], "import_id": record["id"], "number": record["number"],
              "status": "Pending", "changed": True, "failed": False, "msg": "staged import #{0}".format(record["number"]),
              "application_import": record} for record in records]
    given.insert(1, {"application_name": "Nowhere", "import_id": None, "failed": True, "msg": "no application"})
    emulator.set_worker(paused=False, build_seconds=0.1)
    with pytest.raises(OperationError) as info:
        run_once(api, params(results=given, progress_interval=0))
    merged = info.value.fail_kwargs()["results"]
    assert [(entry["wait"], entry["failed"], entry["status"]) for entry in (merged[0], merged[2])] == [
        ("finished", False, "Finished"), ("failed_build", True, "Failed")]
    assert merged[0]["msg"] == "staged import #{0}; import #{0} finished".format(records[0]["number"])
    assert merged[2]["msg"].endswith("failed: the user extract has 0 rows; import stopped.")
    assert merged[2]["log_tail"] and merged[1] == given[1]
    # summary, msg and lines over the stage results given, as pa_import_stage with wait says them
    details = info.value.fail_kwargs()
    assert details["summary"] == {"requested": 3, "staged": 2, "reused": 0, "failed": 2, "not_attempted": 0,
                                  "finished": 1, "failed_build": 1, "canceled": 0, "timed_out": 0, "wait_error": 0}
    assert details["msg"].startswith("staged 2, reused 0 of 3; finished 1, failed build 1, canceled 0, timed out 0; "
                                     "2 of 3 application(s) failed: Nowhere: no application | Data Warehouse: staged "
                                     "import #{0}; import #{0} (".format(records[1]["number"]))
    assert details["lines"] == [
        "HR Portal: import #{0} Finished".format(records[0]["number"]), "Nowhere: failed: no application",
        "Data Warehouse: import #{0} Failed, failed: {1}".format(records[1]["number"],
                                                                 details["import_results"][1]["msg"])]


def test_expect_canceled_fails_naming_an_import_whose_build_won(emulator):
    ids = staged_ids(emulator, ["HR Portal"])
    emulator.set_worker(paused=False, build_seconds=0.2)
    with pytest.raises(OperationError) as info:
        run_once(make_api(emulator), params(import_ids=ids, expect="canceled"))
    details = info.value.fail_kwargs()
    assert "before the cancel took effect: its build completed first, so it is Finished, not Canceled" in details["msg"]
    assert details["summary"]["failed"] == 1


def test_stage_results_are_waited_from_their_records_and_entries_without_import_are_skipped(emulator):
    api = make_api(emulator)
    staged = stage_directly(emulator, "HR Portal")
    results = [{"application_name": "HR Portal", "import_id": staged["id"], "application_import": staged,
                "failed": False},
               {"application_name": "Card Issuing", "import_id": None, "application_import": None, "failed": True},
               {"application_name": "HR Portal again", "import_id": staged["id"].upper(), "failed": False}]
    emulator.set_worker(paused=False)
    result = run_once(api, params(results=results, progress_interval=0))
    assert [entry["import_id"] for entry in result["import_results"]] == [staged["id"]]
    assert result["import_results"][0]["application_import"]["metrics"] is not None  # the final full record


def test_by_application_waits_for_its_active_imports_only(emulator):
    api = make_api(emulator)
    ids = staged_ids(emulator, ["HR Portal", "HR Portal", "Payments Gateway"])
    emulator.set_worker(paused=False)
    result = run_once(api, params(application_name="HR Portal", progress_interval=0))
    assert [entry["import_id"] for entry in result["import_results"]] == ids[:2]
    result = run_once(api, params(application_id=application_id(emulator, "HR Portal"), progress_interval=0))
    assert result["import_results"] == [] and result["msg"].startswith("nothing to wait for")


def test_an_unknown_id_is_a_wait_error_naming_it(emulator):
    missing = "0b7c2d94-51e3-4f6a-8d20-c3a9e17f4b68"
    with pytest.raises(OperationError) as info:
        run_once(make_api(emulator), params(import_ids=[missing]))
    entry = info.value.fail_kwargs()["import_results"][0]
    assert entry["wait"] == "wait_error" and entry["msg"].startswith("no import with id " + missing)


def test_cancel_on_timeout_cancels_what_is_still_active(emulator):
    ids = staged_ids(emulator, ["HR Portal"])
    with pytest.raises(OperationError) as info:
        run_once(make_api(emulator), params(import_ids=ids, wait_timeout=0.3, cancel_on_timeout=True))
    details = info.value.fail_kwargs()
    assert details["changed"] is True and details["timed_out"] is True
    assert "cancel_on_timeout: cancel requested for import #" in details["import_results"][0]["msg"]
    assert status_of(emulator, ids[0]) in ("Canceling", "Canceled")


def test_cancel_on_timeout_in_check_mode_sends_nothing(emulator):
    ids = staged_ids(emulator, ["HR Portal"])
    with pytest.raises(OperationError) as info:
        run_once(make_api(emulator), params(import_ids=ids, wait_timeout=0.3, cancel_on_timeout=True),
                 check_mode=True)
    assert "would be canceled" in info.value.fail_kwargs()["import_results"][0]["msg"]
    assert status_of(emulator, ids[0]) == "Pending"
    assert emulator.stats()["requests"].get("POST /api/application-imports/cancel", 0) == 0


@pytest.mark.parametrize("values, field", [
    (dict(import_ids=["nope"]), "import_ids[0]"),
    (dict(results=[{"import_id": "x"}]), "results[0].import_id"),
    (dict(results=[3]), "results[0]"),
    (dict(import_ids=[], wait_timeout=0), "wait_timeout"),
    (dict(import_ids=[], progress_interval=-1), "progress_interval"),
])
def test_bad_input_names_the_field_before_any_request(emulator, values, field):
    with pytest.raises(InputError) as info:
        targets_of(make_api(emulator), params(**values))
    assert info.value.field == field
    assert emulator.stats()["total"] == 0


def test_fifty_imports_over_many_slices_cost_one_to_three_list_requests_per_poll(emulator_with):
    emulator = emulator_with(build_seconds=0.05, extra_applications=50)
    ids = staged_ids(emulator, ["Load App {0:04d}".format(i) for i in range(1, 51)])
    emulator.set_worker(paused=False)
    before = emulator.stats()["requests"]
    result, lines = run_sliced(make_api(emulator), params(import_ids=ids, poll_interval=0.1, progress_interval=0.3))
    stats = result["wait_stats"]
    assert result["summary"]["finished"] == 50 and len(lines) >= 3
    assert stats["polls"] <= stats["list_requests"] <= 3 * stats["polls"]
    # one final read per ended import; with 30 ms builds the list moves under a poll, and an import on none of the
    # pages read is read by itself (a fallback, as in one run: benchmarks show the same counts sliced or not)
    assert stats["final_record_requests"] <= 50 and stats["fallback_requests"] <= stats["polls"]
    after = emulator.stats()["requests"]
    assert after["GET /api/application-imports"] - before.get("GET /api/application-imports", 0) == \
        stats["list_requests"]
    assert after["GET /api/application-imports/{id}"] - before.get("GET /api/application-imports/{id}", 0) == \
        stats["final_record_requests"] + stats["fallback_requests"]
    print("\n50 imports: {0} slices, {1} polls, {2} list requests ({3:.2f} per poll), {4} final + {5} fallback "
          "reads".format(len(lines), stats["polls"], stats["list_requests"], stats["list_requests"] / stats["polls"],
                         stats["final_record_requests"], stats["fallback_requests"]))

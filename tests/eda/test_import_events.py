"""The import_events EDA source against the emulator over real HTTP: transitions, baseline, dedupe, several changes
between two polls, paging, the request budget, faults, memory and options.

The watcher (module_utils/import_events.py) is polled by hand where a test is about what one poll sees and costs;
the source's ``main`` (extensions/eda/plugins/event_source/import_events.py) runs in an event loop where a test is
about what ansible-rulebook gets (the queue, faults over time, the end of the source).
"""

import asyncio
import logging
import runpy
from pathlib import Path

import pytest

from pa_testlib import TOKEN, application_id, stage_directly, status_of, wait_until
from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PermissionAssistApi
from ansible_collections.sycorr.permission_assist.plugins.module_utils.client import Client, RetryPolicy
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError, OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_events import (
    ImportWatcher, source_settings)

SOURCE = runpy.run_path(str(Path(__file__).resolve().parents[2] / "extensions" / "eda" / "plugins" / "event_source"
                            / "import_events.py"))
LIST = "GET /api/application-imports"
ONE = "GET /api/application-imports/{id}"


def watcher(emulator, retries=0, **kwargs):
    client = Client(emulator.url, TOKEN, retry_policy=RetryPolicy(retries=retries), sleep=lambda seconds: None)
    return ImportWatcher(PermissionAssistApi(client), **kwargs)


def requests_of(emulator, key=LIST):
    return emulator.stats()["requests"].get(key, 0)


def counted(emulator, poll):
    """(events, list requests, single-import requests) of one poll."""
    lists, singles = requests_of(emulator), requests_of(emulator, ONE)
    events = poll()
    return events, requests_of(emulator) - lists, requests_of(emulator, ONE) - singles


def transitions(events):
    return sorted((e["pa_import"]["application"]["name"], e["pa_import"]["previous_status"], e["pa_import"]["status"])
                  for e in events)


def run_worker_until(emulator, imports, statuses=("Finished", "Failed", "Canceled")):
    emulator.set_worker(paused=False)
    for record in imports:
        wait_until(lambda record=record: status_of(emulator, record["id"]) in statuses)
    emulator.set_worker(paused=True)


# Baseline, transitions, dedupe

def test_the_first_poll_is_a_silent_baseline_and_a_quiet_poll_is_one_request(emulator):
    watch = watcher(emulator)
    events, lists, dummy = counted(emulator, watch.poll)
    assert events == []
    assert lists == 2  # page 1, and the never-started end (the last page) to learn what waits to start
    for dummy in range(3):
        assert counted(emulator, watch.poll) == ([], 1, 0)


def test_each_transition_once_with_its_previous_status_and_a_failed_build_says_why(emulator):
    watch = watcher(emulator)
    watch.poll()
    failing = stage_directly(emulator, "Data Warehouse")
    fine = stage_directly(emulator, "HR Portal")
    events = watch.poll()
    assert transitions(events) == [("Data Warehouse", None, "Pending"), ("HR Portal", None, "Pending")]
    run_worker_until(emulator, [failing, fine])
    events, dummy, singles = counted(emulator, watch.poll)
    assert transitions(events) == [("Data Warehouse", "Pending", "Failed"), ("HR Portal", "Pending", "Finished")]
    failed = next(e["pa_import"] for e in events if e["pa_import"]["status"] == "Failed")
    assert failed["id"] == failing["id"] and failed["number"] == failing["number"]
    assert failed["log_tail"][-1] == "Error: the user extract has 0 rows; import stopped."
    assert failed["cause"] == "the user extract has 0 rows; import stopped."
    assert failed["buildStart"] and failed["buildEnd"] and failed["type"].lower() == "api"
    assert singles == 1  # the failed import's log, nothing else
    finished = next(e["pa_import"] for e in events if e["pa_import"]["status"] == "Finished")
    assert "log_tail" not in finished
    assert watch.poll() == [] and watch.poll() == []


def test_running_is_seen_between_pending_and_its_end(emulator):
    watch = watcher(emulator)
    watch.poll()
    staged = stage_directly(emulator, "HR Portal")
    assert transitions(watch.poll()) == [("HR Portal", None, "Pending")]
    emulator.set_worker(paused=False, build_seconds=60)
    wait_until(lambda: status_of(emulator, staged["id"]) == "Running")
    events, lists, singles = counted(emulator, watch.poll)
    assert transitions(events) == [("HR Portal", "Pending", "Running")]
    assert (lists, singles) == (1, 0)  # it started, so it is on page 1: nothing waits at the other end any more
    PermissionAssistApi(Client(emulator.url, TOKEN)).cancel_import(staged["id"])
    wait_until(lambda: status_of(emulator, staged["id"]) == "Canceled")
    assert transitions(watch.poll()) == [("HR Portal", "Running", "Canceled")]


def test_several_imports_that_changed_between_two_polls_each_get_their_event(emulator):
    watch = watcher(emulator)
    watch.poll()
    names = ["Core Banking", "HR Portal", "Payments Gateway", "Treasury Management", "Data Warehouse"]
    known = [stage_directly(emulator, name) for name in names[:3]]
    assert len(watch.poll()) == 3
    unseen = [stage_directly(emulator, name) for name in names[3:]]  # staged and ended between two polls
    run_worker_until(emulator, known + unseen)
    events = watch.poll()
    assert transitions(events) == [
        ("Core Banking", "Pending", "Finished"), ("Data Warehouse", None, "Failed"), ("HR Portal", "Pending", "Finished"),
        ("Payments Gateway", "Pending", "Finished"), ("Treasury Management", None, "Finished")]
    assert watch.poll() == []


def test_an_import_canceled_before_it_started_is_seen_at_the_never_started_end(emulator):
    watch = watcher(emulator)
    watch.poll()
    staged = stage_directly(emulator, "HR Portal")
    watch.poll()
    cancel = PermissionAssistApi(Client(emulator.url, TOKEN)).cancel_import(staged["id"])
    assert cancel["status"] == "Canceling"
    events, lists, dummy = counted(emulator, watch.poll)
    assert transitions(events) == [("HR Portal", "Pending", "Canceling")]
    assert lists == 2  # page 1, and the last page where the waiting import is
    run_worker_until(emulator, [staged])
    assert transitions(watch.poll()) == [("HR Portal", "Canceling", "Canceled")]
    assert counted(emulator, watch.poll) == ([], 1, 0)  # nothing waits any more: page 1 only


def test_an_import_staged_and_canceled_between_two_polls_is_found_by_the_grown_count(emulator):
    watch = watcher(emulator)
    watch.poll()
    staged = stage_directly(emulator, "Treasury Management")
    PermissionAssistApi(Client(emulator.url, TOKEN)).cancel_import(staged["id"])
    run_worker_until(emulator, [staged])
    events, lists, dummy = counted(emulator, watch.poll)
    assert transitions(events) == [("Treasury Management", None, "Canceled")]
    assert lists == 2
    assert counted(emulator, watch.poll) == ([], 1, 0)


@pytest.mark.parametrize("pending_sort", ["last", "first"])
def test_either_end_for_never_started_imports(emulator_with, pending_sort):
    emulator = emulator_with(pending_sort=pending_sort)
    watch = watcher(emulator)
    watch.poll()
    staged = [stage_directly(emulator, name) for name in ("HR Portal", "Data Warehouse")]
    assert transitions(watch.poll()) == [("Data Warehouse", None, "Pending"), ("HR Portal", None, "Pending")]
    run_worker_until(emulator, staged)
    assert transitions(watch.poll()) == [("Data Warehouse", "Pending", "Failed"), ("HR Portal", "Pending", "Finished")]
    assert counted(emulator, watch.poll) == ([], 1, 0)


# Paging and the request budget

def test_more_than_a_page_started_between_two_polls_reads_forward_to_the_previous_newest_start(emulator):
    watch = watcher(emulator)
    watch.poll()
    staged = [stage_directly(emulator, "HR Portal") for dummy in range(60)]
    events, lists, dummy = counted(emulator, watch.poll)
    assert len(events) == 60 and all(e["pa_import"]["status"] == "Pending" for e in events)
    assert lists == 3  # page 1, then the 60 never-started imports at the end: the last page and the one before it
    emulator.set_worker(build_seconds=0.01)
    run_worker_until(emulator, staged)
    events, lists, singles = counted(emulator, watch.poll)
    assert sorted(e["pa_import"]["number"] for e in events) == sorted(s["number"] for s in staged)
    assert all(e["pa_import"]["previous_status"] == "Pending" for e in events)
    assert (lists, singles) == (2, 0)  # 60 new starts fill page 1 and part of page 2, where the old newest start is
    assert counted(emulator, watch.poll) == ([], 1, 0)


def test_a_waiting_import_costs_the_never_started_end_and_nothing_more(emulator):
    watch = watcher(emulator)
    watch.poll()
    stage_directly(emulator, "HR Portal")
    watch.poll()
    for dummy in range(3):
        assert counted(emulator, watch.poll) == ([], 2, 0)


# Filters and emit_existing

def test_applications_by_name_and_id_and_statuses_filter_the_events_not_the_reads(emulator):
    watch = watcher(emulator, applications=["HR Portal", application_id(emulator, "Data Warehouse")],
                    statuses=["failed", "FINISHED"])
    watch.poll()
    staged = [stage_directly(emulator, name) for name in ("HR Portal", "Data Warehouse", "Payments Gateway")]
    assert counted(emulator, watch.poll) == ([], 2, 0)  # only Pending changes: none of the statuses asked for
    run_worker_until(emulator, staged)
    events, lists, singles = counted(emulator, watch.poll)
    assert transitions(events) == [("Data Warehouse", "Pending", "Failed"), ("HR Portal", "Pending", "Finished")]
    assert (lists, singles) == (1, 1)


@pytest.mark.parametrize("applications, message", [
    (["No Such App"], "applications[0]: no application is named 'No Such App'"),
    (["HR Portal", "Reporting"], "applications[1]: 2 active applications are named 'Reporting'"),
    (["00000000-0000-4000-8000-000000000000"], "applications[0]: no application with id"),
])
def test_an_application_that_does_not_resolve_fails_the_first_poll_naming_it(emulator, applications, message):
    with pytest.raises(OperationError) as failure:
        watcher(emulator, applications=applications).poll()
    assert str(failure.value).startswith(message)


def test_emit_existing_emits_what_the_first_poll_reads(emulator):
    stage_directly(emulator, "HR Portal")
    events = watcher(emulator, emit_existing=True).poll()
    assert len(events) == 51  # page 1 (the 50 newest starts) and the import waiting to start
    assert all(e["pa_import"]["previous_status"] is None for e in events)
    assert ("HR Portal", None, "Pending") in transitions(events)


# Memory

def test_memory_is_capped_by_forgetting_ended_imports_and_a_forgotten_one_is_not_news(emulator):
    watch = watcher(emulator, max_tracked=100)
    watch.poll()
    staged = [stage_directly(emulator, "HR Portal") for dummy in range(120)]
    assert len(watch.poll()) == 120
    assert len(watch.known) >= 120  # imports that have not ended are never forgotten
    emulator.set_worker(build_seconds=0.01)
    run_worker_until(emulator, staged)
    assert len(watch.poll()) == 120
    for dummy in range(2):
        assert watch.poll() == []
        assert len(watch.known) <= 100


def test_forgotten_imports_at_the_never_started_end_are_not_news_when_it_is_read_again(emulator):
    watch = watcher(emulator, max_tracked=100)
    watch.poll()
    api = PermissionAssistApi(Client(emulator.url, TOKEN))
    staged = [stage_directly(emulator, "HR Portal") for dummy in range(110)]
    for record in staged:
        api.cancel_import(record["id"])
    assert len(watch.poll()) == 110  # new, already Canceling
    run_worker_until(emulator, staged)  # Canceled without ever starting: they stay at the never-started end
    assert len(watch.poll()) == 110
    assert watch.poll() == [] and len(watch.known) <= 100  # nothing waits: page 1 only; the rest was forgotten
    new = stage_directly(emulator, "Payments Gateway")
    events, lists, dummy = counted(emulator, watch.poll)  # the grown count sends it to the never-started end
    assert [(e["pa_import"]["id"], e["pa_import"]["status"]) for e in events] == [(new["id"], "Pending")]
    assert lists == 1 + 3  # page 1, and the never-started run: 111 imports, the last three pages


# Options

@pytest.mark.parametrize("args, environ, message", [
    ({}, {}, "pa_url: required"),
    ({"pa_url": "https://pa.example.com"}, {}, "pa_token: required"),
    ({"interval": 0}, {}, "interval: must be greater than 0 seconds"),
    ({"interval": "soon"}, {}, "interval: 'soon' is not a number"),
    ({"statuses": ["Done"]}, {}, "statuses[0]: 'Done' is not an import status"),
    ({"applications": []}, {}, "applications: expected a non-empty list"),
    ({"emit_existing": "maybe"}, {}, "emit_existing: 'maybe' is not a boolean"),
    ({"max_tracked": 5}, {}, "max_tracked: must be at least 100"),
    ({"intervall": 5}, {}, "intervall: unknown option"),
])
def test_bad_options_are_one_line_naming_the_option(args, environ, message):
    environ = dict({"PA_URL": "https://pa.example.com", "PA_TOKEN": "t"} if "pa_url" not in message
                   and "pa_token" not in message else {}, **environ)
    with pytest.raises(InputError) as failure:
        source_settings(args, environ)
    assert str(failure.value).startswith(message)
    assert "\n" not in str(failure.value)


def test_options_fall_back_to_the_modules_environment_variables():
    settings = source_settings({"statuses": "failed, finished", "eda_feedback_queue": object()},
                               {"PA_URL": "https://pa.example.com", "PA_TOKEN": "secret", "PA_VALIDATE_CERTS": "no",
                                "PA_REQUEST_RETRIES": "5"})
    assert settings["pa_url"] == "https://pa.example.com" and settings["pa_token"] == "secret"
    assert settings["validate_certs"] is False and settings["request_retries"] == 5
    assert settings["statuses"] == ["Failed", "Finished"] and settings["interval"] == 30.0
    assert settings["emit_existing"] is False and settings["applications"] is None


# The source as ansible-rulebook runs it: main(queue, args)

class Source:
    """``main`` running in the test's event loop; ``events(n)`` waits for n events (a hang guard, not a timing)."""

    def __init__(self, args):
        self.queue = asyncio.Queue()
        self.task = asyncio.ensure_future(SOURCE["main"](self.queue, args))

    async def events(self, count, timeout=30):
        return [await asyncio.wait_for(self.queue.get(), timeout) for dummy in range(count)]

    async def stop(self):
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task


def source_args(emulator, **extra):
    return dict({"pa_url": emulator.url, "pa_token": TOKEN, "interval": 0.05, "request_retries": 0}, **extra)


async def until(predicate, timeout=30):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


def test_main_puts_each_change_on_the_queue_once(emulator):
    async def scenario():
        source = Source(source_args(emulator, statuses=["Failed", "Finished"]))
        await until(lambda: requests_of(emulator) >= 3)  # the baseline is taken
        staged = [stage_directly(emulator, name) for name in ("Data Warehouse", "HR Portal")]
        emulator.set_worker(paused=False)
        events = await source.events(2)
        polls = requests_of(emulator)
        await until(lambda: requests_of(emulator) >= polls + 5)  # five more polls
        assert source.queue.empty()
        await source.stop()
        return staged, events

    staged, events = asyncio.run(scenario())
    # What the polls saw before the end (nothing, Pending or Running) depends on the build job's pace; the end does not.
    assert [(name, status) for name, dummy, status in transitions(events)] == [
        ("Data Warehouse", "Failed"), ("HR Portal", "Finished")]
    assert all(e["pa_import"]["previous_status"] in (None, "Pending", "Running") for e in events)
    assert sorted(e["pa_import"]["id"] for e in events) == sorted(s["id"] for s in staged)


@pytest.mark.parametrize("fault", [
    {"action": "status", "status": 503, "retry_after": 0},
    {"action": "status", "status": 500},
    {"action": "status", "status": 429, "retry_after": 0},
    {"action": "status", "status": 502, "body": "html"},
    {"action": "drop_before"},
])
def test_faults_are_waited_out_and_no_change_is_lost_or_repeated(emulator, fault, caplog):
    async def scenario():
        source = Source(source_args(emulator))
        await until(lambda: requests_of(emulator) >= 3)
        emulator.add_fault(method="GET", path="^/api/application-imports$", **dict(fault, times=3))
        staged = stage_directly(emulator, "HR Portal")
        events = await source.events(1)
        assert emulator.stats()["faults_pending"] == 0
        polls = requests_of(emulator)
        await until(lambda: requests_of(emulator) >= polls + 4)
        assert source.queue.empty()
        await source.stop()
        return staged, events

    with caplog.at_level(logging.WARNING):
        staged, events = asyncio.run(scenario())
    assert [(e["pa_import"]["id"], e["pa_import"]["status"]) for e in events] == [(staged["id"], "Pending")]
    assert sum("poll failed" in r.getMessage() for r in caplog.records) == 3  # each failed poll, once
    assert TOKEN not in caplog.text


def test_a_poll_that_fails_part_way_is_done_again_and_its_change_is_emitted_once(emulator, caplog):
    async def scenario():
        source = Source(source_args(emulator, statuses=["Failed"]))
        await until(lambda: requests_of(emulator) >= 3)
        # The poll that sees the failed build reads its log last: that read fails twice, after the list showed it.
        emulator.add_fault(method="GET", path="^/api/application-imports/[0-9a-f-]+$", action="status", status=500,
                           times=2)
        staged = stage_directly(emulator, "Data Warehouse")
        emulator.set_worker(paused=False)
        events = await source.events(1)
        polls = requests_of(emulator)
        await until(lambda: requests_of(emulator) >= polls + 4)
        assert source.queue.empty()
        await source.stop()
        return staged, events

    with caplog.at_level(logging.WARNING):
        staged, events = asyncio.run(scenario())
    assert [(e["pa_import"]["id"], e["pa_import"]["status"]) for e in events] == [(staged["id"], "Failed")]
    assert events[0]["pa_import"]["cause"] == "the user extract has 0 rows; import stopped."
    assert sum("poll failed" in r.getMessage() for r in caplog.records) == 2


def test_a_server_that_is_down_does_not_end_the_source(caplog):
    async def scenario():
        source = Source({"pa_url": "http://127.0.0.1:9", "pa_token": TOKEN, "interval": 0.01, "request_retries": 0})
        await until(lambda: sum("poll failed" in r.getMessage() for r in caplog.records) >= 3)
        assert not source.task.done()
        await source.stop()

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert "cannot connect to 127.0.0.1:9: Connection refused" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("status", [401, 403])
def test_401_or_403_ends_the_source_with_one_clear_error(emulator, status, caplog):
    if status == 401:
        args = source_args(emulator, pa_token="pa_wrong_token_123")
    else:
        emulator.add_fault(method="GET", path="^/api/application-imports$", action="status", status=403, times=1)
        args = source_args(emulator)

    async def scenario():
        await asyncio.wait_for(SOURCE["main"](asyncio.Queue(), args), 30)

    with caplog.at_level(logging.DEBUG):
        with pytest.raises(Exception) as failure:
            asyncio.run(scenario())
    message = str(failure.value)
    assert type(failure.value).__name__ == "SourceStopped"
    assert "GET /application-imports failed: HTTP {0}".format(status) in message
    assert "check pa_token (PA_TOKEN)" in message and "\n" not in message
    assert "pa_wrong_token_123" not in message + caplog.text and TOKEN not in message + caplog.text
    assert requests_of(emulator) == 1  # not retried


def test_bad_options_end_the_source_before_any_request(emulator):
    with pytest.raises(Exception) as failure:
        asyncio.run(SOURCE["main"](asyncio.Queue(), source_args(emulator, statuses=["Done"])))
    assert str(failure.value).startswith(
        "sycorr.permission_assist.import_events: statuses[0]: 'Done' is not an import status")
    assert requests_of(emulator) == 0


def test_neither_an_event_nor_the_error_that_ends_the_source_carries_the_token(emulator_with):
    # A token that is also a word of an application's name, so that what the source reads does carry it.
    server = emulator_with(tokens={TOKEN: "Collection Tests", "Portal": "Events"})

    async def scenario():
        source = Source(source_args(server, pa_token="Portal"))
        await until(lambda: requests_of(server) >= 3)
        staged = stage_directly(server, "HR Portal")
        events = await source.events(1)
        await source.stop()
        return staged, events

    staged, events = asyncio.run(scenario())
    assert [(e["pa_import"]["id"], e["pa_import"]["application"]["name"]) for e in events] == [
        (staged["id"], "HR ********")]
    args = source_args(server, pa_token="Portal", applications=["Treasury Portal"])
    with pytest.raises(Exception) as failure:
        asyncio.run(SOURCE["main"](asyncio.Queue(), args))
    assert type(failure.value).__name__ == "SourceStopped" and "Treasury ********" in str(failure.value)

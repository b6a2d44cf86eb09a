"""all_active + wait: the canceled imports are waited for together, within one wait_timeout, and each gets a verdict."""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import CancelOutcome
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel_batch import CancelBatch, new_result, wait_for_cancels


class ScriptedServer:
    """Imports whose status changes at given times on a fake clock; the list fits on one page."""

    def __init__(self, timelines):
        self.now = 0.0
        self.timelines = timelines  # id -> [(from time, status), ...]
        self.list_reads = 0
        self.single_reads = []

    def sleep(self, seconds):
        self.now += seconds

    def clock(self):
        return self.now

    def record(self, import_id):
        status = [status for since, status in self.timelines[import_id] if since <= self.now][-1]
        number = sorted(self.timelines).index(import_id) + 1
        return {"id": import_id, "number": number, "status": status, "buildStart": "2026-11-24T10:00:00Z"}

    def list_imports_page(self, application_id, page, deadline=None):
        self.list_reads += 1
        items = [self.record(import_id) for import_id in sorted(self.timelines)]
        return {"items": items, "totalCount": len(items), "page": 1, "pageSize": 50, "totalPages": 1}

    def get_import(self, import_id, deadline=None):
        self.single_reads.append(import_id)
        return dict(self.record(import_id), log="Import started.")


def canceled(server, import_id):
    return CancelOutcome(server.record(import_id), True, True, "cancel requested")


def wait_for_canceled(server, outcomes, params):
    """The batch's wait over these cancel outcomes: (final records, result per import, wait counts)."""
    batch = CancelBatch()
    for outcome in outcomes:
        batch.add(dict(new_result(outcome.record["id"]), msg=outcome.msg), outcome, outcome.record)
    counts = wait_for_cancels(server, batch, params, sleep=server.sleep, clock=server.clock)
    return batch.records, batch.results, counts


def test_every_import_is_read_and_judged_within_one_deadline():
    server = ScriptedServer({
        "a": [(0, "Canceling")],                      # still Canceling at the deadline
        "b": [(0, "Canceling"), (15, "Canceled")],    # ends Canceled late in the wait
        "c": [(0, "Canceling"), (3, "Finished")],     # its build won the race
    })
    outcomes = [canceled(server, "a"), canceled(server, "b"), canceled(server, "c")]
    records, results, counts = wait_for_canceled(server, outcomes, {"wait_timeout": 20, "poll_interval": 1})
    assert [record["status"] for record in records] == ["Canceling", "Canceled", "Finished"]
    assert counts == {"confirmed_canceled": 1, "overtaken": 1, "timed_out": 1}
    assert [result["timed_out"] for result in results] == [True, False, False]
    assert results[1]["msg"] == "cancel requested; it is Canceled" and not results[1]["failed"]
    assert [result["msg"] for result in results if result["failed"]] == [
        "timed out after 20s waiting for import #1 (a), last seen Canceling",
        "import #3 (c) finished before the cancel took effect: its build completed first, so it is Finished, "
        "not Canceled",
    ]
    assert server.now <= 20  # nothing was read after the deadline
    assert sorted(server.single_reads) == ["b", "c"]  # each ended import's full record, once


def test_all_canceled_is_no_problem_and_an_import_not_canceled_is_not_waited_for():
    server = ScriptedServer({"a": [(0, "Canceling"), (2, "Canceled")], "done": [(0, "Finished")]})
    skipped = CancelOutcome(server.record("done"), False, False, "nothing to cancel")
    records, results, counts = wait_for_canceled(server, [canceled(server, "a"), skipped],
                                                 {"wait_timeout": 20, "poll_interval": 1})
    assert counts == {"confirmed_canceled": 1, "overtaken": 0, "timed_out": 0}
    assert [result["failed"] for result in results] == [False, False]
    assert [record["status"] for record in records] == ["Canceled", "Finished"]
    # one import waited for is read by id on every poll (no list page, no final read)
    assert server.list_reads == 0 and server.single_reads == ["a", "a"]

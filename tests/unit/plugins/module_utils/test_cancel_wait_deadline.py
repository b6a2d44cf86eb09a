"""all_active + wait: the canceled imports are waited for together, within one wait_timeout, and each gets a verdict."""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.canceling import CancelOutcome
from ansible_collections.sycorr.permission_assist.plugins.module_utils.outcomes import wait_for_canceled_imports


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


def test_every_import_is_read_and_judged_within_one_deadline():
    server = ScriptedServer({
        "a": [(0, "Canceling")],                      # still Canceling at the deadline
        "b": [(0, "Canceling"), (15, "Canceled")],    # ends Canceled late in the wait
        "c": [(0, "Canceling"), (3, "Finished")],     # its build won the race
    })
    outcomes = [canceled(server, "a"), canceled(server, "b"), canceled(server, "c")]
    records, verdicts, timed_out, timed_out_ids = wait_for_canceled_imports(
        server, outcomes, {"wait_timeout": 20, "poll_interval": 1}, sleep=server.sleep, clock=server.clock)
    assert [record["status"] for record in records] == ["Canceling", "Canceled", "Finished"]
    assert timed_out is True and timed_out_ids == {"a"}
    assert list(verdicts) == ["a", "b", "c"] and verdicts["b"] is None
    assert [problem for problem in verdicts.values() if problem] == [
        "timed out after 20s waiting for import #1 (a), last seen Canceling",
        "import #3 (c) finished before the cancel took effect: its build completed first, so it is Finished, "
        "not Canceled",
    ]
    assert server.now <= 20  # nothing was read after the deadline
    assert sorted(server.single_reads) == ["b", "c"]  # each ended import's full record, once


def test_all_canceled_is_no_problem_and_an_import_not_canceled_is_not_waited_for():
    server = ScriptedServer({"a": [(0, "Canceling"), (2, "Canceled")], "done": [(0, "Finished")]})
    skipped = CancelOutcome(server.record("done"), False, False, "nothing to cancel")
    records, verdicts, timed_out, timed_out_ids = wait_for_canceled_imports(
        server, [canceled(server, "a"), skipped], {"wait_timeout": 20, "poll_interval": 1},
        sleep=server.sleep, clock=server.clock)
    assert verdicts == {"a": None} and timed_out is False and timed_out_ids == set()
    assert [record["status"] for record in records] == ["Canceled", "Finished"]
    assert server.single_reads == ["a"]

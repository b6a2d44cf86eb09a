from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import verdicts
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import wait_for_imports


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


class ScriptedApi:
    """Returns the statuses in order, one per read, and records the deadline it was given."""

    def __init__(self, clock, statuses, read_cost=0.0):
        self.clock = clock
        self.statuses = list(statuses)
        self.read_cost = read_cost
        self.deadlines = []

    def get_import(self, import_id, deadline=None):
        self.deadlines.append(deadline)
        self.clock.now += self.read_cost
        return {"id": import_id, "status": self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]}


def wait_for_one(api, status, timeout, poll_interval, clock):
    run = wait_for_imports(api, {"i": {"id": "i", "status": status}}, timeout=timeout, poll_interval=poll_interval,
                           sleep=clock.sleep, clock=clock)
    return run, verdicts(run)["i"]


def test_a_set_of_one_reads_the_import_itself_with_backoff_and_ends_on_its_terminal_record():
    clock = FakeClock()
    api = ScriptedApi(clock, ["Pending", "Running", "Running", "Finished"])
    run, verdict = wait_for_one(api, "Pending", 100, 2, clock)
    assert (verdict.kind, verdict.record["status"]) == ("finished", "Finished")
    assert clock.sleeps == [2, 2.5, 3.125, 3.90625]
    assert run.stats()["direct_requests"] == 4 and run.stats()["list_requests"] == 0


def test_a_wait_times_out_with_the_last_record_and_never_sleeps_past_the_deadline():
    clock = FakeClock()
    api = ScriptedApi(clock, ["Running"], read_cost=0.5)
    run, verdict = wait_for_one(api, "Pending", 10, 3, clock)
    assert run.timed_out and verdict.kind == "timed_out" and verdict.record["status"] == "Running"
    assert verdict.message.startswith("timed out after 10s waiting for import i, last seen Running")
    assert clock.now <= 10 + 0.5
    assert set(api.deadlines) == {10}


def test_backoff_is_capped():
    clock = FakeClock()
    api = ScriptedApi(clock, ["Running"] * 40 + ["Canceled"])
    run, verdict = wait_for_one(api, "Running", 10000, 5, clock)
    assert verdict.kind == "canceled"
    assert max(clock.sleeps) == 30

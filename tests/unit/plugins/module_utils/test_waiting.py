import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.waiting import WaitTimedOut, wait_for_import


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


def test_wait_returns_the_terminal_record_with_backoff():
    clock = FakeClock()
    api = ScriptedApi(clock, ["Pending", "Running", "Running", "Finished"])
    record = wait_for_import(api, {"id": "i", "status": "Pending"}, timeout=100, poll_interval=2,
                             sleep=clock.sleep, clock=clock)
    assert record["status"] == "Finished"
    assert clock.sleeps == [2, 2.5, 3.125, 3.90625]


def test_wait_times_out_with_the_last_record_and_never_sleeps_past_the_deadline():
    clock = FakeClock()
    api = ScriptedApi(clock, ["Running"], read_cost=0.5)
    with pytest.raises(WaitTimedOut) as info:
        wait_for_import(api, {"id": "i", "status": "Pending"}, timeout=10, poll_interval=3,
                        sleep=clock.sleep, clock=clock)
    assert info.value.record["status"] == "Running"
    assert clock.now <= 10 + 0.5
    assert set(api.deadlines) == {10}


def test_backoff_is_capped():
    clock = FakeClock()
    api = ScriptedApi(clock, ["Running"] * 40 + ["Canceled"])
    wait_for_import(api, {"id": "i", "status": "Running"}, timeout=10000, poll_interval=5,
                    sleep=clock.sleep, clock=clock)
    assert max(clock.sleeps) == 30

"""wait_timeout bounds the wait for all the imports of one cancel task together, not each import."""

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils import outcomes
from ansible_collections.sycorr.permission_assist.plugins.module_utils.canceling import CancelOutcome


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


class WaitStandIn:
    """Stands in for one import's wait: takes ``seconds`` on the clock, ends Canceled, records the timeout it got."""

    def __init__(self, clock):
        self.clock = clock
        self.seconds = 0
        self.timeouts = []

    def __call__(self, api, record, params, timeout=None):
        self.timeouts.append(timeout)
        self.clock.now += self.seconds
        return dict(record, status="Canceled")


@pytest.fixture
def each_wait(monkeypatch, clock):
    stand_in = WaitStandIn(clock)
    monkeypatch.setattr(outcomes, "wait_for_canceled_import", stand_in)
    return stand_in


def canceled(number):
    return CancelOutcome({"id": str(number), "status": "Canceling"}, True, True, "")


def test_each_import_gets_what_is_left_of_one_deadline(clock, each_wait):
    each_wait.seconds = 40
    skipped = CancelOutcome({"id": "done", "status": "Finished"}, False, False, "")
    records, overtaken = outcomes.wait_for_canceled_imports(
        None, [canceled(0), skipped, canceled(1), canceled(2)], {"wait_timeout": 100, "poll_interval": 1}, clock=clock)
    assert each_wait.timeouts == [100, 60, 20]
    assert [record["status"] for record in records] == ["Canceled", "Finished", "Canceled", "Canceled"]
    assert overtaken == []


def test_a_deadline_already_passed_leaves_no_time_rather_than_a_negative_one(clock, each_wait):
    each_wait.seconds = 80
    outcomes.wait_for_canceled_imports(None, [canceled(n) for n in range(3)], {"wait_timeout": 100, "poll_interval": 1},
                                       clock=clock)
    assert each_wait.timeouts == [100, 20, 0.0]

"""wait_timeout bounds the wait for all the imports of one cancel task together, not each import."""

from ansible_collections.sycorr.permission_assist.plugins.module_utils import outcomes
from ansible_collections.sycorr.permission_assist.plugins.module_utils.canceling import CancelOutcome


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_each_import_gets_what_is_left_of_one_deadline(monkeypatch):
    clock = FakeClock()
    given = []

    def wait_taking_40s(api, record, params, timeout=None):
        given.append(timeout)
        clock.now += 40
        return dict(record, status="Canceled")

    monkeypatch.setattr(outcomes, "wait_for_canceled_import", wait_taking_40s)
    cancels = [CancelOutcome({"id": str(n), "status": "Canceling"}, True, True, "") for n in range(3)]
    skipped = CancelOutcome({"id": "done", "status": "Finished"}, False, False, "")
    records, overtaken = outcomes.wait_for_canceled_imports(
        None, [cancels[0], skipped, cancels[1], cancels[2]], {"wait_timeout": 100, "poll_interval": 1}, clock=clock)
    assert given == [100, 60, 20]
    assert [record["status"] for record in records] == ["Canceled", "Finished", "Canceled", "Canceled"]
    assert overtaken == []


def test_a_deadline_already_passed_leaves_no_time_rather_than_a_negative_one(monkeypatch):
    clock = FakeClock()
    given = []

    def wait_taking_80s(api, record, params, timeout=None):
        given.append(timeout)
        clock.now += 80
        return dict(record, status="Canceled")

    monkeypatch.setattr(outcomes, "wait_for_canceled_import", wait_taking_80s)
    cancels = [CancelOutcome({"id": str(n), "status": "Canceling"}, True, True, "") for n in range(3)]
    outcomes.wait_for_canceled_imports(None, cancels, {"wait_timeout": 100, "poll_interval": 1}, clock=clock)
    assert given == [100, 20, 0.0]

"""Property-based: random stage / cancel / build-job runs against the emulator never leave the documented lifecycle.

The documented state machine (contract 6.2): Pending -> Running -> Finished | Failed; Pending | Running -> Canceling
-> Canceled; terminal states never change; the build job runs one import at a time; a never-started import that is
canceled keeps a null buildStart. The collection's rules on top: staging with reuse never creates a second Pending
import, and imports created == imports the calls reported as changed.
"""

import time

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import cancel_import
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage import stage
from pa_clientlib import make_api

APPS = {"Core Banking": "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3", "Data Warehouse": "e6b9c3a7-4f18-4d2e-9c65-1a8f0b7d3e52",
        "Risk Engine": "5a0e8f3d-6b2c-4197-8d4a-9f3c7e1b2d08"}
NEXT = {
    "pending": {"pending", "running", "finished", "failed", "canceling", "canceled"},
    "running": {"running", "finished", "failed", "canceling", "canceled"},
    "canceling": {"canceling", "canceled"},
    "finished": {"finished"}, "failed": {"failed"}, "canceled": {"canceled"},
}


def lifecycle_machine(emulator):
    class ImportLifecycle(RuleBasedStateMachine):
        imports = Bundle("imports")

        @initialize()
        def fresh_server(self):
            emulator.reset()
            emulator.set_worker(paused=True, build_seconds=0.05)
            self.api = make_api(emulator)
            self.last = {}
            self.canceled_while_pending = set()
            self.changed_stages = 0

        @rule(target=imports, name=st.sampled_from(sorted(APPS)), reuse=st.booleans())
        def stage_one(self, name, reuse):
            had_pending = any(status_of(row) == "pending" for row in self.api.list_imports(APPS[name]))
            outcome = stage(self.api, APPS[name], reuse_pending=reuse)
            assert outcome.changed == (not (reuse and had_pending))
            self.changed_stages += outcome.changed
            self.last[outcome.record["id"]] = status_of(outcome.record)
            return outcome.record["id"]

        @rule(import_id=imports)
        def cancel_one(self, import_id):
            before = status_of(self.api.get_import(import_id))
            outcome = cancel_import(self.api, import_id, check_mode=False)
            if outcome.changed and before == "pending" and outcome.record["buildStart"] is None:
                self.canceled_while_pending.add(import_id)
            if before == "pending":  # the build job is paused between rules: it cannot have started
                assert outcome.changed and status_of(outcome.record) == "canceling"
            elif before == "running":  # it may end between the read and the cancel (409, reported unchanged)
                assert outcome.changed or status_of(outcome.record) in ("finished", "failed")
            else:
                assert not outcome.changed

        @rule(seconds=st.sampled_from([0.0, 0.03, 0.12]))
        def build_job_runs(self, seconds):
            emulator.set_worker(paused=False)
            time.sleep(seconds)
            emulator.set_worker(paused=True)

        @invariant()
        def follows_the_documented_lifecycle(self):
            if not hasattr(self, "api"):
                return
            running = 0
            for import_id, previous in self.last.items():
                record = self.api.get_import(import_id)
                current = status_of(record)
                assert current in NEXT[previous], (previous, current)
                self.last[import_id] = current
                running += current == "running"
                if import_id in self.canceled_while_pending and current == "canceled":
                    assert record["buildStart"] is None
            assert running <= 1
            assert emulator.stats()["imports_created"] == self.changed_stages

    return ImportLifecycle


def test_lifecycle_property(emulator):
    machine = lifecycle_machine(emulator)
    machine.TestCase.settings = settings(max_examples=12, stateful_step_count=10, deadline=None, database=None,
                                         suppress_health_check=list(HealthCheck))
    machine.TestCase().runTest()

"""The background build job: runs Pending imports one at a time, oldest first, and honours cancels."""

import threading
import time
import uuid

from pa_emulator import seed
from pa_emulator.store import utcnow

TICK = 0.02


class Worker(threading.Thread):
    def __init__(self, store, build_seconds=3.0, paused=False):
        super().__init__(name="pa-emulator-build-job", daemon=True)
        self.store = store
        self.build_seconds = build_seconds
        self.paused = paused
        self.stopping = False

    def configure(self, paused=None, build_seconds=None):
        with self.store.lock:
            if paused is not None:
                self.paused = paused
            if build_seconds is not None:
                self.build_seconds = float(build_seconds)
            self.store.lock.notify_all()

    def stop(self):
        with self.store.lock:
            self.stopping = True
            self.store.lock.notify_all()

    def run(self):
        while True:
            with self.store.lock:
                record = self._wait_for_work()
                if record is None:
                    return
                generation = self.store.generation
                if record["status"] == "Canceling":  # never started: skipped altogether
                    record["status"] = "Canceled"
                    record["buildEnd"] = utcnow()
                    continue
                behaviour = self.store.applications[record["application_id"]]["behaviour"]
                self._start(record)
                duration = self.build_seconds * (seed.SLOW_FACTOR if behaviour == seed.SLOW else 1.0)
            self._build(record, behaviour, generation, time.monotonic() + duration)

    def _wait_for_work(self):
        while not self.stopping:
            if not self.paused:
                for import_id in self.store.created_order:
                    record = self.store.imports[import_id]
                    if record["status"] == "Pending" or (record["status"] == "Canceling" and record["buildStart"] is None):
                        return record
            self.store.lock.wait(0.2)
        return None

    @staticmethod
    def _start(record):
        record["status"] = "Running"
        record["buildStart"] = utcnow()
        record["log"] = "Import started.\nReading files..."
        stamp = record["buildStart"].strftime("%Y%m%d")
        record["files"] = [
            {"id": str(uuid.uuid4()), "fileGroupId": "0b7d4e22-18c3-4a9f-b5e0-63d1f9a2c704", "fileGroup": "User Extract",
             "name": "users_{0}.csv".format(stamp)},
            {"id": str(uuid.uuid4()), "fileGroupId": "9a1c6f35-d4e8-4b27-8f03-c2e5a7b91d46", "fileGroup": "Role Extract",
             "name": "roles_{0}.csv".format(stamp)},
        ]

    def _build(self, record, behaviour, generation, ends_at):
        with self.store.lock:
            while True:
                if self.stopping or generation != self.store.generation:
                    return
                if record["status"] == "Canceling":
                    record["status"] = "Canceled"
                    record["log"] += "\nImport canceled."
                    break
                if behaviour != seed.STUCK and time.monotonic() >= ends_at:
                    self._finish(record, behaviour)
                    break
                self.store.lock.wait(TICK)
            record["buildEnd"] = utcnow()
            self.store.applications[record["application_id"]]["lastUpdated"] = record["buildEnd"]

    @staticmethod
    def _finish(record, behaviour):
        if behaviour == seed.FAILS:
            record["status"] = "Failed"
            record["log"] += "\nValidating rows...\nError: users file has 0 rows; import stopped."
        else:
            record["status"] = "Finished"
            record["log"] += "\nValidating rows...\nApplying changes...\nImport finished."
            record["metrics"] = {"identitiesAdded": 3, "identitiesRemoved": 1, "accountsAdded": 12,
                                 "accountsRemoved": 2, "privilegesAdded": 40, "privilegesRemoved": 5}

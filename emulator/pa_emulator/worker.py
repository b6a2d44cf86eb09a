"""The background build job: one thread runs staged imports one at a time, oldest first, and honours cancels.

It never sleeps while holding the store lock: every wait is ``store.lock.wait(...)``, which releases it.
"""

import threading
import time

from pa_emulator import seed
from pa_emulator.store import invented_files, metrics_for, utcnow

TICK = 0.02  # how often a running build looks at its status (cancel is also signalled at once through the lock)


class Worker(threading.Thread):
    def __init__(self, store, build_seconds=3.0, paused=False):
        super().__init__(name="pa-emulator-build-job", daemon=True)
        if float(build_seconds) < 0:
            raise ValueError("build_seconds must not be negative")
        self.store = store
        self.build_seconds = float(build_seconds)
        self.paused = bool(paused)
        self.stopping = False

    def configure(self, paused=None, build_seconds=None):
        with self.store.lock:
            if build_seconds is not None:
                if float(build_seconds) < 0:
                    raise ValueError("build_seconds must not be negative")
                self.build_seconds = float(build_seconds)
            if paused is not None:
                self.paused = bool(paused)
            self.store.lock.notify_all()

    def settings(self):
        with self.store.lock:
            return {"paused": self.paused, "build_seconds": self.build_seconds}

    def stop(self, timeout=5.0):
        with self.store.lock:
            self.stopping = True
            self.store.lock.notify_all()
        if self.is_alive():
            self.join(timeout)

    def run(self):
        while True:
            with self.store.lock:
                record = self._next()
                if record is None:
                    return
                if record["status"] == "Canceling":  # canceled before it started: skipped, never Running
                    record["status"] = "Canceled"
                    record["buildEnd"] = utcnow()
                    continue
                app = self.store.applications[record["applicationId"]]
                self._start(record)
                duration = self.build_seconds * (seed.SLOW_FACTOR if app["behaviour"] == seed.SLOW else 1.0)
                self._build(record, app, self.store.generation, time.monotonic() + duration)

    def _next(self):
        """Wait (lock released) for the oldest staged import while not paused; None once stopping."""
        while not self.stopping:
            if not self.paused and self.store.queue:
                return self.store.imports[self.store.queue.popleft()]
            self.store.lock.wait(0.5)
        return None

    @staticmethod
    def _start(record):
        record["status"] = "Running"
        record["buildStart"] = utcnow()
        record["log"] = "Import started.\nReading files..."
        record["files"] = invented_files(record["buildStart"])

    def _build(self, record, app, generation, ends_at):
        """Runs with the lock held, waiting on it between looks; ends the import unless a reset or stop intervenes."""
        while True:
            if self.stopping or generation != self.store.generation:
                return  # the state this import belonged to is gone
            if record["status"] == "Canceling":
                record["status"] = "Canceled"
                record["log"] += "\nImport canceled."
                break
            remaining = ends_at - time.monotonic()
            if app["behaviour"] != seed.STUCK and remaining <= 0:
                self._finish(record, app)
                break
            self.store.lock.wait(TICK if app["behaviour"] == seed.STUCK else min(TICK, max(remaining, 0.001)))
        record["buildEnd"] = utcnow()
        app["lastUpdated"] = record["buildEnd"]

    @staticmethod
    def _finish(record, app):
        record["log"] += "\nValidating rows..."
        if app["behaviour"] == seed.FAILS:
            record["status"] = "Failed"
            record["log"] += "\nError: the user extract has 0 rows; import stopped."
        else:
            record["status"] = "Finished"
            record["log"] += "\nApplying changes...\nImport finished."
            record["metrics"] = metrics_for(record["number"])

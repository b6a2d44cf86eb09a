"""The background build job: one thread runs staged imports one at a time, oldest first, and honours cancels.

It never sleeps while holding the store lock: every wait is ``store.lock.wait(...)``, which releases it.
"""

import math
import threading
import time

from pa_emulator import seed
from pa_emulator.store import invented_files, metrics_for, utcnow

TICK = 0.02  # how often a running build looks at its status (cancel is also signalled at once through the lock)
CANCEL_SECONDS = 0.3  # how long a canceled Running import stays Canceling by default (contract 6.2: unspecified)
CANCEL_RACES = ("canceled", "finished", "failed")


class Worker(threading.Thread):
    def __init__(self, store, build_seconds=3.0, paused=False, cancel_seconds=CANCEL_SECONDS, cancel_race="canceled"):
        super().__init__(name="pa-emulator-build-job", daemon=True)
        self.store = store
        self.build_seconds = _seconds("build_seconds", build_seconds)
        self.cancel_seconds = _seconds("cancel_seconds", cancel_seconds)
        self.cancel_race = _race(cancel_race)
        self.paused = bool(paused)
        self.stopping = False

    def configure(self, paused=None, build_seconds=None, cancel_seconds=None, cancel_race=None):
        with self.store.lock:
            # Checked before any change, so a bad value leaves every setting as it was.
            values = {"build_seconds": None if build_seconds is None else _seconds("build_seconds", build_seconds),
                      "cancel_seconds": None if cancel_seconds is None else _seconds("cancel_seconds", cancel_seconds),
                      "cancel_race": None if cancel_race is None else _race(cancel_race)}
            for name, value in values.items():
                if value is not None:
                    setattr(self, name, value)
            if paused is not None:
                self.paused = bool(paused)
            self.store.lock.notify_all()

    def settings(self):
        with self.store.lock:
            return {"paused": self.paused, "build_seconds": self.build_seconds, "cancel_seconds": self.cancel_seconds,
                    "cancel_race": self.cancel_race}

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
        if not record["files"]:  # an uploaded import keeps the files it was given
            record["files"] = invented_files(record["buildStart"])

    def _build(self, record, app, generation, ends_at):
        """Runs with the lock held, waiting on it between looks; ends the import unless a reset or stop intervenes.

        A cancel is seen at once (the lock is notified); the import then stays Canceling for ``cancel_seconds``
        (read at every look, so a change applies to an import already Canceling) and ends as ``cancel_race`` says.
        """
        cancel_seen = None
        while True:
            if self.stopping or generation != self.store.generation:
                return  # the state this import belonged to is gone
            now = time.monotonic()
            if record["status"] == "Canceling":
                cancel_seen = now if cancel_seen is None else cancel_seen
                remaining = cancel_seen + self.cancel_seconds - now
                if remaining <= 0:
                    self._end_canceled(record)
                    break
            else:
                remaining = None if app["behaviour"] == seed.STUCK else ends_at - now
                if remaining is not None and remaining <= 0:
                    self._finish(record, "failed" if app["behaviour"] == seed.FAILS else "finished")
                    break
            self.store.lock.wait(TICK if remaining is None else min(TICK, max(remaining, 0.001)))
        record["buildEnd"] = utcnow()
        app["lastUpdated"] = record["buildEnd"]

    def _end_canceled(self, record):
        """``cancel_race`` other than canceled: the build completed before the job saw the flag (6.2 unspecified)."""
        if self.cancel_race == "canceled":
            record["status"] = "Canceled"
            record["log"] += "\nImport canceled."
        else:
            self._finish(record, self.cancel_race)

    @staticmethod
    def _finish(record, outcome):
        record["log"] += "\nValidating rows..."
        if outcome == "failed":
            record["status"] = "Failed"
            record["log"] += "\nError: the user extract has 0 rows; import stopped."
        else:
            record["status"] = "Finished"
            record["log"] += "\nApplying changes...\nImport finished."
            record["metrics"] = metrics_for(record["number"])


def _seconds(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or value < 0:
        raise ValueError("{0} must be a number of 0 or more".format(name))
    return float(value)


def _race(value):
    if value not in CANCEL_RACES:
        raise ValueError("cancel_race must be one of " + ", ".join(CANCEL_RACES))
    return value

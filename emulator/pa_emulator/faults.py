"""Injected faults: rules matched by method and path, consumed in order."""

import re
import threading

ACTIONS = ("status", "delay", "drop_before", "drop_after", "malformed_ok")
BODIES = ("json", "html", "empty", "notjson", "truncated")


class FaultRule:
    def __init__(self, action, method="*", path=".*", times=1, status=500, retry_after=None, body="json",
                 seconds=0.0):
        if action not in ACTIONS:
            raise ValueError("action must be one of {0}".format(", ".join(ACTIONS)))
        if body not in BODIES:
            raise ValueError("body must be one of {0}".format(", ".join(BODIES)))
        self.action = action
        self.method = method.upper()
        self.path = re.compile(path)
        self.times = int(times)
        self.status = int(status)
        self.retry_after = None if retry_after is None else str(retry_after)
        self.body = body
        self.seconds = float(seconds)

    def matches(self, method, path):
        return self.times > 0 and self.method in ("*", method) and self.path.search(path) is not None


class Faults:
    def __init__(self):
        self._rules = []
        self._lock = threading.Lock()

    def add(self, **rule):
        with self._lock:
            self._rules.append(FaultRule(**rule))

    def clear(self):
        with self._lock:
            self._rules = []

    def take(self, method, path):
        """Return the first matching rule, consuming one of its uses, or None."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.times -= 1
                    return rule
        return None

"""Injected faults: rules matched by method and path (after the prefix), consumed in the order they were added."""

import re
import threading

ACTIONS = ("status", "delay", "drop_before", "drop_after", "drop_then_act", "malformed_ok")
BODIES = ("json", "html", "empty", "notjson", "truncated")


class FaultRule:
    """One rule. ``times`` is how many matching requests it still applies to; ``skip`` how many matching requests it
    lets pass untouched first (to fault the Nth one)."""

    def __init__(self, action, method="*", path=".*", times=1, status=500, retry_after=None, body="json",
                 seconds=0.0, skip=0):
        if action not in ACTIONS:
            raise ValueError("action must be one of " + ", ".join(ACTIONS))
        if body not in BODIES:
            raise ValueError("body must be one of " + ", ".join(BODIES))
        if not isinstance(method, str) or not method:
            raise ValueError("method must be an HTTP method or *")
        try:
            self.pattern = re.compile(path)
        except (re.error, TypeError) as exc:
            raise ValueError("path must be a regular expression: {0}".format(exc)) from None
        self.action = action
        self.method = method.upper()
        self.path = path
        self.times = int(times)
        self.status = int(status)
        self.retry_after = None if retry_after is None else str(retry_after)
        self.body = body
        self.seconds = float(seconds)
        self.skip = int(skip)
        if self.skip < 0:
            raise ValueError("skip must not be negative")
        if self.times < 1:
            raise ValueError("times must be 1 or more")
        if not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code")
        if self.seconds < 0:
            raise ValueError("seconds must not be negative")

    def matches(self, method, path):
        return self.times > 0 and self.method in ("*", method) and self.pattern.search(path) is not None

    def describe(self):
        return {"action": self.action, "method": self.method, "path": self.path, "times": self.times,
                "status": self.status, "retry_after": self.retry_after, "body": self.body, "seconds": self.seconds,
                "skip": self.skip}


class Faults:
    def __init__(self):
        self._rules = []
        self._lock = threading.Lock()

    def add(self, **rule):
        new = FaultRule(**rule)
        with self._lock:
            self._rules.append(new)
        return new

    def clear(self):
        with self._lock:
            self._rules = []

    def pending(self):
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def take(self, method, path):
        """The first rule (in the order added) matching this request, with one use consumed; None if none. A matching
        rule that still skips lets the request pass on to the rules after it (one skip consumed)."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    if rule.skip:
                        rule.skip -= 1
                        continue
                    rule.times -= 1
                    if rule.times == 0:
                        self._rules.remove(rule)
                    return rule
        return None

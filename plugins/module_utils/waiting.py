# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling an import until a condition holds, within a deadline."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import time

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import is_terminal
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import PermissionAssistError

BACKOFF_FACTOR = 1.25
MAX_POLL_INTERVAL = 30.0
LOG_TAIL_LINES = 20
# Lines that close a build log whatever went wrong ("Import failed.", "Build aborted", "Done."): they say that it
# failed, not why, so a more specific line before them is the cause.
GENERIC_LOG_LINE = re.compile(
    r"^[\s*#=>-]*(?:(?:the\s+)?(?:import|build|job|task)(?:\s+(?:has|was))?\s+(?:failed|stopped|aborted|ended|"
    r"terminated|canceled|cancelled|finished|completed|started|starting)(?:\s+with\s+errors?)?|failed|failure|error|errors|done|"
    r"aborted|stopped)[\s.!:*#=<-]*$", re.IGNORECASE)
LABEL_PREFIX = re.compile(r"^\s*(?:error|fatal|failure|failed)\s*:\s*", re.IGNORECASE)


class WaitTimedOut(Exception):
    def __init__(self, record, waited):
        super(WaitTimedOut, self).__init__("timed out")
        self.record = record
        self.waited = waited


class WaitInterrupted(Exception):
    """A read failed while waiting; carries the error and the last record seen, so the task can still report it."""

    def __init__(self, record, error, waited):
        super(WaitInterrupted, self).__init__(str(error))
        self.record = record
        self.error = error
        self.waited = waited


def wait_for_import(api, record, timeout, poll_interval, done=is_terminal, sleep=time.sleep, clock=time.monotonic):
    """Poll until ``done(record)``; raise WaitTimedOut (or WaitInterrupted, when a read fails) with the last record.

    The deadline is checked before each sleep and request, and the client stops retrying at
    the deadline, so the wait ends at most one request timeout after ``timeout``.
    """
    started = clock()
    deadline = started + timeout
    interval = poll_interval
    while not done(record):
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimedOut(record, clock() - started)
        sleep(min(interval, remaining))
        try:
            record = api.get_import(record["id"], deadline=deadline)
        except PermissionAssistError as exc:
            raise WaitInterrupted(record, exc, clock() - started)
        interval = min(interval * BACKOFF_FACTOR, max(MAX_POLL_INTERVAL, poll_interval))
    return record


def log_tail(record, lines=LOG_TAIL_LINES):
    log = record.get("log") or ""
    return log.splitlines()[-lines:]


def failure_cause(record):
    """Why a build failed, from its log: the last line that is neither blank nor a generic closing line.

    ``Error: the user extract has 0 rows; import stopped.`` gives ``the user extract has 0 rows; import stopped.``
    (a leading ``Error:`` label is dropped: the message around it already says the import failed). When every line
    is generic, the last one; None without a log.
    """
    lines = [line.strip() for line in (record.get("log") or "").splitlines() if line.strip()]
    if not lines:
        return None
    specific = [line for line in lines if not GENERIC_LOG_LINE.match(line)]
    cause = (specific or lines)[-1]
    return LABEL_PREFIX.sub("", cause) or cause


def failed_build_text(record):
    """``import #165 (...) of Data Warehouse failed: the user extract has 0 rows; import stopped.``"""
    cause = failure_cause(record)
    return "{0} failed: {1}".format(label(record), cause) if cause else "{0} failed".format(label(record))


def timed_out_text(record, waited):
    return "timed out after {0:.0f}s waiting for {1}, last seen {2}".format(waited, label(record), record.get("status"))


def stopped_text(error, record, waited):
    """A read failed mid-wait: the error, and where the wait stopped."""
    return "{0}; the wait for {1} stopped after {2:.0f}s, last seen {3}".format(error, label(record), waited,
                                                                                record.get("status"))


def canceled_elsewhere_text(record):
    return "{0} was canceled before it finished (by someone else, or in the Permission Assist user interface)".format(
        label(record))


def gone_text(record, error):
    return "{0} disappeared while waiting: {1}".format(label(record), error)


def label(record):
    application = (record.get("application") or {}).get("name")
    text = "import #{0} ({1})".format(record.get("number"), record.get("id"))
    return "{0} of {1}".format(text, application) if application else text

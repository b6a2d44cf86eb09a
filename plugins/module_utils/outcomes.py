# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the end of a wait means for the task: success, or a failure carrying the last record."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.canceling import cancel_import
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    InputError, OperationError, PermissionAssistError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.waiting import (
    WaitInterrupted, WaitTimedOut, label, log_tail, wait_for_import)


def check_wait_options(params):
    """Called before any request, so a bad value never leaves a half-done change behind."""
    if params["wait_timeout"] <= 0:
        raise InputError("wait_timeout", "must be greater than 0 seconds")
    if params["poll_interval"] <= 0:
        raise InputError("poll_interval", "must be greater than 0 seconds")


def wait_for_staged_import(api, record, params):
    """Wait for a staged import to end; only Finished counts as success."""
    try:
        record = wait_for_import(api, record, params["wait_timeout"], params["poll_interval"])
    except WaitTimedOut as timeout:
        _fail_timed_out(api, timeout, params.get("cancel_on_timeout", False))
    except WaitInterrupted as interrupted:
        _fail_interrupted(interrupted)
    status = status_of(record)
    if status == "failed":
        raise OperationError("{0} failed".format(label(record)), application_import=record, log_tail=log_tail(record))
    if status == "canceled":
        raise OperationError("{0} was canceled before it finished (by someone else, or in the Permission Assist "
                             "user interface)".format(label(record)), application_import=record, log_tail=log_tail(record))
    return record


class CancelOvertaken(OperationError):
    """A canceled import ended Finished or Failed: its build completed before the cancel took effect (6.2)."""


def wait_for_canceled_import(api, record, params, timeout=None):
    """Wait for a canceled import to end; it may still finish or fail if the build beat the cancel.

    ``timeout`` overrides ``wait_timeout``: what is left of one deadline shared by several imports.
    """
    try:
        record = wait_for_import(api, record, params["wait_timeout"] if timeout is None else timeout,
                                 params["poll_interval"])
    except WaitTimedOut as timeout:
        _fail_timed_out(api, timeout, cancel=False)
    except WaitInterrupted as interrupted:
        _fail_interrupted(interrupted)
    status = status_of(record)
    if status != "canceled":
        raise CancelOvertaken("{0} {1} before the cancel took effect: its build completed first, so it is {2}, not "
                              "Canceled".format(label(record), "failed" if status == "failed" else "finished",
                                                record.get("status")),
                              application_import=record, log_tail=log_tail(record))
    return record


def wait_for_canceled_imports(api, outcomes, params, clock=time.monotonic):
    """Wait in turn for every import whose cancel outcome is cancelable; return (records, overtaken messages).

    ``wait_timeout`` bounds the whole wait, not each import. An import that ended Finished or Failed does not stop
    the waits for the others (their cancels were all sent already). A timeout or a failed read ends the wait: it
    raises with ``application_imports`` as far as known.
    """
    deadline = clock() + params["wait_timeout"]
    records = [outcome.record for outcome in outcomes]
    overtaken = []
    for index, outcome in enumerate(outcomes):
        if not outcome.cancelable:
            continue
        try:
            records[index] = wait_for_canceled_import(api, outcome.record, params,
                                                      timeout=max(0.0, deadline - clock()))
        except CancelOvertaken as exc:
            records[index] = exc.details["application_import"]
            overtaken.append(str(exc))
        except OperationError as exc:
            records[index] = exc.details.get("application_import", outcome.record)
            exc.details["application_imports"] = records
            raise
    return records, overtaken


def _fail_timed_out(api, timeout, cancel):
    record = timeout.record
    message = "timed out after {0:.0f}s waiting for {1}, last seen {2}".format(
        timeout.waited, label(record), record.get("status"))
    if cancel:
        # The wait just read the import: cancel from that record (a 409 re-reads it) rather than spend a read.
        try:
            outcome = cancel_import(api, record["id"], check_mode=False, record=record)
        except PermissionAssistError as exc:
            message += "; cancel_on_timeout could not cancel it: {0}".format(exc)
        else:
            record = outcome.record
            message += "; {0}".format(outcome.msg)
    raise OperationError(message, application_import=record, timed_out=True)


def _fail_interrupted(interrupted):
    """A read failed during the wait: report that error, with the last record seen (the import exists)."""
    record = interrupted.record
    details = interrupted.error.fail_kwargs()
    message = "{0}; the wait for {1} stopped after {2:.0f}s, last seen {3}".format(
        details.pop("msg"), label(record), interrupted.waited, record.get("status"))
    details["application_import"] = record
    raise OperationError(message, **details)

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the end of a wait means for the task: success, or a failure carrying the last record."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import OrderedDict, namedtuple

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.canceling import cancel_import
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    InputError, OperationError, PermissionAssistError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.waiting import (
    WaitInterrupted, WaitTimedOut, canceled_elsewhere_text, failed_build_text, gone_text, label, log_tail, stopped_text,
    timed_out_text, wait_for_import)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.waiting_many import wait_for_many


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
        raise OperationError(failed_build_text(record), application_import=record, log_tail=log_tail(record))
    if status == "canceled":
        raise OperationError(canceled_elsewhere_text(record), application_import=record, log_tail=log_tail(record))
    return record


class CancelOvertaken(OperationError):
    """A canceled import ended Finished or Failed: its build completed before the cancel took effect (6.2)."""


def wait_for_canceled_import(api, record, params):
    """Wait for a canceled import to end; it may still finish or fail if the build beat the cancel."""
    try:
        record = wait_for_import(api, record, params["wait_timeout"], params["poll_interval"])
    except WaitTimedOut as timeout:
        _fail_timed_out(api, timeout, cancel=False)
    except WaitInterrupted as interrupted:
        _fail_interrupted(interrupted)
    overtaken = _overtaken_text(record)
    if overtaken:
        raise CancelOvertaken(overtaken, application_import=record, log_tail=log_tail(record))
    return record


CanceledWait = namedtuple("CanceledWait", ["records", "verdicts", "timed_out", "timed_out_ids"])


def wait_for_canceled_imports(api, outcomes, params, **wait_kwargs):
    """Wait for every import whose cancel was accepted, together, within one ``wait_timeout``.

    Polls through the import list (waiting_many), so every import is read on every poll and none is judged unread.
    Returns a CanceledWait: ``records`` in the order of ``outcomes``; ``verdicts``, for each import waited for (in
    that order), None when it ended Canceled, else why not; ``timed_out`` when ``wait_timeout`` passed; and
    ``timed_out_ids``, the imports still active then.
    """
    waiting = OrderedDict((outcome.record["id"], outcome.record) for outcome in outcomes if outcome.cancelable)
    result = wait_for_many(api, waiting, params["wait_timeout"], params["poll_interval"], **wait_kwargs)
    records = [result.records.get(outcome.record["id"], outcome.record) for outcome in outcomes]
    verdicts = OrderedDict()
    timed_out_ids = set()
    for import_id in waiting:
        record = result.records[import_id]
        if import_id in result.gone:
            verdicts[import_id] = gone_text(record, result.gone[import_id])
        elif import_id in result.outstanding:
            if result.timed_out:
                timed_out_ids.add(import_id)
                verdicts[import_id] = timed_out_text(record, result.waited)
            else:
                verdicts[import_id] = stopped_text(result.error, record, result.waited)
        else:
            verdicts[import_id] = _overtaken_text(record)
    return CanceledWait(records, verdicts, result.timed_out, timed_out_ids)


def _overtaken_text(record):
    """None for a Canceled import; else why a canceled import did not end Canceled (6.2: its build won)."""
    status = status_of(record)
    if status == "canceled":
        return None
    return "{0} {1} before the cancel took effect: its build completed first, so it is {2}, not Canceled".format(
        label(record), "failed" if status == "failed" else "finished", record.get("status"))


def _fail_timed_out(api, timeout, cancel):
    record = timeout.record
    message = timed_out_text(record, timeout.waited)
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
    message = stopped_text(details.pop("msg"), record, interrupted.waited)
    details["application_import"] = record
    raise OperationError(message, **details)

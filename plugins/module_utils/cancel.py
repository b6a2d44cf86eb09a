# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cancel as a convergent operation: read the state, cancel only what is still active.

One import; many in one module run are cancel_batch's. The wait for a canceled import is judged by verdicts.py
(``expect`` ``canceled``); ``cancel_on_timeout`` is what a stage, an upload or pa_import_wait run when their wait
timed out. ``cancel_one`` is pa_import_cancel's ``import_id``; ``import_id_or_predicted`` and ``cancel_predicted``
are the rule for an empty id (the import a check-mode stage only predicted).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import ACTIVE_STATUSES, read_import, status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.diffs import import_diff
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, InputError, OperationError, PermissionAssistError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import label, wait_for_one

CANCEL_REQUESTED = ("canceling", "canceled")
# An import a check-mode stage only predicted (no id): what a real run would cancel.
PREDICTED_TEXT = "check mode: the import is only predicted (a check-mode stage); a real run would cancel it"
# pa_import_cancel's options that name what to cancel (exactly one is required)
IDS = ("import_id", "import_ids", "application_id", "application_name")


class CancelOutcome:
    """``record`` is the import after the call (as read when nothing was sent); ``before``, as read before it."""

    def __init__(self, record, changed, cancelable, msg, before=None):
        self.record = record
        self.changed = changed
        self.cancelable = cancelable
        self.msg = msg
        self.before = before if before is not None else record


def cancel_diff(outcome, final=None, check_mode=False):
    """The --diff of one cancel: the status read before it, and after it (``final``: the last read of a wait).

    In check mode nothing was sent: an import that would be canceled is shown as the API would answer, Canceling.
    When nothing changed, before and after are the same line.
    """
    after = final or outcome.record
    before = outcome.before if outcome.changed else after
    if check_mode and outcome.changed:
        after = dict(outcome.before, status="Canceling")
    return import_diff(label(before), before, after)


def cancel_import(api, import_id, check_mode, record=None):
    """Cancel one import; ``record`` skips the first read when the caller just read it."""
    record = record or read_import(api, import_id)
    if status_of(record) in CANCEL_REQUESTED:
        return CancelOutcome(record, False, True, "{0} is already {1}".format(label(record), record["status"]))
    if status_of(record) not in ACTIVE_STATUSES:
        return _not_cancelable(record)
    if check_mode:
        return CancelOutcome(record, True, True, "{0} would be canceled".format(label(record)))
    outcome = _post_cancel(api, import_id, record, retry_left=1)
    outcome.before = record
    return outcome


def _post_cancel(api, import_id, record, retry_left):
    try:
        canceled = api.cancel_import(import_id)
    except ApiError as exc:
        if exc.status != 409:
            raise
        # It reached Canceling or a terminal status between our read and the cancel.
        current = read_import(api, import_id)
        if status_of(current) in ACTIVE_STATUSES:
            raise
        return cancel_import(api, import_id, check_mode=False, record=current)
    except TransportError as exc:
        if not exc.request_sent:
            raise
        # Cancel is safe to repeat once the state is read again.
        current = read_import(api, import_id)
        if status_of(current) in CANCEL_REQUESTED:
            return CancelOutcome(current, True, True, "cancel requested for {0}".format(label(current)))
        if status_of(current) in ACTIVE_STATUSES and retry_left:
            return _post_cancel(api, import_id, current, retry_left - 1)
        if status_of(current) in ACTIVE_STATUSES:
            raise
        return _not_cancelable(current)
    return CancelOutcome(canceled, True, True, "cancel requested for {0}".format(label(canceled)))


def _not_cancelable(record):
    return CancelOutcome(record, False, False, "nothing to cancel: {0} is already {1}".format(label(record), record["status"]))


def cancel_on_timeout(api, record, check_mode):
    """Cancel an import still active when a wait's deadline passed, from the record the wait last saw (a 409 re-reads
    it): (its record now, what happened as ``cancel_on_timeout: ...``, whether a cancel was sent)."""
    try:
        outcome = cancel_import(api, record["id"], check_mode, record=record)
    except PermissionAssistError as exc:
        return record, "cancel_on_timeout could not cancel it: {0}".format(exc), False
    return outcome.record, "cancel_on_timeout: {0}".format(outcome.msg), outcome.changed


# pa_import_cancel's import_id

def cancel_one(api, import_id, params, check_mode, with_diff):
    """The module result of cancelling one import (``fail_if_not_cancelable``, then ``wait`` unless in check mode)."""
    outcome = cancel_import(api, import_id, check_mode)
    if not outcome.cancelable and params["fail_if_not_cancelable"]:
        raise OperationError(outcome.msg, application_import=outcome.record, cancelable=False)
    record = outcome.record
    if params["wait"] and outcome.cancelable and not check_mode:
        record = _wait_canceled(api, record, params, outcome.changed)
    result = dict(changed=outcome.changed, msg=outcome.msg, application_import=record, cancelable=outcome.cancelable)
    if with_diff:
        result["diff"] = cancel_diff(outcome, record, check_mode)
    return result


# An empty id: the import a check-mode stage only predicted

def is_empty(value):
    return value is None or not value.strip()


def import_id_or_predicted(field, value, check_mode):
    """A GUID; an empty id only in check mode (a predicted import: None), else an error naming the field."""
    if not is_empty(value):
        return guid(field, value)
    if check_mode:
        return None
    raise InputError(field, "is empty: give the GUID of the import to cancel (one of {0} is required); an empty id "
                            "is what a check-mode pa_import_stage returns for the import it only "
                            "predicts".format(", ".join(IDS)))


def cancel_predicted(with_diff):
    """Check mode, no id: the import a check-mode stage predicted (Pending) is what a real run would cancel."""
    result = dict(changed=True, msg=PREDICTED_TEXT, application_import=None, cancelable=True)
    if with_diff:
        result["diff"] = import_diff("predicted import", {"status": "Pending"}, {"status": "Canceling"})
    return result


# Waiting for what was canceled

def wait_for_canceled_import(api, record, params):
    """Wait for one canceled import to end; return its final record, or raise OperationError saying why it did not
    end Canceled."""
    return wait_for_one(api, record, params, "canceled")


def _wait_canceled(api, record, params, changed):
    """A failed wait still reports the cancel already sent (changed)."""
    try:
        return wait_for_canceled_import(api, record, params)
    except OperationError as exc:
        exc.details.setdefault("changed", changed)
        exc.details.setdefault("cancelable", True)
        raise

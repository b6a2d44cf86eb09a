# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batch form of pa_import_cancel (``import_ids``, ``all_active``): many imports in one module run.

Every cancel is sent (cancel.cancel_import) before any wait, then the canceled imports are waited for together and
each result takes its verdict (verdicts.apply_verdict, ``expect`` ``canceled``); ``report`` is the module's result,
its lines, counts and message written by report.py. ``cancel_many`` (``import_ids``) and ``cancel_all_active``
(``all_active``: the active imports of one application) are the two forms.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import OrderedDict

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import ACTIVE_STATUSES, status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import PREDICTED_TEXT, cancel_diff, cancel_import
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    OperationError, PermissionAssistError, is_systemic)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.report import (
    cancel_failures, cancel_line, cancel_summary, cancel_tally, cancel_wait_counts, import_wait_line)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import apply_verdict, verdicts
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import wait_for_imports


class CancelBatch:
    """What one batch did, in input order: a result per import, the cancel outcome of each import that was read
    (else None) and its last record (``known`` record, else None, when it was not read).

    ``stopped`` is (import id, error) when a systemic error (errors.is_systemic) stopped the batch at that import.
    """

    def __init__(self):
        self.results = []
        self.outcomes = []
        self.records = []
        self.stopped = None
        self.wait_counts = None

    def add(self, result, outcome, record):
        self.results.append(result)
        self.outcomes.append(outcome)
        self.records.append(record)

    def diffs(self, check_mode):
        """One --diff per import whose cancel was sent (or would be, in check mode)."""
        return [cancel_diff(outcome, record, check_mode)
                for outcome, record in zip(self.outcomes, self.records) if outcome is not None and outcome.changed]


def new_result(import_id):
    return {"import_id": import_id, "application_id": None, "application_name": None, "number": None,
            "status": None, "changed": False, "failed": False, "attempted": True, "msg": ""}


def cancel_each(api, import_ids, check_mode, known=None):
    """Send every cancel before any wait, so a wait that fails never leaves the other imports uncanceled.

    One import's failure (an unknown id, a server error on its cancel) is recorded in its result and never stops the
    others. A systemic failure (401/403, nothing reached the server) would meet every import alike: the batch stops
    there and the imports after it are reported failed and not attempted (``attempted: false``).

    An empty ``import_id`` (None or "") is the id of an import that a check-mode stage only predicted: in check mode
    it is reported as would-be canceled; a real run never gets here with one (the module rejects it first).
    ``known`` maps an import id to the record already read (all_active's list rows), kept for imports not read again.
    """
    known = known or {}
    batch = CancelBatch()
    for import_id in import_ids:
        result = new_result(import_id)
        outcome = None
        if batch.stopped is not None:
            stopped_at, error = batch.stopped
            result.update(failed=True, attempted=False,
                          msg="not attempted: the batch stopped at import {0}: {1}".format(stopped_at, error))
        elif not import_id and check_mode:
            result.update(import_id=None, status="Pending", changed=True, msg=PREDICTED_TEXT)
        else:
            try:
                outcome = cancel_import(api, import_id, check_mode)
            except PermissionAssistError as exc:
                result.update(failed=True, msg=str(exc))
                if is_systemic(exc):
                    batch.stopped = (import_id, exc)
            else:
                application = outcome.record.get("application") or {}
                result.update(application_id=application.get("id"), application_name=application.get("name"),
                              number=outcome.record.get("number"), status=outcome.record.get("status"),
                              changed=outcome.changed, msg=outcome.msg)
        batch.add(result, outcome, outcome.record if outcome is not None else known.get(import_id))
    return batch


def wait_for_cancels(api, batch, params, **wait_kwargs):
    """Wait together for the imports whose cancel was accepted; give each result its final status and verdict.

    Sets the batch's final records and returns the summary's wait counts. An import that had already ended (not
    cancelable) is not waited for.
    """
    waited = [index for index, outcome in enumerate(batch.outcomes) if outcome is not None and outcome.cancelable]
    # keyed as the server spells the id, which is how the wait keys its verdicts
    records = OrderedDict((batch.outcomes[index].record["id"], batch.outcomes[index].record) for index in waited)
    judged = verdicts(wait_for_imports(api, records, params["wait_timeout"], params["poll_interval"], **wait_kwargs))
    for result in batch.results:
        result["timed_out"] = False
    kinds = []
    for index in waited:
        verdict = judged[batch.outcomes[index].record["id"]]
        apply_verdict(batch.results[index], verdict, "canceled")
        batch.records[index] = verdict.record
        kinds.append(verdict.kind)
    counts = batch.wait_counts = cancel_wait_counts(kinds)
    return counts


def run_batch(api, import_ids, params, check_mode, known=None):
    """Cancel every import, then (``wait``, not in check mode, and unless a systemic failure stopped the batch)
    wait for them together."""
    batch = cancel_each(api, import_ids, check_mode, known)
    if params["wait"] and not check_mode and batch.stopped is None:
        wait_for_cancels(api, batch, params)
    return batch


def report(batch, msg, check_mode, with_diff, failure_prefix="", **extra):
    """The module result of a batch, or the OperationError that fails the task with every result in it.

    A failure names each failed import (``failure_prefix`` before it); a systemic stop says it once.
    """
    summary = cancel_summary(batch.results, batch.wait_counts, check_mode)
    changed = any(result["changed"] for result in batch.results)
    if batch.wait_counts is not None:
        msg += "; {0} confirmed Canceled".format(batch.wait_counts["confirmed_canceled"])
    details = dict(extra, changed=changed, import_results=batch.results, summary=summary,
                   lines=[cancel_line(result, check_mode) if batch.wait_counts is None else import_wait_line(result)
                          for result in batch.results])
    if with_diff:
        details["diff"] = batch.diffs(check_mode)
    failed = [result for result in batch.results if result["failed"] and result["attempted"]]
    if batch.stopped is not None:
        stopped_at, error = batch.stopped
        text = "{0}; the batch stopped at import {1}, a failure every import would meet: {2} import(s) not " \
               "attempted".format(error, stopped_at, summary["not_attempted"])
        earlier = [result for result in failed if result["import_id"] != stopped_at]
        if earlier:
            text += "; failed before it: " + cancel_failures(earlier)
        error_details = error.fail_kwargs()
        error_details.pop("msg")
        error_details.update(details)
        raise OperationError(text, **error_details)
    if failed:
        if batch.wait_counts is not None:
            details["timed_out"] = batch.wait_counts["timed_out"] > 0
        raise OperationError("{0}{1} of {2} import(s) failed: {3}".format(
            failure_prefix, len(failed), len(batch.results), cancel_failures(failed)), **details)
    return dict(details, msg=msg)


def cancel_many(api, import_ids, params, check_mode, with_diff):
    """``import_ids``: the module result of cancelling each import (an empty entry: a predicted import)."""
    batch = run_batch(api, import_ids, params, check_mode)
    msg = cancel_tally(cancel_summary(batch.results, check_mode=check_mode))
    return report(batch, msg, check_mode, with_diff)


def cancel_all_active(api, application_id, application, params, check_mode, with_diff):
    """Every active import of the application through the batch path, like import_ids; the records and the ids
    canceled are returned as before (application_imports, canceled_import_ids)."""
    active = [row for row in api.list_imports(application_id) if status_of(row) in ACTIVE_STATUSES]
    names = [(row.get("application") or {}).get("name") for row in active]
    name = (application or {}).get("name") or next((name for name in names if name), None)
    subject = "{0} ({1})".format(name, application_id) if name else application_id
    batch = run_batch(api, [row["id"] for row in active], params, check_mode,
                      known=dict((row["id"], row) for row in active))
    canceled = [result["import_id"] for result in batch.results if result["changed"]]
    msg = "{0} {1} of {2} active import(s) of application {3}".format(
        "would cancel" if check_mode else "canceled", len(canceled), len(active), subject)
    return report(batch, msg, check_mode, with_diff, failure_prefix=msg + "; ",
                  application_imports=batch.records, canceled_import_ids=canceled)

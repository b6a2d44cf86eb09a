# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Canceling many imports in one module run: one result per import, then an optional wait for all of them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import is_terminal
from ansible_collections.sycorr.permission_assist.plugins.module_utils.canceling import cancel_import
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import PermissionAssistError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.outcomes import wait_for_canceled_imports


def cancel_each(api, import_ids, check_mode):
    """Send every cancel before any wait, so a wait that fails never leaves the other imports uncanceled.

    Returns (results, [(result, cancel outcome)] for the imports that could be read); one import's failure is
    recorded in its result and never stops the others.
    """
    results, canceled = [], []
    for import_id in import_ids:
        result = {"import_id": import_id, "application_id": None, "application_name": None, "number": None,
                  "status": None, "changed": False, "failed": False, "msg": ""}
        try:
            outcome = cancel_import(api, import_id, check_mode)
        except PermissionAssistError as exc:
            result.update(failed=True, msg=str(exc))
        else:
            canceled.append((result, outcome))
            application = outcome.record.get("application") or {}
            result.update(application_id=application.get("id"), application_name=application.get("name"),
                          number=outcome.record.get("number"), status=outcome.record.get("status"),
                          changed=outcome.changed, msg=outcome.msg)
        results.append(result)
    return results, canceled


def wait_for_cancels(api, results, canceled, params):
    """Wait together for the imports whose cancel was accepted; give each result its final status and verdict.

    Returns the summary's wait counts. An import that had already ended (not cancelable) is not waited for.
    """
    waited = wait_for_canceled_imports(api, [outcome for dummy, outcome in canceled], params)
    counts = {"confirmed_canceled": 0, "overtaken": 0, "timed_out": 0}
    for result in results:
        result["timed_out"] = False
    for (result, outcome), record in zip(canceled, waited.records):
        if not outcome.cancelable:
            continue
        import_id = outcome.record["id"]  # as the server spells it, which is how the wait keys its verdicts
        problem = waited.verdicts[import_id]
        timed_out = import_id in waited.timed_out_ids
        result.update(status=record.get("status"), timed_out=timed_out)
        if problem is None:
            counts["confirmed_canceled"] += 1
            result["msg"] = "{0}; it is Canceled".format(result["msg"])
            continue
        result.update(failed=True, msg=problem)
        if timed_out:
            counts["timed_out"] += 1
        elif is_terminal(record):
            counts["overtaken"] += 1
    return counts


def summarize(results, wait_counts=None):
    summary = {"requested": len(results), "canceled": len([r for r in results if r["changed"]]),
               "unchanged": len([r for r in results if not r["changed"] and not r["failed"]]),
               "failed": len([r for r in results if r["failed"]])}
    summary.update(wait_counts or {})
    return summary

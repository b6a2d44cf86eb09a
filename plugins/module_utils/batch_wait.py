# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a wait for many imports means for each item of a batch: final status, record, and why it failed."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.waiting import (
    canceled_elsewhere_text, failed_build_text, gone_text, log_tail, stopped_text, timed_out_text)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.waiting_many import wait_for_many

WAIT_COUNTS = ("finished", "failed_build", "canceled", "timed_out", "wait_error")


def wait_for_results(api, results, timeout, poll_interval, **kwargs):
    """Wait for the imports of the items that staged one; update those items in place and return the wait stats.

    Items that failed to stage are not waited on. Several items may name one import (a reused Pending one).
    """
    records = {}
    for result in results:
        if not result["failed"] and result["import_id"]:
            records[result["import_id"]] = result["application_import"]
    outcome = wait_for_many(api, records, timeout, poll_interval, **kwargs)
    for result in results:
        if result["failed"] or not result["import_id"]:
            continue
        import_id = result["import_id"]
        record = outcome.records[import_id]
        result.update(status=record.get("status"), application_import=record, wait=wait_verdict(
            import_id, record, outcome))
        _describe(result, outcome)
    return outcome.stats()


def wait_verdict(import_id, record, outcome):
    """How the wait for one import of a ManyWaitResult ended: one of WAIT_COUNTS (pa_import_wait shares it)."""
    if import_id in outcome.gone:
        return "wait_error"
    if import_id in outcome.outstanding:
        return "timed_out" if outcome.timed_out else "wait_error"
    return {"finished": "finished", "failed": "failed_build", "canceled": "canceled"}[status_of(record)]


def _describe(result, outcome):
    record = result["application_import"]
    wait = result["wait"]
    if wait == "finished":
        result["msg"] += "; import #{0} finished".format(record.get("number"))
        return
    result["failed"] = True
    if wait in ("failed_build", "canceled"):
        result["log_tail"] = log_tail(record)
    elif wait == "timed_out":
        result["timed_out"] = True
    result["msg"] += "; " + problem_text(wait, result["import_id"], record, outcome)


def problem_text(verdict, import_id, record, outcome):
    """Why the wait for an import did not end Finished, for any verdict but ``finished`` (pa_import_wait shares it)."""
    if verdict == "failed_build":
        return failed_build_text(record)
    if verdict == "canceled":
        return canceled_elsewhere_text(record)
    if verdict == "timed_out":
        return timed_out_text(record, outcome.waited)
    if import_id in outcome.gone:
        return gone_text(record, outcome.gone[import_id])
    return stopped_text(outcome.error, record, outcome.waited)


def wait_counts(results):
    counts = dict((key, 0) for key in WAIT_COUNTS)
    for result in results:
        if result.get("wait"):
            counts[result["wait"]] += 1
    return counts

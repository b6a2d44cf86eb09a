# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Staging as the user means it: reuse a Pending import, stage at most once, settle a failed request (settle.py).

One application; many in one module run are stage_batch's. What it returns is an obtained.Obtained, as an upload's:
the wait for it is obtained.wait_for_obtained (one import) or stage_batch's (many), judged by verdicts.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import describe
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, OperationError, PermissionAssistError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_list import ImportSnapshot
from ansible_collections.sycorr.permission_assist.plugins.module_utils.obtained import Obtained
from ansible_collections.sycorr.permission_assist.plugins.module_utils.settle import Look, look_failed, settle


def stage(api, application_id, reuse_pending=True, check_mode=False, application=None, pending_index=None):
    """Stage one import for ``application_id``; ``application`` is its record when already read; ``pending_index``
    (a PendingIndex of the batch) stands in for reading the application's own list."""
    snapshot = None
    if reuse_pending:
        if pending_index is not None:
            candidates = pending_index.pending_newest_first(application_id)
            snapshot = pending_index.before(application_id)
        else:
            snapshot = ImportSnapshot(api, application_id)
            candidates = snapshot.pending_newest_first()
        for pending in candidates:
            record = api.get_import(pending["id"])
            # It may have started (or been canceled) since the list was read: then it is not reused.
            if status_of(record) == "pending":
                return Obtained(record, False, "reused Pending import #{0}".format(record.get("number")), reused=True)
    if check_mode:
        return _predict(api, application_id, application)
    warnings = []
    try:
        record = api.stage_import(application_id)
    except (ApiError, TransportError) as exc:
        if snapshot is None:
            _unknown_without_snapshot(api, application_id, exc)
        settled = settle(exc, lambda: api.stage_import(application_id), _look(api, application_id, snapshot.known()),
                         api.client.retry_policy.retries, application_id, watch_seconds=api.client.timeout,
                         backoff=api.client.retry_policy.delay)
        if settled.adopted is not None:
            return _adopted(api, settled)
        record, warnings = settled.answer, settled.warnings
    if not record.get("application"):
        record = _with_application(api, record, application_id, application, snapshot, warnings)
    return Obtained(record, True, "staged import #{0}".format(record.get("number")), warnings=warnings)


def _with_application(api, record, application_id, application, snapshot, warnings):
    """The stage reference shows no ``application`` in its answer (contract 6.1, 11), the other answers do: fill it
    in from the application already read (by name, or in a row of the list read for reuse), else read it now."""
    if application is None and snapshot is not None:
        application = next((row["application"] for row in snapshot.rows if row.get("application")), None)
    if application is None:
        try:
            application = api.get_application(application_id)
        except PermissionAssistError as exc:  # the import is staged: a failed read must not hide that
            warnings.append("the stage answer had no application and reading application {0} failed: {1}".format(
                application_id, exc))
            return record
    record = dict(record)
    record["application"] = application
    return record


def _predict(api, application_id, application):
    """Check mode: predict what the stage call would answer from the application record."""
    if application is None:
        try:
            application = api.get_application(application_id)
        except ApiError as exc:
            if exc.status == 404:
                raise OperationError("application_id: no application with id {0}; staging would fail".format(application_id))
            raise
    if application.get("isArchived"):
        raise OperationError("application {0} is archived; staging would fail".format(describe(application)))
    record = {
        "id": None,
        "kind": "Application Import",
        "number": None,
        "type": "API",
        "status": "Pending",
        "buildStart": None,
        "buildEnd": None,
        "log": None,
        "files": [],
        "metrics": None,
        "application": application,
    }
    return Obtained(record, True, "check mode: would stage an import for {0}".format(describe(application)),
                    predicted=True)


def _look(api, application_id, before):
    """One look at the application's imports after a failed stage request (settle.settle's ``look``)."""
    def look():
        new, undecidable, conclusive = ImportSnapshot(api, application_id).since(before)
        return Look(ours=new, undecidable=undecidable, conclusive=conclusive)
    return look


def _adopted(api, settled):
    record = api.get_import(settled.adopted["id"])
    return Obtained(record, True, "staged import #{0} (answer lost: {1}; found it in the list)".format(
        record.get("number"), settled.lost), warnings=settled.warnings + [
        "the stage answer was lost ({0}); adopted import {1}, the only new import of the application".format(
            settled.lost, record["id"])])


def _unknown_without_snapshot(api, application_id, cause):
    """reuse_pending false: no list from before the request, so a new import cannot be told from an older one."""
    if not isinstance(cause, TransportError) or not cause.request_sent:
        raise cause
    try:
        after = ImportSnapshot(api, application_id)
    except (ApiError, TransportError) as lookup:
        raise look_failed(cause.reason, lookup)
    candidates = [row["id"] for row in after.rows if status_of(row) in ("pending", "running")]
    raise OperationError(
        "outcome unknown: {0}; the import may or may not have been staged (reuse_pending was false, so there is "
        "no earlier list to compare with). Inspect these active imports of {1} before retrying: {2}".format(
            cause.reason, application_id, ", ".join(candidates) or "none"),
        outcome_unknown=True, candidate_import_ids=candidates)

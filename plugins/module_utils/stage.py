# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Staging as the user means it: reuse a Pending import, stage at most once, reconcile a lost answer.

One application; many in one module run are stage_batch's. What it returns is an obtained.Obtained, as an upload's:
the wait for it is obtained.wait_for_obtained (one import) or stage_batch's (many), judged by verdicts.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import describe
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, OperationError, PermissionAssistError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_list import ImportSnapshot, new_imports
from ansible_collections.sycorr.permission_assist.plugins.module_utils.obtained import Obtained


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
    try:
        record = api.stage_import(application_id)
    except TransportError as exc:
        if not exc.request_sent:
            raise
        try:
            return _reconcile(api, application_id, snapshot, exc)
        except (ApiError, TransportError) as lookup:
            # Whatever stopped the look-up (a refused connection too), the stage request itself reached the server:
            # report an unknown outcome, never the look-up's error alone, which a batch would take for "nothing sent".
            raise OperationError(
                "outcome unknown: {0}; looking for the import it may have created failed too ({1}). Check with "
                "sycorr.permission_assist.pa_import_info before re-running.".format(exc.reason, lookup),
                outcome_unknown=True, candidate_import_ids=[])
    warnings = []
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


def _reconcile(api, application_id, before, cause):
    """The stage request left but its answer was lost: find what it did instead of sending it again."""
    after = ImportSnapshot(api, application_id)
    if before is None:
        candidates = [row["id"] for row in after.rows if status_of(row) in ("pending", "running")]
        raise OperationError(
            "outcome unknown: {0}; the import may or may not have been staged (reuse_pending was false, so there is "
            "no earlier list to compare with). Inspect these active imports of {1} before retrying: {2}".format(
                cause.reason, application_id, ", ".join(candidates) or "none"),
            outcome_unknown=True, candidate_import_ids=candidates)
    new = new_imports(api, application_id, before, cause, after)
    if len(new) == 1:
        record = api.get_import(new[0]["id"])
        return Obtained(record, True, "staged import #{0} (answer lost: {1}; found it in the list)".format(
            record.get("number"), cause.reason), warnings=[
            "the stage answer was lost ({0}); adopted import {1}, the only new import of the application".format(
                cause.reason, record["id"])])
    if not new and not before.sees_started:
        undecidable = [row["id"] for row in before.undecidable(after)]
        raise OperationError(
            "outcome unknown: {0}; no new Pending import of {1} appeared, but the import it may have created may "
            "already have started or ended: the batch read only the never-started end of the import list, so a "
            "started import of it cannot be told apart from it (Running now: {2}). Check with "
            "sycorr.permission_assist.pa_import_info before re-running.".format(
                cause.reason, application_id, ", ".join(undecidable) or "none"),
            outcome_unknown=True, candidate_import_ids=undecidable)
    if not new and cause.late_commit_possible:
        raise OperationError(
            "outcome unknown: {0}; no new import of {1} appeared within another {2:g}s, but the server may still "
            "stage it. Check with sycorr.permission_assist.pa_import_info before re-running.".format(
                cause.reason, application_id, api.client.timeout),
            outcome_unknown=True, candidate_import_ids=[])
    if not new:
        raise OperationError(
            "outcome unknown: {0}; no new import of {1} appears in the list, so nothing seems to have been staged. "
            "Re-running with reuse_pending stages at most one.".format(cause.reason, application_id),
            outcome_unknown=True, candidate_import_ids=[])
    ids = [row["id"] for row in new]
    raise OperationError(
        "outcome unknown: {0}; {1} new imports of {2} appeared (someone else staged too): {3}".format(
            cause.reason, len(ids), application_id, ", ".join(ids)),
        outcome_unknown=True, candidate_import_ids=ids)

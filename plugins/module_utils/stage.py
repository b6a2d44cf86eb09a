# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Staging as the user means it: reuse a Pending import, stage at most once, settle a failed request (settle.py).

One application (``stage``; many in one module run are stage_batch's) and the wait for what was staged: every
form (one import, a batch, pa_import_wait given stage results) turns a wait's Verdict into its result through
``stage_verdict``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import describe
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import cancel_on_timeout
from ansible_collections.sycorr.permission_assist.plugins.module_utils.diffs import import_diff
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, OperationError, PermissionAssistError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.settle import Known, Look, compare, settle
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import (
    canceled_elsewhere_text, log_tail, wait_for_one)


class StageOutcome:
    def __init__(self, record, changed, msg, reused=False, predicted=False, warnings=None):
        self.record = record
        self.changed = changed
        self.msg = msg
        self.reused = reused
        self.predicted = predicted
        self.warnings = warnings or []


class ImportSnapshot:
    """The imports at both ends of an application's list: page 1 and the last page.

    Pending imports have no buildStart, so they sort at one end of the buildStart-descending
    list (the last page if nulls sort low, page 1 if they sort high); reading both ends finds
    them in at most two requests whatever the length of the history.
    """

    def __init__(self, api, application_id):
        first = api.list_imports_page(application_id, 1)
        self.pages = {1: list(first.get("items") or [])}
        self.page_counts = [first.get("totalPages") or 1]
        last_page = first.get("totalPages") or 1
        if last_page > 1:
            last = api.list_imports_page(application_id, last_page)
            self.pages[last_page] = list(last.get("items") or [])
            self.page_counts.append(last.get("totalPages") or 1)
        self.rows = [row for number in sorted(self.pages) for row in self.pages[number]]

    def pending_newest_first(self):
        return _newest_first([row for row in self.rows if status_of(row) == "pending"])

    def known(self):
        """What these two ends show, for telling a new import from an older one (settle.Known)."""
        return Known.from_pages(self.pages, self.page_counts)


class PendingIndex:
    """Every Pending import of every application, from the never-started end of the unfiltered import list.

    The list is buildStart-descending and never-started imports (every Pending one) sort together at one end
    (docs/decisions.md), so the pages from that end up to the first started import name all of them, whatever the
    number of applications. ``walk`` reads them only while that costs fewer requests than reading each
    application's own list would (``page_budget``).
    """

    def __init__(self, by_application, pages, rows=()):
        self.by_application = by_application
        self.pages = pages
        self.rows = list(rows)  # every row the walk read: every never-started import, and the newest start
        self.seen_ids = set(row["id"] for row in self.rows)
        self._known = None

    @classmethod
    def walk(cls, api, page_budget):
        """(the index, or None when it cannot settle the batch, and the pages read). None: more than ``page_budget``
        pages would be needed, a page past the first came back empty (the list shrank while it was read), or a
        Pending row names no application. Page 1 is read first: it says how many pages there are and which end is
        never-started."""
        if page_budget < 1:
            return None, 0
        first = api.list_imports_page(None, 1)
        pages = {1: first.get("items") or []}
        last = max(first.get("totalPages") or 1, 1)
        # Never-started imports first: forward from page 2 while the run reached the end of the page before.
        # Last: back from the last page while the run began before the page just read.
        forward = _never_started(pages[1][:1])
        rows = pages[1]
        for page in (range(2, last + 1) if forward else range(last, 1, -1)):
            if forward and not _never_started(rows[-1:]):
                break
            if len(pages) >= page_budget:
                return None, len(pages)
            rows = pages[page] = api.list_imports_page(None, page).get("items") or []
            if not rows:
                return None, len(pages)
            if not forward and not _never_started(rows[:1]):
                break
        by_application = {}
        for rows in pages.values():
            for row in rows:
                if status_of(row) != "pending" or row.get("buildStart") is not None:
                    continue
                application_id = str((row.get("application") or {}).get("id") or "").lower()
                if not application_id:
                    return None, len(pages)
                by_application.setdefault(application_id, []).append(row)
        return cls(by_application, len(pages), [row for rows in pages.values() for row in rows]), len(pages)

    def pending_newest_first(self, application_id):
        return _newest_first(self.by_application.get(application_id.lower(), []))

    def add(self, record):
        """An import this batch just staged: Pending, so a later item naming the same application reuses it."""
        application_id = str((record.get("application") or {}).get("id") or "").lower()
        if record.get("id"):
            self.seen_ids.add(record["id"])
        if record.get("id") and application_id and status_of(record) == "pending":
            self.by_application.setdefault(application_id, []).append(record)

    def before(self, application_id):
        """What a failed stage request is settled against: the application's Pending imports as the walk saw them,
        and what the walk knows of the whole list (every never-started import, the newest start)."""
        return PendingBefore(self.by_application.get(application_id.lower(), []), self)

    def known(self):
        """settle.Known of the walk, read once; its ids are the live set, growing with what the batch stages."""
        if self._known is None:
            self._known = Known.from_rows(self.seen_ids, self.rows)
        return self._known


class PendingBefore:
    """An application's imports before a stage request, as far as a PendingIndex knows them: its Pending ones (for
    reuse) and the walk's view of the list (``known``: a later started import is new only if it started after the
    newest start the walk saw)."""

    def __init__(self, rows, index):
        self.rows = list(rows)
        self._index = index

    def known(self):
        return self._index.known()


def _never_started(rows):
    return bool(rows) and rows[0].get("buildStart") is None


def _newest_first(rows):
    return sorted(rows, key=lambda row: row.get("number") or 0, reverse=True)


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
                return StageOutcome(record, False, "reused Pending import #{0}".format(record.get("number")),
                                    reused=True)
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
    return StageOutcome(record, True, "staged import #{0}".format(record.get("number")), warnings=warnings)


def stage_diff(application_id, outcome, record):
    """``--diff`` for one application: no import before, the staged (or predicted) one after; a reused import on
    both sides. ``record`` is the import as the task ends (after a wait, its final record)."""
    subject = (record.get("application") or {}).get("name") or application_id
    return import_diff(subject, record if outcome.reused else None, record)


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
    return StageOutcome(record, True, "check mode: would stage an import for {0}".format(describe(application)),
                        predicted=True)


def _look(api, application_id, before):
    """One look at the application's imports after a failed stage request (settle.settle's ``look``)."""
    def look():
        after = ImportSnapshot(api, application_id)
        new, undecidable, conclusive = compare(before, after.rows, after.known())
        return Look(ours=new, undecidable=undecidable, conclusive=conclusive)
    return look


def _adopted(api, settled):
    record = api.get_import(settled.adopted["id"])
    return StageOutcome(record, True, "staged import #{0} (answer lost: {1}; found it in the list)".format(
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
        raise OperationError(
            "outcome unknown: {0}; looking for the import it may have created failed too ({1}). Check with "
            "sycorr.permission_assist.pa_import_info before re-running.".format(cause.reason, lookup),
            outcome_unknown=True, candidate_import_ids=[])
    candidates = [row["id"] for row in after.rows if status_of(row) in ("pending", "running")]
    raise OperationError(
        "outcome unknown: {0}; the import may or may not have been staged (reuse_pending was false, so there is "
        "no earlier list to compare with). Inspect these active imports of {1} before retrying: {2}".format(
            cause.reason, application_id, ", ".join(candidates) or "none"),
        outcome_unknown=True, candidate_import_ids=candidates)


# Waiting for what was staged

def stage_verdict(verdict):
    """What a wait's Verdict means for a staged import: (failed, text, extra result fields). Only Finished succeeds."""
    record = verdict.record
    if verdict.kind == "finished":
        return False, "import #{0} finished".format(record.get("number")), {}
    extra = {}
    if verdict.kind in ("failed_build", "canceled"):
        extra["log_tail"] = log_tail(record)
    if verdict.kind == "timed_out":
        extra["timed_out"] = True
    text = canceled_elsewhere_text(record) if verdict.kind == "canceled" else verdict.message
    return True, text, extra


def wait_for_staged_import(api, record, params):
    """Wait for one staged import; return its final record, or raise OperationError saying how the wait ended.

    With ``cancel_on_timeout``, an import still active at the deadline is canceled from the record the wait last saw.
    """
    verdict, failed, text, details = wait_for_one(api, record, params, stage_verdict)
    if not failed:
        return verdict.record
    if verdict.kind == "timed_out" and params.get("cancel_on_timeout"):
        details["application_import"], note, dummy = cancel_on_timeout(api, verdict.record, check_mode=False)
        text += "; " + note
    raise OperationError(text, **details)


def wait_for_obtained(api, outcome, params):
    """``wait:`` of pa_import_stage and pa_import_upload: the obtained import's final record; a wait that fails
    still reports the import as obtained (``changed`` as the stage or upload said)."""
    try:
        return wait_for_staged_import(api, outcome.record, params)
    except OperationError as exc:
        exc.details.setdefault("changed", outcome.changed)
        raise


def apply_verdict(result, verdict):
    """A stage result (one application) updated with how the wait for its import ended; pa_import_wait merges its
    verdicts into the results it was given through this too."""
    failed, text, extra = stage_verdict(verdict)
    result.update(extra, status=verdict.record.get("status"), number=verdict.record.get("number"),
                  application_import=verdict.record, wait=verdict.kind, failed=failed)
    result["msg"] = "{0}; {1}".format(result["msg"], text) if result.get("msg") else text

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Staging as the user means it: reuse a Pending import, stage at most once, reconcile a lost answer.

One application (``stage``) or many in one module run (``run_batch``), and the wait for what was staged: both
forms turn the wait's verdicts into their results through ``stage_verdict``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver, describe
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import GUID_PATTERN, guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import cancel_on_timeout
from ansible_collections.sycorr.permission_assist.plugins.module_utils.diffs import import_diff
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, InputError, OperationError, PermissionAssistError, TransportError, is_systemic)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import (
    WAIT_KINDS, canceled_elsewhere_text, log_tail, verdicts, wait_for_imports)


LATE_COMMIT_POLL = 0.5


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
        rows = list(first.get("items") or [])
        last_page = first.get("totalPages") or 1
        if last_page > 1:
            rows.extend(api.list_imports_page(application_id, last_page).get("items") or [])
        self.rows = rows
        self.ids = set(row["id"] for row in rows)

    def pending_newest_first(self):
        return _newest_first([row for row in self.rows if status_of(row) == "pending"])

    def new_rows(self, after):
        """The rows of a later snapshot that this one did not have: what a stage request may have created."""
        return [row for row in after.rows if row["id"] not in self.ids]

    @staticmethod
    def undecidable(after):
        """Rows of a later snapshot that may or may not be new: none, this snapshot saw both ends of the list."""
        return []


class PendingIndex:
    """Every Pending import of every application, from the never-started end of the unfiltered import list.

    The list is buildStart-descending and never-started imports (every Pending one) sort together at one end
    (docs/decisions.md), so the pages from that end up to the first started import name all of them, whatever the
    number of applications. ``walk`` reads them only while that costs fewer requests than reading each
    application's own list would (``page_budget``); None when it cannot settle the batch.
    """

    def __init__(self, by_application, pages):
        self.by_application = by_application
        self.pages = pages

    @classmethod
    def walk(cls, api, page_budget):
        """The index, or None: more than ``page_budget`` pages would be needed, or a Pending row names no
        application. Always reads page 1 first (it says how many pages there are and which end is never-started)."""
        if page_budget < 1:
            return None
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
                return None
            rows = pages[page] = api.list_imports_page(None, page).get("items") or []
            if not forward and not _never_started(rows[:1]):
                break
        by_application = {}
        for rows in pages.values():
            for row in rows:
                if status_of(row) != "pending" or row.get("buildStart") is not None:
                    continue
                application_id = str((row.get("application") or {}).get("id") or "").lower()
                if not application_id:
                    return None
                by_application.setdefault(application_id, []).append(row)
        return cls(by_application, len(pages))

    def pending_newest_first(self, application_id):
        return _newest_first(self.by_application.get(application_id.lower(), []))

    def before(self, application_id):
        """What a lost stage answer is reconciled against: the application's Pending imports as the walk saw them."""
        return PendingBefore(self.by_application.get(application_id.lower(), []))


class PendingBefore:
    """An application's imports before a stage request, as far as a PendingIndex knows them: its Pending ones.

    Its started imports were not read, so only a new Pending import can be told apart as the one the request
    created; a Running one of the application is a candidate, never adopted.
    """

    def __init__(self, rows):
        self.rows = rows
        self.ids = set(row["id"] for row in rows)

    def new_rows(self, after):
        return [row for row in after.rows if row["id"] not in self.ids and status_of(row) == "pending"]

    def undecidable(self, after):
        """Running imports of the application: one may be the import the request created, already started."""
        return [row for row in after.rows if row["id"] not in self.ids and status_of(row) == "running"]


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
    new = before.new_rows(after)
    deadline = time.monotonic() + api.client.timeout
    while not new and cause.late_commit_possible and time.monotonic() < deadline:
        # The server may still be working on the request that timed out: give it one more request timeout.
        time.sleep(LATE_COMMIT_POLL)
        after = ImportSnapshot(api, application_id)
        new = before.new_rows(after)
    if len(new) == 1:
        record = api.get_import(new[0]["id"])
        return StageOutcome(record, True, "staged import #{0} (answer lost: {1}; found it in the list)".format(
            record.get("number"), cause.reason), warnings=[
            "the stage answer was lost ({0}); adopted import {1}, the only new import of the application".format(
                cause.reason, record["id"])])
    undecidable = [row["id"] for row in before.undecidable(after)] if not new else []
    if undecidable:
        raise OperationError(
            "outcome unknown: {0}; no new Pending import of {1} appeared, but the import it may have created may "
            "already have started: the batch read only the never-started end of the import list, so these Running "
            "imports of it cannot be told apart from it: {2}. Check with sycorr.permission_assist.pa_import_info "
            "before re-running.".format(cause.reason, application_id, ", ".join(undecidable)),
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
    run = wait_for_imports(api, {record["id"]: record}, params["wait_timeout"], params["poll_interval"])
    verdict = verdicts(run)[record["id"]]
    failed, text, details = stage_verdict(verdict)
    if not failed:
        return verdict.record
    details["application_import"] = verdict.record
    if verdict.kind == "wait_error" and run.error is not None:
        error_details = run.error.fail_kwargs()
        error_details.pop("msg")
        details = dict(error_details, **details)
    if verdict.kind == "timed_out" and params.get("cancel_on_timeout"):
        details["application_import"], note, dummy = cancel_on_timeout(api, verdict.record, check_mode=False)
        text += "; " + note
    raise OperationError(text, **details)


def wait_for_results(api, results, timeout, poll_interval, **kwargs):
    """Wait for the imports of the batch items that staged one; update those items in place, return the wait stats.

    Items that failed to stage are not waited on. Several items may name one import (a reused Pending one).
    """
    records = {}
    for result in results:
        if not result["failed"] and result["import_id"]:
            records[result["import_id"]] = result["application_import"]
    run = wait_for_imports(api, records, timeout, poll_interval, **kwargs)
    judged = verdicts(run)
    for result in results:
        if not result["failed"] and result["import_id"]:
            apply_verdict(result, judged[result["import_id"]])
    return run.stats()


def apply_verdict(result, verdict):
    """A stage result (one application) updated with how the wait for its import ended; pa_import_wait merges its
    verdicts into the results it was given through this too."""
    failed, text, extra = stage_verdict(verdict)
    result.update(extra, status=verdict.record.get("status"), number=verdict.record.get("number"),
                  application_import=verdict.record, wait=verdict.kind, failed=failed)
    result["msg"] = "{0}; {1}".format(result["msg"], text) if result.get("msg") else text


def wait_counts(results):
    counts = dict((kind, 0) for kind in WAIT_KINDS)
    for result in results:
        if result.get("wait"):
            counts[result["wait"]] += 1
    return counts


# Many applications in one module run

ITEM_KEYS = ("id", "name", "reuse_pending")
SHORT_REASON_LENGTH = 60


class BatchItem:
    def __init__(self, position, application_id, application_name, reuse_pending, name_field=None):
        self.position = position
        self.application_id = application_id
        self.application_name = application_name
        self.reuse_pending = reuse_pending
        self.name_field = name_field  # what an error about the name is about: applications[N] or applications[N].name

    def describe(self):
        """``applications[3] (HR Portal)``: where the item is in the input, and what it names."""
        return "applications[{0}] ({1})".format(self.position, self.application_name or self.application_id)


class BatchRun:
    """The results of stage_many, in input order, and the systemic error that stopped the batch (or None)."""

    def __init__(self):
        self.reuse_lookup = None  # how reuse_pending was settled (look_up_pending), once an item asked for it
        self.pending_index = None
        self.results = []
        self.stopped_at = None  # the item that met the systemic error, and its index
        self.stopped_at_index = None
        self.stopped_by = None  # that error


def parse_items(values, default_reuse):
    """Check every item before any request: a string (a GUID is an id, any other text a name), or a dict with id or
    name and options."""
    items = []
    for position, value in enumerate(values):
        field = "applications[{0}]".format(position)
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(ITEM_KEYS))
            if unknown:
                raise InputError(field, "unknown key(s) {0}; allowed: {1}".format(", ".join(unknown), ", ".join(ITEM_KEYS)))
            if ("id" in value) == ("name" in value):
                raise InputError(field, "needs exactly one of id and name")
            reuse = value.get("reuse_pending", default_reuse)
            if not isinstance(reuse, bool):
                raise InputError(field + ".reuse_pending", "must be a boolean")
            if "id" in value:
                items.append(BatchItem(position, guid(field + ".id", value["id"]), None, reuse))
            else:
                name = value["name"]
                if not isinstance(name, str) or not name.strip():
                    raise InputError(field + ".name", "must be a non-empty string")
                items.append(BatchItem(position, None, name, reuse, field + ".name"))
        elif isinstance(value, str):
            text = value.strip()
            if not text:
                raise InputError(field, "must not be empty (an application GUID or name)")
            if GUID_PATTERN.match(text):
                items.append(BatchItem(position, text.lower(), None, default_reuse))
            else:
                items.append(BatchItem(position, None, text, default_reuse, field))
        else:
            raise InputError(field, "must be an application GUID or name, or a dict with id or name")
    return items


def look_up_pending(api, reusing):
    """How the batch learns each application's Pending imports, chosen by counting requests: (the lookup as the module
    reports it, a PendingIndex or None).

    Reading each application's own list costs at least one request per application that reuses (``reusing``), two
    when its history spans pages. The walk of the unfiltered list's never-started end is tried when it may cost at
    most half that (``reusing // 2`` pages); past that many pages (very many Pending imports of other applications),
    or when the list cannot settle it, each application's own list is read. A systemic error (401/403, nothing
    reached the server) is raised: every application would meet it.
    """
    budget = reusing // 2
    if budget < 1:
        return {"method": "per_application", "list_pages": 0,
                "reason": "{0} application(s) reuse: reading each one's list is as cheap".format(reusing)}, None
    try:
        index = PendingIndex.walk(api, budget)
    except PermissionAssistError as exc:
        if is_systemic(exc):
            raise
        return {"method": "per_application", "list_pages": 0,
                "reason": "reading the import list failed ({0}): each application's list is read".format(exc)}, None
    if index is None:
        return {"method": "per_application", "list_pages": budget,
                "reason": "the never-started end of the import list did not end within {0} page(s) (or named no "
                          "application): each application's list is read".format(budget)}, None
    return {"method": "import_list", "list_pages": index.pages,
            "reason": "{0} page(s) of the import list named every Pending import, for {1} application(s) that "
                      "reuse".format(index.pages, reusing)}, index


def stage_many(api, items, check_mode):
    """Stage each item. An item's own failure (400, 422, 409, an unknown name) is recorded and never stops the
    others; a systemic one (errors.is_systemic: 401/403, nothing reached the server) stops the batch at once, and
    the items after it are recorded as not attempted."""
    resolver = ApplicationResolver(api)
    run = BatchRun()
    reusing = len([item for item in items if item.reuse_pending])
    for index, item in enumerate(items):
        result = _new_result(item)
        run.results.append(result)
        try:
            application = None
            if item.application_name is not None:
                application = resolver.by_name(item.application_name, item.name_field)
                result["application_id"] = application["id"]
            if item.reuse_pending and run.reuse_lookup is None:
                run.reuse_lookup, run.pending_index = look_up_pending(api, reusing)
            outcome = stage(api, result["application_id"], item.reuse_pending, check_mode, application,
                            run.pending_index)
        except PermissionAssistError as exc:
            result.update(failed=True, msg=str(exc))
            if is_systemic(exc):
                run.stopped_at, run.stopped_at_index, run.stopped_by = item, index, exc
                for later in items[index + 1:]:
                    skipped = _new_result(later)
                    skipped.update(failed=True, attempted=False, msg="not attempted: " + short_reason(exc))
                    run.results.append(skipped)
                break
            continue
        record = outcome.record
        result.update(import_id=record.get("id"), number=record.get("number"), status=record.get("status"),
                      changed=outcome.changed, msg="; ".join([outcome.msg] + outcome.warnings), application_import=record,
                      application_name=(record.get("application") or {}).get("name") or item.application_name)
    return run


def _new_result(item):
    return {"application_id": item.application_id, "application_name": item.application_name, "import_id": None,
            "number": None, "status": None, "changed": False, "failed": False, "attempted": True, "msg": "",
            "application_import": None}


def short_reason(error):
    """A systemic error in a few words: ``HTTP 401 unauthorized``, ``connection refused``, ``TLS error``."""
    if isinstance(error, ApiError):
        return " ".join(str(part) for part in ("HTTP", error.status, error.error) if part)
    if isinstance(error, TransportError):
        reason = error.reason
        if reason.startswith("TLS error"):
            return "TLS error"
        if reason.startswith("cannot connect to "):
            cause = reason.rsplit(": ", 1)[-1]
            return cause[:1].lower() + cause[1:] if len(cause) <= SHORT_REASON_LENGTH else "cannot connect"
        return reason[:SHORT_REASON_LENGTH]
    return str(error)[:SHORT_REASON_LENGTH]


def summarize(results, check_mode=False):
    """``staged`` and ``reused`` count imports obtained, even when the wait for one then failed the item.

    In check mode nothing is staged: ``staged`` is 0 and ``would_stage`` counts the imports a real run would stage.
    """
    obtained = [result for result in results if not result["failed"] or "wait" in result]
    new = len([result for result in obtained if result["changed"]])
    summary = {
        "requested": len(results),
        "staged": 0 if check_mode else new,
        "reused": len([result for result in obtained if not result["changed"]]),
        "failed": len([result for result in results if result["failed"]]),
        "not_attempted": len([result for result in results if not result["attempted"]]),
    }
    if check_mode:
        summary["would_stage"] = new
    return summary


def tally(summary):
    """``staged 2, reused 1 of 3``, ``would stage 2, reuse 1 of 3`` in check mode, then the wait's counts if any:
    ``; finished 2, failed build 1, canceled 0, timed out 0`` (and ``, wait error N`` when N is not 0)."""
    if "would_stage" in summary:
        text = "would stage {would_stage}, reuse {reused} of {requested}".format(**summary)
    else:
        text = "staged {staged}, reused {reused} of {requested}".format(**summary)
    if "finished" in summary:
        text += "; finished {finished}, failed build {failed_build}, canceled {canceled}, timed out {timed_out}".format(
            **summary)
        if summary["wait_error"]:
            text += ", wait error {wait_error}".format(**summary)
    return text


def run_batch(api, params, check_mode, diff=False):
    """The ``applications`` form of pa_import_stage: stage each item, wait for all when asked; the module's result,
    or an OperationError carrying it when an application failed."""
    if params["cancel_on_timeout"]:
        raise InputError("cancel_on_timeout", "cannot be combined with applications; to roll back, pass "
                         "application_results to the sycorr.permission_assist.cancel_imports role")
    run = stage_many(api, parse_items(params["applications"], params["reuse_pending"]), check_mode)
    results = run.results
    waiting = params["wait"] and not check_mode and run.stopped_by is None
    extra = {"reuse_lookup": run.reuse_lookup or {"method": "none", "list_pages": 0,
                                                  "reason": "no application reuses a Pending import"}}
    if waiting:
        extra["wait_stats"] = wait_for_results(api, results, params["wait_timeout"], params["poll_interval"])
    summary = summarize(results, check_mode)
    if waiting:
        summary.update(wait_counts(results))
    changed = any(result["changed"] for result in results)
    if diff:
        extra["diff"] = [import_diff(result["application_name"] or result["application_id"], None,
                                     result["application_import"]) for result in results if result["changed"]]
    if run.stopped_by is not None:
        raise OperationError(_stopped_text(run, summary), changed=changed, application_results=results,
                             summary=summary, **extra)
    if params["wait"] and check_mode:
        note = "; check mode: not waiting (nothing was staged)"
    else:
        note = "" if waiting or not check_mode else " (check mode: nothing was staged)"
    if summary["failed"]:
        failures = [_failure(result) for result in results if result["failed"]]
        raise OperationError("{0}; {1} of {2} application(s) failed: {3}{4}".format(
            tally(summary), summary["failed"], summary["requested"], " | ".join(failures), note), changed=changed,
            application_results=results, summary=summary, **extra)
    return dict(changed=changed, msg=tally(summary) + note, application_results=results, summary=summary, **extra)


def _failure(result):
    return "{0}: {1}".format(result["application_name"] or result["application_id"], result["msg"])


def _stopped_text(run, summary):
    """The systemic error once, where it stopped the batch, and what happened before it."""
    text = "{0}; the batch stopped at {1}: {2} of {3} application(s) not attempted; {4}".format(
        run.stopped_by, run.stopped_at.describe(), summary["not_attempted"], summary["requested"], tally(summary))
    earlier = [_failure(result) for result in run.results[:run.stopped_at_index] if result["failed"]]
    if earlier:
        text += "; failed before it: " + " | ".join(earlier)
    return text

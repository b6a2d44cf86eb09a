# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``applications`` form of pa_import_stage (and the stage_imports role): many applications in one module run.

One session, one result per application in input order; Pending imports learned for the whole batch
(``look_up_pending``); an item with ``files`` uploads them instead of staging; then one wait for every import.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import GUID_PATTERN, guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.diffs import import_diff
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, InputError, OperationError, PermissionAssistError, TransportError, is_systemic)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.report import (
    stage_failures, stage_line, stage_message, stage_summary, stage_tally, stage_wait_line, wait_counts)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage import PendingIndex, apply_verdict, stage
from ansible_collections.sycorr.permission_assist.plugins.module_utils.uploading import check_files, upload
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import verdicts, wait_for_imports

ITEM_KEYS = ("id", "name", "reuse_pending", "files")
APPLICATION_KIND = "Application"
SHORT_REASON_LENGTH = 60


class BatchItem:
    def __init__(self, position, application_id, application_name, reuse_pending, name_field=None, files=None):
        self.position = position
        self.files = files  # checked uploading.UploadFile entries: this item uploads them instead of staging
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
    name and options; a dict's ``files`` (file group -> path) are checked on this host too."""
    items = []
    for position, value in enumerate(values):
        field = "applications[{0}]".format(position)
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(ITEM_KEYS))
            record_name = None
            if value.get("kind") == APPLICATION_KIND and "id" in value:
                # An application record as the API (and the applications lookup) returns it: staged by its id, its
                # name only shown; its other keys are ignored.
                record_name = value.get("name") if isinstance(value.get("name"), str) else None
                value = dict((key, value[key]) for key in ITEM_KEYS if key in value and key != "name")
            elif unknown:
                raise InputError(field, "unknown key(s) {0}; allowed: {1}".format(", ".join(unknown), ", ".join(ITEM_KEYS)))
            if ("id" in value) == ("name" in value):
                raise InputError(field, "needs exactly one of id and name")
            reuse = value.get("reuse_pending", default_reuse)
            if not isinstance(reuse, bool):
                raise InputError(field + ".reuse_pending", "must be a boolean")
            files = check_files(value["files"], field + ".files") if "files" in value else None
            if "id" in value:
                items.append(BatchItem(position, guid(field + ".id", value["id"]), record_name, reuse, files=files))
            else:
                name = value["name"]
                if not isinstance(name, str) or not name.strip():
                    raise InputError(field + ".name", "must be a non-empty string")
                items.append(BatchItem(position, None, name, reuse, field + ".name", files))
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
        index, pages = PendingIndex.walk(api, budget)
    except PermissionAssistError as exc:
        if is_systemic(exc):
            raise
        return {"method": "per_application", "list_pages": 0,
                "reason": "reading the import list failed ({0}): each application's list is read".format(exc)}, None
    if index is None:
        return {"method": "per_application", "list_pages": pages,
                "reason": "the never-started end of the import list did not settle every application within {0} "
                          "page(s) (longer, shrinking while read, or a row without its application): each "
                          "application's list is read".format(budget)}, None
    return {"method": "import_list", "list_pages": index.pages,
            "reason": "{0} page(s) of the import list named every Pending import, for {1} application(s) that "
                      "reuse".format(index.pages, reusing)}, index


def stage_many(api, items, check_mode):
    """Stage each item (an item with ``files`` uploads them instead). An item's own failure (400, 422, 409, an
    unknown name, a file group its application's connector does not have) is recorded and never stops the others; a
    systemic one (errors.is_systemic: 401/403, nothing reached the server) stops the batch at once, and the items
    after it are recorded as not attempted."""
    resolver = ApplicationResolver(api)
    run = BatchRun()
    reusing = len([item for item in items if item.reuse_pending and item.files is None])
    for index, item in enumerate(items):
        result = _new_result(item)
        run.results.append(result)
        try:
            application = None
            if item.application_id is None:
                application = resolver.by_name(item.application_name, item.name_field)
                result["application_id"] = application["id"]
            if item.files is not None:
                try:
                    outcome = upload(api, result["application_id"], item.files, not item.reuse_pending, check_mode,
                                     field="applications[{0}].files".format(item.position))
                finally:  # failed or not, the entry says which files (with the groups resolved so far)
                    result["uploaded_files"] = [upload_file.result() for upload_file in item.files]
            else:
                if item.reuse_pending and run.reuse_lookup is None:
                    run.reuse_lookup, run.pending_index = look_up_pending(api, reusing)
                outcome = stage(api, result["application_id"], item.reuse_pending, check_mode, application,
                                run.pending_index)
                if run.pending_index is not None and outcome.changed and not outcome.predicted:
                    run.pending_index.add(outcome.record)
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


def run_batch(api, params, check_mode, diff=False):
    """The ``applications`` form of pa_import_stage: stage each item, wait for all when asked; the module's result,
    or an OperationError carrying it when an application failed."""
    if params["cancel_on_timeout"]:
        raise InputError("cancel_on_timeout", "cannot be combined with applications; wait with "
                         "sycorr.permission_assist.pa_import_wait (results: application_results, cancel_on_timeout: "
                         "true), as the stage_imports role does with stage_imports_cancel_on_timeout")
    run = stage_many(api, parse_items(params["applications"], params["reuse_pending"]), check_mode)
    results = run.results
    waiting = params["wait"] and not check_mode and run.stopped_by is None
    extra = {"reuse_lookup": run.reuse_lookup or {"method": "none", "list_pages": 0,
                                                  "reason": "no application reuses a Pending import"}}
    if waiting:
        extra["wait_stats"] = wait_for_results(api, results, params["wait_timeout"], params["poll_interval"])
    summary = stage_summary(results, check_mode)
    if waiting:
        summary.update(wait_counts(results))
    extra["lines"] = [stage_wait_line(result) if waiting else stage_line(result, check_mode) for result in results]
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
    msg = stage_message(summary, results, note)
    if summary["failed"]:
        raise OperationError(msg, changed=changed, application_results=results, summary=summary, **extra)
    return dict(changed=changed, msg=msg, application_results=results, summary=summary, **extra)


def _stopped_text(run, summary):
    """The systemic error once, where it stopped the batch, and what happened before it."""
    text = "{0}; the batch stopped at {1}: {2} of {3} application(s) not attempted; {4}".format(
        run.stopped_by, run.stopped_at.describe(), summary["not_attempted"], summary["requested"], stage_tally(summary))
    earlier = stage_failures(run.results[:run.stopped_at_index])
    if earlier:
        text += "; failed before it: " + earlier
    return text


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

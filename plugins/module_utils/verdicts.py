# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a wait ended, and what that means for the task that waited: the one place for both.

``verdicts`` turns where a wait stopped (wait.WaitRun) into one Verdict per import. What a Verdict means depends on
what the task expected of the import (``expect``): a stage or an upload expects it to finish, a cancel expects it
Canceled, pa_import_wait expects what its ``expect`` option says (``ended``: any end will do). OUTCOMES is that
table, ``judge`` reads it; ``apply_verdict`` is the one way a task result takes a Verdict in (a batch's results,
and the results pa_import_wait is given); ``wait_for_one`` waits for one import and fails the task the way the
table says.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from collections import OrderedDict, namedtuple

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import wait_for_imports

LOG_TAIL_LINES = 20
# Lines that close a build log whatever went wrong ("Import failed.", "Build aborted", "Done."): they say that it
# failed, not why, so a more specific line before them is the cause.
GENERIC_LOG_LINE = re.compile(
    r"^[\s*#=>-]*(?:(?:the\s+)?(?:import|build|job|task)(?:\s+(?:has|was))?\s+(?:failed|stopped|aborted|ended|"
    r"terminated|canceled|cancelled|finished|completed|started|starting)(?:\s+with\s+errors?)?|failed|failure|error|errors|done|"
    r"aborted|stopped)[\s.!:*#=<-]*$", re.IGNORECASE)
LABEL_PREFIX = re.compile(r"^\s*(?:error|fatal|failure|failed)\s*:\s*", re.IGNORECASE)

# How the wait for one import ended: it ended Finished, Failed or Canceled; the deadline passed first; or a read
# failed (the server stopped answering, or no longer knows the import).
WAIT_KINDS = ("finished", "failed_build", "canceled", "timed_out", "wait_error")
ENDED_KINDS = {"finished": "finished", "failed": "failed_build", "canceled": "canceled"}
ENDED_BADLY = ("failed_build", "canceled")  # the kinds whose result carries the end of the build log

# The wording of a Verdict for what was expected: its own message, or one that says why the end was not expected.
AS_SAID = "as said"
OVERTAKEN = "overtaken"  # the task had canceled it, but its build completed first (contract 6.2)
CANCELED_ELSEWHERE = "canceled elsewhere"  # the task expected it to finish
# expect -> wait kind -> (the task succeeds, the wording of the Verdict's message).
OUTCOMES = {
    "finished": {"finished": (True, AS_SAID), "failed_build": (False, AS_SAID), "canceled": (False, CANCELED_ELSEWHERE),
                 "timed_out": (False, AS_SAID), "wait_error": (False, AS_SAID)},
    "canceled": {"finished": (False, OVERTAKEN), "failed_build": (False, OVERTAKEN), "canceled": (True, AS_SAID),
                 "timed_out": (False, AS_SAID), "wait_error": (False, AS_SAID)},
    "ended": {"finished": (True, AS_SAID), "failed_build": (True, AS_SAID), "canceled": (True, AS_SAID),
              "timed_out": (False, AS_SAID), "wait_error": (False, AS_SAID)},
}
# What the task that staged or canceled the import adds to its own message when the wait ended as expected
# (``staged import #7; import #7 finished``); with ``ended``, the Verdict's message.
DONE_TEXT = {"finished": "import #{number} finished", "canceled": "it is Canceled"}


class Verdict(namedtuple("Verdict", ["kind", "record", "message"])):
    """How the wait for one import ended: ``kind`` (one of WAIT_KINDS), its last ``record``, and a ``message``
    saying so (``import #7 (...) of HR Portal finished``, ``timed out after 60s waiting for ...``)."""

    __slots__ = ()


def verdicts(run):
    """One Verdict per import of ``run`` (a wait.WaitRun), in the order the wait was given them."""
    return OrderedDict((import_id, verdict_of(run, import_id)) for import_id in run.records)


def verdict_of(run, import_id):
    record = run.records[import_id]
    if import_id in run.gone:
        return Verdict("wait_error", record, gone_text(record, run.gone[import_id]))
    if import_id in run.outstanding:
        if run.timed_out:
            return Verdict("timed_out", record, timed_out_text(record, run.waited))
        return Verdict("wait_error", record, stopped_text(run.error, record, run.waited))
    kind = ENDED_KINDS[status_of(record)]
    if kind == "failed_build":
        return Verdict(kind, record, failed_build_text(record))
    return Verdict(kind, record, "{0} {1}".format(label(record), "finished" if kind == "finished" else "is Canceled"))


# What a Verdict means (OUTCOMES)

def judge(verdict, expect):
    """(whether the import ended as ``expect`` says, the Verdict's message worded for it): with ``canceled``, Finished
    or Failed is a cancel its build overtook; with ``finished``, Canceled is a cancel by someone else."""
    succeeded, wording = OUTCOMES[expect][verdict.kind]
    if wording == OVERTAKEN:
        return succeeded, overtaken_text(verdict.record)
    if wording == CANCELED_ELSEWHERE:
        return succeeded, canceled_elsewhere_text(verdict.record)
    return succeeded, verdict.message


def apply_verdict(result, verdict, expect):
    """A task's result for one import updated with how the wait for it ended, as the task that made it says it.

    A stage or upload result (``finished``; ``ended`` for pa_import_wait's) takes the final record, its status and
    number, ``wait`` (the kind) and ``failed``; the end of the log when it ended Failed or Canceled; and the text
    after its own message. A cancel result (``canceled``) takes its status and ``timed_out``; when the cancel did not
    take, the text replaces what the cancel said.
    """
    record = verdict.record
    ok, text = judge(verdict, expect)
    if ok and expect in DONE_TEXT:
        text = DONE_TEXT[expect].format(number=record.get("number"))
    result["status"] = record.get("status")
    if expect == "canceled":
        result["timed_out"] = verdict.kind == "timed_out"
        if not ok:
            result.update(failed=True, msg=text)
            return
    else:
        result.update(number=record.get("number"), application_import=record, wait=verdict.kind, failed=not ok)
        if verdict.kind in ENDED_BADLY:
            result["log_tail"] = log_tail(record)
        if expect == "ended" or verdict.kind == "timed_out":  # a stage result has timed_out only when it did
            result["timed_out"] = verdict.kind == "timed_out"
    result["msg"] = "{0}; {1}".format(result["msg"], text) if result.get("msg") else text


def wait_for_one(api, record, params, expect, on_timeout=None):
    """Wait for one import (``wait_timeout``, ``poll_interval`` of ``params``); return its final record when it ended
    as ``expect`` says, else raise OperationError saying how it ended, with the final record as
    ``application_import``, the end of its log when it ended otherwise, ``timed_out``, and the fields of the error
    when a read ended the wait. ``on_timeout(record)`` -> (record, note, sent) runs when the deadline passed first
    (cancel.cancel_on_timeout): the record it returns is reported, the note added to the message."""
    run = wait_for_imports(api, {record["id"]: record}, params["wait_timeout"], params["poll_interval"])
    verdict = verdicts(run)[record["id"]]
    ok, text = judge(verdict, expect)
    if ok:
        return verdict.record
    details = {}
    if verdict.kind not in ("timed_out", "wait_error"):
        details["log_tail"] = log_tail(verdict.record)
    if verdict.kind == "timed_out":
        details["timed_out"] = True
    details["application_import"] = verdict.record
    if verdict.kind == "wait_error":
        details = dict(error_details(run, record["id"]), **details)
    if verdict.kind == "timed_out" and on_timeout is not None:
        details["application_import"], note, dummy = on_timeout(verdict.record)
        text += "; " + note
    raise OperationError(text, **details)


def error_details(run, import_id):
    """The result fields of the error that ended the wait for ``import_id`` (status, error, correlation_id, ...),
    when a failed read did: the 404 that says it is gone, or the read that stopped the wait."""
    error = run.gone.get(import_id) or (run.error if import_id in run.outstanding and not run.timed_out else None)
    if error is None:
        return {}
    details = error.fail_kwargs()
    details.pop("msg", None)
    return details


# The texts

def log_tail(record, lines=LOG_TAIL_LINES):
    log = record.get("log") or ""
    return log.splitlines()[-lines:]


def failure_cause(record):
    """Why a build failed, from its log: the last line that is neither blank nor a generic closing line.

    ``Error: the user extract has 0 rows; import stopped.`` gives ``the user extract has 0 rows; import stopped.``
    (a leading ``Error:`` label is dropped: the message around it already says the import failed). When every line
    is generic, the last one; None without a log.
    """
    lines = [line.strip() for line in (record.get("log") or "").splitlines() if line.strip()]
    if not lines:
        return None
    specific = [line for line in lines if not GENERIC_LOG_LINE.match(line)]
    cause = (specific or lines)[-1]
    return LABEL_PREFIX.sub("", cause) or cause


def failed_build_text(record):
    """``import #165 (...) of Data Warehouse failed: the user extract has 0 rows; import stopped.``"""
    cause = failure_cause(record)
    return "{0} failed: {1}".format(label(record), cause) if cause else "{0} failed".format(label(record))


def timed_out_text(record, waited):
    return "timed out after {0:.0f}s waiting for {1}, {2}".format(waited, label(record), _last_seen(record))


def stopped_text(error, record, waited):
    """A read failed mid-wait: the error, and where the wait stopped."""
    return "{0}; the wait for {1} stopped after {2:.0f}s, {3}".format(error, label(record), waited, _last_seen(record))


def canceled_elsewhere_text(record):
    """A Canceled verdict where the task expected the import to finish."""
    return "{0} was canceled before it finished (by someone else, or in the Permission Assist user interface)".format(
        label(record))


def overtaken_text(record):
    """A Finished or Failed verdict where the task had canceled the import: its build completed first (6.2)."""
    return "{0} {1} before the cancel took effect: its build completed first, so it is {2}, not Canceled".format(
        label(record), "failed" if status_of(record) == "failed" else "finished", record.get("status"))


def gone_text(record, error):
    if record.get("number") is None:
        return "no import with id {0} was found: {1}".format(record.get("id"), error)
    return "{0} disappeared while waiting: {1}".format(label(record), error)


def label(record):
    """``import #7 (<id>) of HR Portal``; ``import <id>`` for an import known only by its id (never read)."""
    if record.get("number") is None:
        return "import {0}".format(record.get("id"))
    application = (record.get("application") or {}).get("name")
    text = "import #{0} ({1})".format(record.get("number"), record.get("id"))
    return "{0} of {1}".format(text, application) if application else text


def _last_seen(record):
    return "last seen {0}".format(record.get("status")) if record.get("status") else "never read"

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a batch result says to a person: one line per item, the counts over the batch, and the task's message.

Pure functions of the result entries (dicts) that pa_import_stage, pa_import_cancel and pa_import_wait return, so the
roles and playbooks only print them. Two kinds of entries: a stage result is about an application
(``HR Portal: import #112 Pending, staged``), a cancel or wait result about an import
(``import #112 of HR Portal: Canceling, canceled``). No requests, and no operation imported.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import WAIT_KINDS


def subject(result):
    """What a stage result is about: the application's name, else its id, else ``?``."""
    return result.get("application_name") or result.get("application_id") or "?"


def _import_subject(result):
    """``import #112 of HR Portal``, else ``import <GUID>`` (an import not read), else the application."""
    if result.get("number") is not None:
        return "import #{0} of {1}".format(result["number"], subject(result))
    if result.get("import_id"):
        return "import {0}".format(result.get("import_id"))
    return subject(result)


def _not_attempted(result):
    return result.get("attempted") is False


# Stage results: one application each

def stage_line(result, check_mode=False):
    """What was done for one application: ``HR Portal: import #112 Pending, staged``, ``reused``, ``uploaded``,
    ``would stage`` (check mode), ``, failed: why`` when its wait failed it; ``failed: why`` without an import,
    ``not attempted`` after a failure that stopped the batch."""
    head = subject(result) + ":"
    if _not_attempted(result):
        return head + " not attempted"
    if result.get("failed") and not result.get("import_id"):
        return "{0} failed: {1}".format(head, result.get("msg"))
    if result.get("number") is not None:
        head += " import #{0} {1},".format(result["number"], result.get("status"))
    upload = "uploaded_files" in result
    if not result.get("changed"):
        text = head + " reused"
    elif check_mode:
        text = head + (" would upload" if upload else " would stage")
    else:
        text = head + (" uploaded" if upload else " staged")
    return text + (", failed: " + result.get("msg") if result.get("failed") else "")


def stage_wait_line(result, messages=None):
    """How the wait for one application's import ended: ``HR Portal: import #112 Finished``, or
    ``..., failed: why``; ``messages`` (import id -> the wait's own message for that import) says why in place of
    the result's whole ``msg``, which also repeats what the stage did."""
    head = subject(result) + ":"
    if _not_attempted(result):
        return head + " not attempted"
    if "wait" not in result:
        return "{0} failed: {1}".format(head, result.get("msg")) if result.get("failed") else head + " not waited for"
    text = "{0} import #{1} {2}".format(head, result.get("number"), result.get("status"))
    if result.get("failed"):
        text += ", failed: " + (messages or {}).get(str(result.get("import_id") or "").lower(), result.get("msg"))
    return text


def stage_summary(results, check_mode=False):
    """``staged`` and ``reused`` count imports obtained, even when the wait for one then failed the item.

    In check mode nothing is staged: ``staged`` is 0 and ``would_stage`` counts the imports a real run would stage.
    """
    obtained = [result for result in results if not result.get("failed") or "wait" in result]
    new = len([result for result in obtained if result.get("changed")])
    summary = {
        "requested": len(results),
        "staged": 0 if check_mode else new,
        "reused": len([result for result in obtained if not result.get("changed")]),
        "failed": len([result for result in results if result.get("failed")]),
        "not_attempted": len([result for result in results if _not_attempted(result)]),
    }
    if check_mode:
        summary["would_stage"] = new
    return summary


def wait_counts(results):
    """How many results' waits ended each way (``wait``), over every kind of ending."""
    counts = dict((kind, 0) for kind in WAIT_KINDS)
    for result in results:
        if result.get("wait"):
            counts[result["wait"]] += 1
    return counts


def stage_tally(summary):
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


def stage_failures(results):
    """``HR Portal: why | Card Issuing: why``, for each failed result."""
    return " | ".join("{0}: {1}".format(subject(result), result.get("msg")) for result in results if result.get("failed"))


def stage_message(summary, results, note=""):
    """The task's message: the tally, then each failed application (``; 1 of 3 application(s) failed: ...``)."""
    if not summary["failed"]:
        return stage_tally(summary) + note
    return "{0}; {1} of {2} application(s) failed: {3}{4}".format(
        stage_tally(summary), summary["failed"], summary["requested"], stage_failures(results), note)


# Cancel results: one import each

def cancel_line(result, check_mode=False):
    """What was done for one import: ``import #112 of HR Portal: Canceling, canceled``, ``unchanged``,
    ``would cancel`` (check mode), ``, failed: why``; ``failed: why`` when it could not be read, ``not attempted``
    after a failure that stopped the batch."""
    head = _import_subject(result) + ":"
    if _not_attempted(result):
        return head + " not attempted"
    if result.get("failed") and result.get("status") is None:
        return "{0} failed: {1}".format(head, result.get("msg"))
    if not result.get("changed"):
        done = "unchanged"
    else:
        done = "would cancel" if check_mode else "canceled"
    text = "{0} {1}, {2}".format(head, result.get("status"), done)
    return text + (", failed: " + result.get("msg") if result.get("failed") else "")


def import_wait_line(result):
    """The status one import's wait ended on: ``import #112 of HR Portal: Canceled``, or ``..., failed: why``."""
    head = _import_subject(result) + ":"
    if _not_attempted(result):
        return head + " not attempted"
    if result.get("failed") and result.get("status") is None:
        return "{0} failed: {1}".format(head, result.get("msg"))
    return "{0} {1}".format(head, result.get("status")) + (", failed: " + result.get("msg") if result.get("failed") else "")


def cancel_summary(results, wait_counts=None, check_mode=False):
    """``failed`` counts every result with ``failed: true``; ``not_attempted``, those of them a stop left unread.

    ``canceled`` counts the cancels sent: none in check mode, where ``would_cancel`` counts those a real run would send.
    """
    changed = len([r for r in results if r.get("changed")])
    summary = {"requested": len(results), "canceled": 0 if check_mode else changed,
               "unchanged": len([r for r in results if not r.get("changed") and not r.get("failed")]),
               "failed": len([r for r in results if r.get("failed")]),
               "not_attempted": len([r for r in results if _not_attempted(r)])}
    if check_mode:
        summary["would_cancel"] = changed
    summary.update(wait_counts or {})
    return summary


def cancel_wait_counts(kinds):
    """What the waits for canceled imports ended on (``kinds``, one WAIT_KINDS value per import): Canceled
    (``confirmed_canceled``), Finished or Failed (``overtaken``: the build completed first), ``timed_out``."""
    counts = {"confirmed_canceled": 0, "overtaken": 0, "timed_out": 0}
    for kind in kinds:
        if kind == "canceled":
            counts["confirmed_canceled"] += 1
        elif kind in ("finished", "failed_build"):
            counts["overtaken"] += 1
        elif kind == "timed_out":
            counts["timed_out"] += 1
    return counts


def cancel_tally(summary):
    """``canceled 2, unchanged 1 of 3``, ``would cancel 2, unchanged 1 of 3 (check mode: nothing was canceled)``,
    then ``; 2 confirmed Canceled`` after a wait."""
    if "would_cancel" in summary:
        text = "would cancel {would_cancel}, unchanged {unchanged} of {requested} (check mode: nothing was canceled)"
    else:
        text = "canceled {canceled}, unchanged {unchanged} of {requested}"
    text = text.format(**summary)
    if "confirmed_canceled" in summary:
        text += "; {0} confirmed Canceled".format(summary["confirmed_canceled"])
    return text


def cancel_failures(results):
    """``5e8f...: why | 6f1c...: why``, for each failed result."""
    return " | ".join("{0}: {1}".format(result.get("import_id"), result.get("msg")) for result in results if result.get("failed"))


def cancel_message(summary, results):
    """The message of a wait for canceled imports: the tally, or each failed import (``1 of 3 import(s) failed: ...``)."""
    if not summary["failed"]:
        return cancel_tally(summary)
    return "{0} of {1} import(s) failed: {2}".format(summary["failed"], summary["requested"], cancel_failures(results))

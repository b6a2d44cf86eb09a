# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pa_import_wait's form: which imports to wait for, the wait in slices with a progress line, one verdict per import.

The wait itself is wait.wait_for_imports (the engine of ``wait:`` on pa_import_stage and pa_import_cancel); each
import's verdict, and what it means for ``expect``, is verdicts.py's. The action plugin runs the module once per
slice. A slice ends after a poll that saw a status change, or before a sleep that would end past
``progress_interval``; it returns the state the next slice resumes from (the deadline and
start as wall-clock times of the host that runs the module, the records, the poller's pacing and counters), so the
request budgets and the deadline hold over the whole wait, however many slices it takes.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
from collections import OrderedDict

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import is_terminal, status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import check_wait_options, guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils import report
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import cancel_on_timeout
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError, OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import (
    ENDED_BADLY, WAIT_KINDS, Verdict, apply_verdict, judge, log_tail, verdicts)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import resume_state, wait_for_imports

SHOWN_STATUSES = ("Pending", "Running", "Canceling", "Finished", "Failed", "Canceled")
ALWAYS_SHOWN = ("Pending", "Running", "Finished", "Failed", "Canceled")
ACTIVE_LISTED = 5


def check_options(params):
    """Before any request."""
    check_wait_options(params)
    for field in ("progress_interval", "stall_warning"):
        if params[field] < 0:
            raise InputError(field, "must be 0 (off) or more seconds")


def parse_targets(params):
    """The imports named by ``import_ids`` or ``results`` (id -> what is known of it), checked before any request.

    A ``results`` entry without ``import_id`` (an application that failed to stage, a check-mode prediction), one
    that failed, or whose import had already ended when that task left it alone, is skipped. An entry's ``application_import``
    record is used as the import's last record when it is that import's; otherwise only its number and application
    are known until the first poll. An import named twice is waited for once. None for
    ``application_id``/``application_name`` (their imports are listed once connected).
    """
    targets = OrderedDict()
    if params["import_ids"] is not None:
        for index, value in enumerate(params["import_ids"]):
            import_id = guid("import_ids[{0}]".format(index), value)
            targets.setdefault(import_id, {"id": import_id})
        return targets
    if params["results"] is None:
        return None
    for index, entry in enumerate(params["results"]):
        field = "results[{0}]".format(index)
        if isinstance(entry, str):
            import_id = guid(field, entry)
            targets.setdefault(import_id, {"id": import_id})
            continue
        if not isinstance(entry, dict):
            raise InputError(field, "must be a result entry (a dict with import_id) or an import GUID")
        if not _waited_for(entry):
            continue
        import_id = guid(field + ".import_id", entry["import_id"])
        record = entry.get("application_import")
        if isinstance(record, dict) and str(record.get("id") or "").lower() == import_id:
            targets.setdefault(import_id, dict(record, id=import_id))
            continue
        known = {"id": import_id, "number": entry.get("number")}
        if entry.get("application_id") or entry.get("application_name"):
            known["application"] = {"id": entry.get("application_id"), "name": entry.get("application_name")}
        targets.setdefault(import_id, known)
    return targets


def _waited_for(entry):
    """Whether a ``results`` entry's import is waited for: it has one, the entry did not fail, it was not left alone."""
    return entry.get("import_id") not in (None, "") and entry.get("failed") is not True and not _left_alone(entry)


def _left_alone(entry):
    """An import the task found already ended and left alone (a cancel's "nothing to cancel"): nothing to wait for.
    One already Canceled is judged as the cancel it is.

    As pa_import_cancel's own wait, which waits only for the imports that were still active. A stage result that
    already waited has ``wait`` and is judged from its record instead.
    """
    return entry.get("changed") is False and "wait" not in entry and is_terminal(entry) and \
        status_of(entry) != "canceled"


def active_imports(api, params):
    """Every import of the application that has not ended (Pending, Running, Canceling), oldest first."""
    application_id, dummy = ApplicationResolver(api).resolve(params["application_id"], params["application_name"])
    rows = [row for row in api.list_imports(application_id) if not is_terminal(row)]
    rows.sort(key=lambda row: row.get("number") or 0)
    return OrderedDict((row["id"], row) for row in rows)


class Slice:
    """One module run of a wait: the wait so far (``state``, None at the start) and when to pause."""

    def __init__(self, params, state, sleep=time.sleep, clock=time.monotonic, wall=time.time):
        self.params = params
        self.state = state
        self.sleep = sleep
        self.clock = clock
        self.wall = wall
        self.sliced = state is not None and params["progress_interval"] > 0

    def run(self, api, targets):
        """Wait (for this slice); return (the WaitRun, the state to resume from)."""
        params = self.params
        if self.state:
            records = OrderedDict((import_id, self.state["records"][import_id]) for import_id in self.state["order"])
            started, deadline = self.state["started"], self.state["deadline"]
            quiet_since, resume, stalled_shown = self.state["quiet_since"], self.state["engine"], self.state["stalled"]
        else:
            records = targets
            started = self.wall()
            deadline = started + params["wait_timeout"]
            quiet_since, resume, stalled_shown = started, None, False
        slice_started = self.clock()
        # The first sleep of a resumed slice is shortened by the time since the last poll (the module start
        # between two slices), so the polls keep the pace of one run.
        gap = {"seconds": self.wall() - self.state["paused_at"] if self.state else 0.0}

        def sleep(seconds):
            self.sleep(max(seconds - gap["seconds"], 0.0))
            gap["seconds"] = 0.0
        statuses = dict((import_id, status_of(record)) for import_id, record in records.items())
        watch = {"quiet_since": quiet_since, "stalled": stalled_shown}

        def after_poll(result, next_sleep):
            changed = result.polls == 1  # the first poll of the wait says where it starts
            for import_id, record in result.records.items():
                status = status_of(record)
                if status != statuses[import_id]:
                    changed = True
                    if statuses[import_id] or status != "pending":  # an import started or ended
                        watch["quiet_since"] = self.wall()
                    statuses[import_id] = status
            stalled = self.stalled_for(result, watch["quiet_since"]) is not None
            if stalled != watch["stalled"]:
                changed = True
                watch["stalled"] = stalled
            if result.running_seen:
                watch["quiet_since"] = self.wall()
            if not self.sliced:
                return False
            return changed or self.clock() - slice_started + next_sleep >= params["progress_interval"]

        result = wait_for_imports(api, records, deadline - self.wall(), params["poll_interval"], sleep=sleep,
                                  clock=self.clock, resume=resume, poll_now=not self.state, after_poll=after_poll,
                                  list_always=bool(params["stall_warning"]))
        result.waited = self.wall() - started
        state = {"order": list(records), "records": result.records, "started": started, "deadline": deadline,
                 "quiet_since": watch["quiet_since"], "stalled": watch["stalled"], "engine": resume_state(result),
                 "paused_at": self.wall()}
        return result, state

    def stalled_for(self, result, quiet_since):
        """Seconds for which every import still waited for has been Pending with nothing running, or None.

        Nothing runs: none of these imports is Running or Canceling and no page the last poll read showed one (the
        import the build job runs has the newest start, so it is on page 1 unless 50 never-started imports sort
        first). None while under ``stall_warning`` (0: never).
        """
        threshold = self.params["stall_warning"]
        outstanding = [result.records[import_id] for import_id in result.outstanding]
        if not threshold or not outstanding or result.running_seen:
            return None
        if any(status_of(record) != "pending" for record in outstanding):
            return None
        quiet = self.wall() - quiet_since
        return quiet if quiet >= threshold else None


def stall_text(seconds):
    return "no import has started for {0}: is the build job running?".format(duration(seconds, coarse=True))


def duration(seconds, coarse=False):
    seconds = int(max(seconds, 0))
    if coarse:
        return "{0} min".format(seconds // 60) if seconds >= 120 else "{0} s".format(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "{0}h{1:02d}m{2:02d}s".format(hours, minutes, secs)
    return "{0}m{1:02d}s".format(minutes, secs)


def status_counts(records):
    counts = OrderedDict((status, 0) for status in SHOWN_STATUSES)
    for record in records:
        status = (record.get("status") or "").capitalize()
        if status in counts:
            counts[status] += 1
    return counts


def progress_line(records, outstanding, waited, stalled=None, done=False):
    """One line for the operator: counts by status, time waited, the imports still active (up to five)."""
    counts = status_counts(records.values())
    shown = ", ".join("{0} {1}".format(count, status) for status, count in counts.items()
                      if count or status in ALWAYS_SHOWN)
    head = "{0} after {1}".format("done", duration(waited)) if done else "waiting {0}".format(duration(waited))
    line = "{0} for {1} import(s): {2}".format(head, len(records), shown)
    active = sorted((records[import_id] for import_id in outstanding), key=lambda record: record.get("number") or 0)
    if active:
        names = ["#{0} {1}({2})".format(record.get("number"), _application_part(record), record.get("status") or "?")
                 for record in active[:ACTIVE_LISTED]]
        if len(active) > ACTIVE_LISTED:
            names.append("and {0} more".format(len(active) - ACTIVE_LISTED))
        line += "; still active: " + ", ".join(names)
    if stalled is not None:
        line += "; " + stall_text(stalled)
    return line


def _application_part(record):
    name = (record.get("application") or {}).get("name")
    return "{0} ".format(name) if name else ""


def import_verdicts(api, params, run, check_mode):
    """One entry per import, in order: its verdict, whether it ended as ``expect`` says, and why not."""
    entries = []
    changed = False
    for import_id, verdict in verdicts(run).items():
        record = verdict.record
        ok, text = judge(verdict, params["expect"])
        application = record.get("application") or {}
        entry = OrderedDict([
            ("import_id", import_id), ("number", record.get("number")), ("application_id", application.get("id")),
            ("application_name", application.get("name")), ("status", record.get("status")), ("wait", verdict.kind),
            ("failed", not ok), ("timed_out", verdict.kind == "timed_out"), ("msg", text),
            ("log_tail", log_tail(record) if verdict.kind in ENDED_BADLY else []),
            ("application_import", record)])
        if verdict.kind == "timed_out" and params["cancel_on_timeout"]:
            record, note, sent = cancel_on_timeout(api, record, check_mode)
            entry.update(status=record.get("status"), application_import=record)
            entry["msg"] += "; " + note
            changed = changed or sent
        entries.append(entry)
    return entries, changed


def merged_results(given, entries, expect):
    """``results`` as given, each entry whose import was waited for updated with its verdict as the task that made it
    would (verdicts.apply_verdict); a bare import GUID becomes its verdict entry. Entries not waited for are returned
    unchanged, but for ``timed_out: false`` added to a cancel result without it, as pa_import_cancel's own wait gives
    every result."""
    by_id = dict((entry["import_id"], entry) for entry in entries)
    merged = []
    for given_entry in given:
        if isinstance(given_entry, str):
            merged.append(by_id.get(given_entry.strip().lower(), given_entry))
            continue
        entry = by_id.get(str(given_entry.get("import_id") or "").strip().lower())
        if entry is None or not _waited_for(given_entry) or \
                (given_entry.get("wait") == entry["wait"] and given_entry.get("status") == entry["status"]):
            # not waited for, or judged already as it is now (a result waited for twice)
            merged.append(dict({"timed_out": False}, **given_entry) if expect == "canceled" else given_entry)
            continue
        result = dict(given_entry)
        apply_verdict(result, Verdict(entry["wait"], entry["application_import"], entry["msg"]), expect)
        merged.append(result)
    return merged


def summarize(entries):
    summary = OrderedDict([("requested", len(entries))])
    for key in WAIT_KINDS:
        summary[key] = len([entry for entry in entries if entry["wait"] == key])
    summary["failed"] = len([entry for entry in entries if entry["failed"]])
    return summary


def run_wait(api, params, check_mode, targets, sleep=time.sleep, clock=time.monotonic, wall=time.time):
    """The module's work for one slice: a paused slice's state and progress, or the final result.

    Raises OperationError (with every result) when an import did not end as ``expect`` says.
    """
    state = params.get("_wait_state")
    if not state and not targets:
        merged = None if params["results"] is None else merged_results(params["results"], [], params["expect"])
        return dict(described(params, [], merged, "nothing to wait for: no import given or active"), changed=False,
                    done=True, import_results=[], wait_stats=_empty_stats(), progress="nothing to wait for",
                    **_given(merged))
    work = Slice(params, state, sleep=sleep, clock=clock, wall=wall)
    result, next_state = work.run(api, targets)
    records = OrderedDict((import_id, result.records[import_id]) for import_id in next_state["order"])
    stalled = work.stalled_for(result, next_state["quiet_since"])
    if result.paused:
        return dict(changed=False, done=False, _wait_state=next_state,
                    progress=progress_line(records, result.outstanding, result.waited, stalled))
    entries, changed = import_verdicts(api, params, result, check_mode)
    stats = result.stats()
    line = progress_line(dict((e["import_id"], e["application_import"]) for e in entries), result.outstanding,
                         result.waited, stalled, done=True)
    expect = params["expect"]
    failed = [entry for entry in entries if entry["failed"]]
    if failed:
        msg = "{0} of {1} import(s) did not end {2}: {3}".format(
            len(failed), len(entries), "as expected" if expect == "ended" else expect.capitalize(),
            " | ".join(entry["msg"] for entry in failed))
        if stalled is not None and result.timed_out:
            # said once for the task, and in each timed-out import's msg (what a report keeps)
            msg += "; {0}".format(stall_text(stalled))
            for entry in entries:
                if entry["timed_out"]:
                    entry["msg"] += "; " + stall_text(stalled)
    else:
        msg = "all {0} import(s) {1}".format(len(entries), {"finished": "finished", "canceled": "are Canceled",
                                                            "ended": "ended"}[expect])
    merged = None if params["results"] is None else merged_results(params["results"], entries, expect)
    outcome = dict(described(params, entries, merged, msg), changed=changed, done=True, import_results=entries,
                   wait_stats=stats, progress=line, **_given(merged))
    if failed:
        raise OperationError(outcome.pop("msg"), timed_out=any(entry["timed_out"] for entry in entries), **outcome)
    return outcome


def described(params, entries, merged, msg):
    """``summary``, ``msg`` and ``lines``: given stage results (``expect: finished``) or cancel results
    (``canceled``), in the shape of the task that produced them, over those results; otherwise over the imports
    (``entries``), with ``msg`` as it is."""
    given = [entry for entry in merged or [] if isinstance(entry, dict)]
    if merged is not None and params["expect"] == "finished":
        summary = report.stage_summary(given)
        summary.update(report.wait_counts(given))
        messages = dict((entry["import_id"], entry["msg"]) for entry in entries)
        return dict(summary=summary, msg=report.stage_message(summary, given),
                    lines=[report.stage_wait_line(entry, messages) for entry in given])
    if merged is not None and params["expect"] == "canceled":
        summary = report.cancel_summary(given, report.cancel_wait_counts(entry["wait"] for entry in entries))
        return dict(summary=summary, msg=report.cancel_message(summary, given),
                    lines=[report.import_wait_line(entry) for entry in given])
    return dict(summary=summarize(entries), msg=msg, lines=[report.import_wait_line(entry) for entry in entries])


def _given(merged):
    """``results``, merged, when the module was given results."""
    return {} if merged is None else {"results": merged}


def _empty_stats():
    return {"waited": 0.0, "polls": 0, "list_requests": 0, "fallback_requests": 0, "final_record_requests": 0,
            "direct_requests": 0}

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one wait engine: waiting for a set of imports (one import is a set of one), and where the wait stopped.

``wait_for_imports`` polls until every import ended or the deadline passed, reading the unfiltered import list (a
few pages per poll, whatever the number of imports) and each ended import once. What the end means for the task
(a Verdict per import) is verdicts.py's.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import is_terminal
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import ApiError, PermissionAssistError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_list import ListPoller, OutOfTime, never_started

BACKOFF_FACTOR = 1.25
MAX_POLL_INTERVAL = 30.0


class WaitRun:
    """Where a wait ended.

    ``records`` maps every id to its latest record: once the import ended, the full record, or the list row that
    showed it ended merged into the last full record when the wait stopped before that read. Every id not in
    ``outstanding`` or ``gone`` has a terminal record. ``outstanding`` holds the ids still not terminal: all timed
    out when ``timed_out``, all unresolved when ``error`` (a read that failed) stopped the wait. ``gone`` maps ids
    the server no longer knows (404) to that error.
    """

    def __init__(self, records):
        self.records = records
        self.outstanding = set(i for i, record in records.items() if not is_terminal(record))
        self.gone = {}
        self.timed_out = False
        self.error = None
        self.waited = 0.0
        self.polls = 0
        self.list_reads = 0
        self.fallback_reads = 0
        self.final_reads = 0
        self.direct_reads = 0
        self.paused = False
        self.by_id = False
        self.interval = None
        self.frontier = None
        self.running_seen = False

    def stats(self):
        return {"waited": round(self.waited, 1), "polls": self.polls, "list_requests": self.list_reads,
                "fallback_requests": self.fallback_reads, "final_record_requests": self.final_reads,
                "direct_requests": self.direct_reads}


def wait_for_imports(api, records, timeout, poll_interval, sleep=time.sleep, clock=time.monotonic, resume=None,
                     poll_now=False, after_poll=None, list_always=False):
    """Poll until every import of ``records`` (id -> full record) is terminal, within one overall ``timeout``.

    Never raises for a timeout or a failed read: the WaitRun says which ids are still outstanding and why,
    and keeps the latest record of every id. A terminal import's full record (log, metrics) is read once.
    A wait ends at most one request timeout after ``timeout``: no request starts after the deadline and the client
    stops retrying at it.

    Each poll reads the unfiltered import list (ListPoller), except that a wait for one import reads it by id: one
    request per poll that is also its full record, where a list page would need a final read besides.
    ``list_always`` keeps the list for one import too, for a caller that watches what else runs (the list's
    ``running_seen``: pa_import_wait's stall warning).

    A wait can run in slices (pa_import_wait shows progress between them): ``resume`` is ``resume_state(result)`` of
    the slice before (``timeout`` is then what is left of the deadline); ``poll_now`` polls once before the first
    sleep; ``after_poll(result, next_sleep)`` is called after each poll and returning true pauses the wait
    (``result.paused``, every id still outstanding), to be resumed from ``resume_state(result)``.
    """
    result = WaitRun(dict(records))
    result.by_id = len(records) == 1 and not list_always
    started = clock()
    deadline = started + timeout
    poller = ListPoller(api, deadline, clock)
    interval = poll_interval
    if resume:
        interval = resume.get("interval") or poll_interval
        poller.frontier = resume.get("frontier")
        poller.reads = resume.get("list_requests", 0)
        result.polls = resume.get("polls", 0)
        result.fallback_reads = resume.get("fallback_requests", 0)
        result.final_reads = resume.get("final_record_requests", 0)
        result.direct_reads = resume.get("direct_requests", 0)
        for import_id, message in (resume.get("gone") or {}).items():
            result.gone[import_id] = PermissionAssistError(message)
            result.outstanding.discard(import_id)
    try:
        immediate = poll_now
        while result.outstanding:
            remaining = deadline - clock()
            if remaining <= 0:
                raise OutOfTime()
            if not immediate:
                sleep(min(interval, remaining))
            result.polls += 1
            if result.by_id:
                result.direct_reads += 1
                _read_one(api, result, next(iter(result.records)), deadline)
            else:
                _poll(api, poller, result, deadline, clock)
            result.running_seen = poller.running_seen
            if not immediate:
                interval = min(interval * BACKOFF_FACTOR, max(MAX_POLL_INTERVAL, poll_interval))
            immediate = False
            if result.outstanding and after_poll is not None and after_poll(result, interval):
                result.paused = True
                break
    except OutOfTime:
        result.timed_out = True
    except PermissionAssistError as exc:
        result.error = exc
    finally:
        result.list_reads = poller.reads
        result.waited = clock() - started
        result.interval = interval
        result.frontier = poller.frontier
        result.running_seen = poller.running_seen
    return result


def resume_state(result):
    """What the next slice of a paused wait needs (JSON-serialisable): pacing, the poller's frontier, counters."""
    state = result.stats()
    state.pop("waited")
    state.update(interval=result.interval, frontier=result.frontier,
                 gone=dict((import_id, str(error)) for import_id, error in result.gone.items()))
    return state


def _poll(api, poller, result, deadline, clock):
    records = result.records
    wanted = set(result.outstanding)
    unstarted = set(i for i in wanted if never_started(records[i]))
    rows, stop = poller.find(wanted, unstarted)
    ended = {}
    for import_id, row in rows.items():
        records[import_id] = _merge(records[import_id], row)
        if is_terminal(row):
            ended[import_id] = row
    # The list says which ended; settle them before any further request, so a deadline or an error cannot undo it.
    result.outstanding.difference_update(ended)
    if stop is not None:
        raise stop
    for import_id in sorted(ended):
        _checked(clock, deadline)
        result.final_reads += 1
        record = api.get_import(import_id, deadline=deadline)
        # A full record older than the list row (a stale read) must not take back the end the list showed.
        records[import_id] = record if is_terminal(record) else _merge(record, ended[import_id])
    for import_id in sorted(wanted - set(rows)):
        _checked(clock, deadline)
        result.fallback_reads += 1
        _read_one(api, result, import_id, deadline)


def _read_one(api, result, import_id, deadline):
    """Read one import by id; a 404 means the server no longer knows it (``gone``)."""
    try:
        record = api.get_import(import_id, deadline=deadline)
    except ApiError as exc:
        if exc.status != 404:
            raise
        result.gone[import_id] = exc
        result.outstanding.discard(import_id)
        return
    result.records[import_id] = record
    if is_terminal(record):
        result.outstanding.discard(import_id)


def _checked(clock, deadline):
    if clock() >= deadline:
        raise OutOfTime()


def _merge(record, row):
    """The list row's fields over the last full record: status and build times are current, log and files not."""
    merged = dict(record)
    merged.update(row)
    return merged

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settling a stage or upload request that failed without saying what it did: look before failing.

The invariant: a stage (or upload) request is never sent again while the server may still act on one sent before,
nor when an import it may have created is in sight. When the server may have acted (docs/decisions.md, "Settling a
failed stage or upload request"):

* ``ANSWERED``: the server answered, so it finished with the request (a 5xx without Retry-After, whatever its body,
  but 501, 505 and the gateway's 502 and 504). Whatever it did is in the list now: one look decides.
* ``ACCEPTED``: a 2xx whose body is not JSON. The server says it did it: one look finds the import, and when it does
  not, something is wrong with the look, so nothing is sent again.
* ``DROPPED``: the connection closed without an answer, or in the middle of one (or a gateway's 502: its connection
  to the server did). A commit in flight at the drop lands within ``SETTLE_INTERVAL``: two looks that far apart
  decide.
* ``STILL_WORKING``: no answer in time (or a gateway's 504). The server may still act at any time: a look can find
  the import, never show that there is none, so nothing is sent again.

What the looks show decides (``decide``): one new import that may be ours is adopted; several, or one that cannot
be told apart from an older one, or a look that could not see every place a new import would be, is "outcome
unknown"; nothing new, once the server can no longer act, sends the request again while the retry budget lasts.

``decide`` is pure (looks in, a decision out); ``settle`` runs it with the caller's send, look and clock. What is
new in a look (import_list.compare) is the caller's to tell; nothing here knows the API's endpoints or the list.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, OperationError, TransportError)

ANSWERED = "answered"
ACCEPTED = "accepted"
DROPPED = "dropped"
STILL_WORKING = "still_working"

SETTLE_INTERVAL = 1.0  # between the two looks after a dropped connection
WATCH_INTERVAL = 0.5  # between looks while a server that timed out may still act

ADOPT = "adopt"
LOOK_AGAIN = "look_again"
SEND_AGAIN = "send_again"
UNKNOWN = "unknown"
NOTHING_DONE = "nothing_done"

PERMANENT_5XX = (501, 505)  # not implemented, HTTP version: sending again cannot help


def what_happened(error):
    """How a failed stage or upload POST ended, for settling; None when it needs none: the request never left, or the
    answer says nothing was done (4xx, 429 and a 503 with Retry-After the client already retried, 501, 505)."""
    if isinstance(error, TransportError):
        if not error.request_sent:
            return None
        if error.status is not None:
            return _by_status(error.status)
        if error.late_commit_possible:
            return STILL_WORKING
        return DROPPED  # the connection closed before the answer, or cut it short
    if isinstance(error, ApiError) and error.retry_after is None:
        return _by_status(error.status)
    return None


def _by_status(status):
    if status == 502:
        return DROPPED
    if status == 504:
        return STILL_WORKING
    if 200 <= status < 300:
        return ACCEPTED
    if 500 <= status < 600 and status not in PERMANENT_5XX:
        return ANSWERED
    return None


# Why the outcome is unknown
SEVERAL = "several"  # more than one new import that may be ours
OTHERS = "others"  # new imports that cannot be ours (other files), so the server did something
UNDECIDABLE = "undecidable"  # an import that may be ours cannot be told apart from an older one
OUT_OF_SIGHT = "out_of_sight"  # the look could not see every place a new import would be
MAY_STILL_ACT = "may_still_act"  # nothing yet, but the server may still act
NOT_FOUND = "not_found"  # the server said it did it (2xx), yet no new import is in sight


class Decision:
    def __init__(self, action, rows=(), why=None):
        self.action = action
        self.rows = list(rows)  # ADOPT: the one row; UNKNOWN: the candidates
        self.why = why  # UNKNOWN: one of SEVERAL, OTHERS, UNDECIDABLE, OUT_OF_SIGHT, MAY_STILL_ACT, NOT_FOUND


class Look:
    """What one look at the application's imports showed, compared with what was known before the request.

    ``ours``: new imports that may be the one the request created; ``others``: new imports that cannot be (an upload
    with other files), which still show the server did something; ``undecidable``: imports that may or may not be
    new; ``conclusive``: the look saw every place a new import would be.
    """

    def __init__(self, ours=(), others=(), undecidable=(), conclusive=True):
        self.ours = list(ours)
        self.others = list(others)
        self.undecidable = list(undecidable)
        self.conclusive = conclusive

    def saw_something(self):
        return bool(self.ours or self.others or self.undecidable)


def decide(happened, looks, resends_left, watch_over=True):
    """The next step after ``looks`` (oldest first) for a request that ended as ``happened``. ``watch_over``: a
    STILL_WORKING server has been watched for as long as the caller allows."""
    look = looks[-1]
    if look.saw_something():
        if len(look.ours) == 1 and not look.others and not look.undecidable:
            return Decision(ADOPT, look.ours)
        if look.ours and not look.undecidable:
            return Decision(UNKNOWN, look.ours + look.others, SEVERAL)
        if look.others and not look.undecidable:
            return Decision(UNKNOWN, look.others, OTHERS)
        return Decision(UNKNOWN, look.ours + look.others + look.undecidable, UNDECIDABLE)
    if not look.conclusive:
        return Decision(UNKNOWN, why=OUT_OF_SIGHT)
    if happened == DROPPED and len(looks) < 2:
        return Decision(LOOK_AGAIN)
    if happened == STILL_WORKING:
        if not watch_over:
            return Decision(LOOK_AGAIN)
        return Decision(UNKNOWN, why=MAY_STILL_ACT)
    if happened == ACCEPTED:
        return Decision(UNKNOWN, why=NOT_FOUND)
    if resends_left > 0:
        return Decision(SEND_AGAIN)
    return Decision(NOTHING_DONE)


# Running the decisions

class Settled:
    """How settling ended well: ``answer`` (the record a request sent again returned) or ``adopted`` (the row of the
    import found), and what to tell the user."""

    def __init__(self, answer=None, adopted=None, warnings=None, lost=None):
        self.answer = answer
        self.adopted = adopted
        self.warnings = warnings or []
        self.lost = lost  # the reason of the failure whose import was adopted


def look_failed(reason, lookup):
    """The error when the look for the import a sent request may have created failed too: the outcome is unknown,
    never the look-up's error alone (a batch would take that for "nothing sent")."""
    return OperationError(
        "outcome unknown: {0}; looking for the import it may have created failed too ({1}). Check with "
        "sycorr.permission_assist.pa_import_info before re-running.".format(reason, lookup),
        outcome_unknown=True, candidate_import_ids=[])


def settle(error, send, look, retries, subject, what="stage", watch_seconds=30.0, backoff=None, sleep=time.sleep,
           clock=time.monotonic):
    """Settle a failed ``send()`` (the first failure is ``error``): look (``look()`` -> Look), then adopt, send again
    (at most ``retries`` times in all) or raise OperationError. ``error`` itself is raised when it needs no settling.
    ``subject`` names the application in messages; ``what`` is ``stage`` or ``upload``; ``backoff(n)`` the seconds to
    wait before the nth re-send."""
    resends = 0
    notes = []
    while True:
        happened = what_happened(error)
        if happened is None:  # never sent, or an answer that says nothing was done: what it says stands
            raise error
        reason = _reason(error)
        looks = []
        started = clock()
        while True:
            try:
                looks.append(look())
            except (ApiError, TransportError) as lookup:
                # The request reached the server: never report the look-up's error alone, which a batch would take
                # for "nothing sent".
                raise look_failed(reason, lookup)
            decision = decide(happened, looks, retries - resends, clock() - started >= watch_seconds)
            if decision.action != LOOK_AGAIN:
                break
            sleep(SETTLE_INTERVAL if happened == DROPPED else WATCH_INTERVAL)
        if decision.action == ADOPT:
            return Settled(adopted=decision.rows[0], warnings=notes, lost=reason)
        if decision.action == UNKNOWN:
            raise _unknown(reason, decision, subject, what, watch_seconds)
        if decision.action == NOTHING_DONE:
            raise _nothing_done(error, resends, subject, what, len(looks))
        notes.append("the {0} request failed ({1}); no new import of the application appeared ({2}), so it was sent "
                     "again".format(what, reason, _looked(len(looks))))
        resends += 1
        if backoff is not None:
            sleep(backoff(resends - 1))
        try:
            return Settled(answer=send(), warnings=notes)
        except (ApiError, TransportError) as again:
            error = again


def _reason(error):
    if isinstance(error, TransportError):
        return error.reason
    return str(error).split(" failed: ", 1)[-1]


def _looked(count):
    return "looked once" if count == 1 else "looked twice" if count == 2 else "looked {0} times".format(count)


def _unknown(reason, decision, subject, what, watch_seconds):
    ids = [row.get("id") for row in decision.rows]
    done = "staged" if what == "stage" else "uploaded"
    texts = {
        SEVERAL: "{0} new imports of {1} appeared (someone else {2} too): {3}",
        OTHERS: "new imports of {1} with other files appeared, so the server did something; not sent again: {3}",
        UNDECIDABLE: "imports of {1} appeared that cannot be told apart from older ones (one may be the one it "
                     "created, already started): {3}",
        OUT_OF_SIGHT: "no new import of {1} in sight, but the look could not see every place a new one would be "
                      "(the list moved while read, or more never-started imports than a page holds)",
        MAY_STILL_ACT: "no new import of {1} appeared within another {4:g}s, but the server may still {5} it",
        NOT_FOUND: "the server answered with success, yet no new import of {1} is in sight; not sent again",
    }
    text = texts[decision.why].format(len(ids), subject, done, ", ".join(ids), watch_seconds,
                                      "stage" if what == "stage" else "create")
    return OperationError("outcome unknown: {0}; {1}. Check with sycorr.permission_assist.pa_import_info before "
                          "re-running.".format(reason, text), outcome_unknown=True, candidate_import_ids=ids)


def _nothing_done(error, resends, subject, what, looks):
    """No retry left and the looks showed nothing while the server could no longer act: a known outcome."""
    details = dict((key, value) for key, value in error.fail_kwargs().items() if key != "msg")
    details.update(outcome_unknown=False, attempts=resends + 1)
    return OperationError("{0}; no new import of {1} appeared ({2}), so nothing was {3}; sent {4} time(s), "
                          "request_retries used up".format(error, subject, _looked(looks),
                                                           "staged" if what == "stage" else "uploaded", resends + 1),
                          **details)

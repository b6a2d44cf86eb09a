"""settle.py's decision table, without a server: what a failure means, what the looks show (import_list.Known and
compare tell a new import from an older one), what comes next."""

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, OperationError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_list import Known, compare
from ansible_collections.sycorr.permission_assist.plugins.module_utils.settle import (
    ACCEPTED, ADOPT, ANSWERED, DROPPED, LOOK_AGAIN, MAY_STILL_ACT, NOTHING_DONE, OTHERS, OUT_OF_SIGHT, SEND_AGAIN, SEVERAL,
    NOT_FOUND, STILL_WORKING, UNDECIDABLE, UNKNOWN, Look, decide, settle, what_happened)

PATH = "/application-imports/stage"


def api_error(status, retry_after=None):
    return ApiError("POST", PATH, status, error="server_error", message="boom", correlation_id="c" * 32,
                    retry_after=retry_after)


def transport(reason="x", sent=True, **kwargs):
    return TransportError("POST", PATH, reason, request_sent=sent, **kwargs)


@pytest.mark.parametrize("error,happened", [
    (api_error(500), ANSWERED),
    (api_error(503), ANSWERED),
    (api_error(507), ANSWERED),
    (api_error(502), DROPPED),
    (api_error(504), STILL_WORKING),
    (api_error(503, retry_after=5.0), None),  # refused: the client already retried it
    (api_error(501), None),
    (api_error(505), None),
    (api_error(429), None),
    (api_error(400), None),
    (api_error(422), None),
    (transport(sent=False), None),
    (transport("connection dropped before an answer"), DROPPED),
    (transport(late_commit_possible=True), STILL_WORKING),
    (transport(status=502), DROPPED),
    (transport(status=504), STILL_WORKING),
    (transport(status=500), ANSWERED),
    (transport(status=201), ACCEPTED),  # a 2xx that is not JSON
    (transport("broken answer: IncompleteRead"), DROPPED),  # cut short: its status is not known
], ids=lambda value: getattr(value, "reason", None) or str(getattr(value, "status", value)))
def test_what_happened(error, happened):
    assert what_happened(error) == happened


ROW = {"id": "a"}
NOTHING = Look()
BLIND = Look(conclusive=False)


@pytest.mark.parametrize("happened,looks,resends_left,watch_over,action,why", [
    # Something in sight decides at once, however the request ended.
    (ANSWERED, [Look(ours=[ROW])], 3, True, ADOPT, None),
    (DROPPED, [Look(ours=[ROW])], 3, True, ADOPT, None),
    (STILL_WORKING, [Look(ours=[ROW])], 3, False, ADOPT, None),
    (ANSWERED, [Look(ours=[ROW], conclusive=False)], 3, True, ADOPT, None),
    (ANSWERED, [Look(ours=[ROW, {"id": "b"}])], 3, True, UNKNOWN, SEVERAL),
    (ANSWERED, [Look(ours=[ROW], others=[{"id": "b"}])], 3, True, UNKNOWN, SEVERAL),
    (ANSWERED, [Look(others=[ROW])], 3, True, UNKNOWN, OTHERS),
    (ANSWERED, [Look(undecidable=[ROW])], 3, True, UNKNOWN, UNDECIDABLE),
    (ANSWERED, [Look(ours=[ROW], undecidable=[{"id": "b"}])], 3, True, UNKNOWN, UNDECIDABLE),
    # Nothing in sight: a look that could not see everything proves nothing.
    (ANSWERED, [BLIND], 3, True, UNKNOWN, OUT_OF_SIGHT),
    (DROPPED, [NOTHING, BLIND], 3, True, UNKNOWN, OUT_OF_SIGHT),
    # An answer: one look is enough.
    (ANSWERED, [NOTHING], 3, True, SEND_AGAIN, None),
    (ANSWERED, [NOTHING], 0, True, NOTHING_DONE, None),
    # A 2xx: the import must be there; when it is not, the look is wrong, and nothing is sent again.
    (ACCEPTED, [Look(ours=[ROW])], 3, True, ADOPT, None),
    (ACCEPTED, [NOTHING], 3, True, UNKNOWN, NOT_FOUND),
    # A dropped connection: two looks.
    (DROPPED, [NOTHING], 3, True, LOOK_AGAIN, None),
    (DROPPED, [NOTHING], 0, True, LOOK_AGAIN, None),
    (DROPPED, [NOTHING, NOTHING], 3, True, SEND_AGAIN, None),
    (DROPPED, [NOTHING, NOTHING], 0, True, NOTHING_DONE, None),
    # No answer in time: never sent again; "unknown" once the watch is over.
    (STILL_WORKING, [NOTHING], 3, False, LOOK_AGAIN, None),
    (STILL_WORKING, [NOTHING, NOTHING, NOTHING], 3, True, UNKNOWN, MAY_STILL_ACT),
    (STILL_WORKING, [NOTHING], 0, True, UNKNOWN, MAY_STILL_ACT),
])
def test_decide(happened, looks, resends_left, watch_over, action, why):
    decision = decide(happened, looks, resends_left, watch_over)
    assert (decision.action, decision.why) == (action, why)
    if action == ADOPT:
        assert decision.rows == [ROW]


# Telling a new import from an older one

def row(ident, start=None, status="Finished"):
    return {"id": ident, "buildStart": start, "status": status if start else "Pending"}


T1, T2, T3 = "2026-03-01T02:00:00Z", "2026-03-01T03:00:00Z", "2026-03-01T04:00:00Z"


def test_known_from_a_whole_list():
    known = Known.from_pages({1: [row("a", T2), row("b", T1), row("p")]}, [1])
    assert (known.ids, known.never_started_complete, known.newest_start, known.newest_start_known) == (
        {"a", "b", "p"}, True, T2, True)
    nothing_started = Known.from_pages({1: [row("p")]}, [1])
    assert (nothing_started.newest_start, nothing_started.newest_start_known) == (None, True)


def test_known_from_both_ends_never_started_last():
    pages = {1: [row("a", T2)] * 50, 3: [row("z", T1), row("p")]}
    known = Known.from_pages(pages, [3, 3])
    assert known.never_started_complete and known.newest_start == T2 and known.new_in_sight()
    # The never-started run fills the last page: it may go on on the page before, which was not read.
    spilled = Known.from_pages({1: [row("a", T2)], 3: [row("p")] * 50}, [3, 3])
    assert not spilled.never_started_complete and not spilled.new_in_sight()


def test_known_from_both_ends_never_started_first():
    known = Known.from_pages({1: [row("p"), row("a", T2)], 3: [row("z", T1)]}, [3, 3])
    assert known.never_started_complete and known.newest_start == T2
    full = Known.from_pages({1: [row("p")] * 50, 3: [row("z", T1)]}, [3, 3])
    assert not full.never_started_complete and not full.newest_start_known


def test_pages_that_disagree_on_the_count_know_nothing_complete():
    known = Known.from_pages({1: [row("a", T2)], 2: [row("p")]}, [2, 3])
    assert not known.new_in_sight() and not known.newest_start_known


def test_known_from_rows_with_an_unreadable_start_cannot_place_starts():
    known = Known.from_rows({"a"}, [row("a", "yesterday")])
    assert known.never_started_complete and not known.newest_start_known


def test_compare():
    before = Known({"a", "b", "p"}, True, T2, True)
    after = [row("a", T2), row("b", T1), row("p"), row("new"), row("late", T3), row("tie", T2), row("old", T1)]
    new, undecidable, conclusive = compare(before, after, before)
    assert [item["id"] for item in new] == ["new", "late"]  # never started, or started after the newest start
    assert [item["id"] for item in undecidable] == ["tie"]  # started in that same second
    assert conclusive


def test_compare_when_nothing_had_started_and_when_starts_cannot_be_placed():
    started_since = [row("x", T1)]
    assert compare(Known(set(), True, None, True), started_since, Known(set(), True, None, True))[0] == started_since
    blind = Known(set(), False, None, False)
    new, undecidable, conclusive = compare(blind, started_since + [row("p")], blind)
    assert new == [] and len(undecidable) == 2 and not conclusive


# The loop, with a fake clock

class Script:
    """send() answers or raises from a list; look() returns Looks from a list; time only moves when slept."""

    def __init__(self, sends=(), looks=()):
        self.sends = list(sends)
        self.looks = list(looks)
        self.now = 0.0
        self.slept = []
        self.sent = 0

    def send(self):
        self.sent += 1
        outcome = self.sends.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def look(self):
        outcome = self.looks.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds

    def clock(self):
        return self.now

    def settle(self, error, retries=3, **kwargs):
        return settle(error, self.send, self.look, retries, "APP", sleep=self.sleep, clock=self.clock,
                      backoff=lambda attempt: 0.5 * 2 ** attempt, **kwargs)


def test_a_503_is_looked_for_once_then_sent_again_with_backoff():
    script = Script(sends=[{"id": "new"}], looks=[NOTHING])
    settled = script.settle(api_error(503))
    assert settled.answer == {"id": "new"} and settled.adopted is None
    assert script.sent == 1 and script.slept == [0.5]
    assert settled.warnings == ["the stage request failed (HTTP 503 server_error: boom [correlationId {0}]); no new "
                                "import of the application appeared (looked once), so it was sent again".format(
                                    "c" * 32)]


def test_a_dropped_connection_is_looked_for_twice_a_second_apart():
    script = Script(sends=[{"id": "new"}], looks=[NOTHING, NOTHING])
    assert script.settle(transport("connection dropped")).answer == {"id": "new"}
    assert script.slept == [1.0, 0.5]


def test_what_the_second_look_finds_is_adopted():
    script = Script(looks=[NOTHING, Look(ours=[ROW])])
    settled = script.settle(transport("connection dropped"))
    assert settled.adopted == ROW and settled.lost == "connection dropped" and script.sent == 0


def test_the_budget_counts_every_resend_and_then_says_nothing_was_staged():
    script = Script(sends=[api_error(503)] * 3, looks=[NOTHING] * 4)
    with pytest.raises(OperationError) as caught:
        script.settle(api_error(503))
    details = caught.value.fail_kwargs()
    assert script.sent == 3 and details["attempts"] == 4 and details["outcome_unknown"] is False
    assert details["status"] == 503 and details["correlation_id"] == "c" * 32
    assert details["msg"].endswith("no new import of APP appeared (looked once), so nothing was staged; sent 4 "
                                   "time(s), request_retries used up")


def test_a_resend_refused_for_good_stands_as_it_is():
    refused = api_error(422)
    script = Script(sends=[refused], looks=[NOTHING])
    with pytest.raises(ApiError) as caught:
        script.settle(api_error(500))
    assert caught.value is refused


def test_no_answer_in_time_is_watched_then_unknown_never_sent_again():
    script = Script(looks=[NOTHING] * 10)
    with pytest.raises(OperationError) as caught:
        script.settle(transport("no answer within 2s", late_commit_possible=True), watch_seconds=2.0)
    details = caught.value.fail_kwargs()
    assert script.sent == 0 and details["outcome_unknown"] is True and details["candidate_import_ids"] == []
    assert "no new import of APP appeared within another 2s, but the server may still stage it" in details["msg"]
    assert script.slept == [0.5] * 4


def test_a_failed_look_is_an_unknown_outcome_not_the_looks_error():
    script = Script(looks=[transport("cannot connect", sent=False)])
    with pytest.raises(OperationError) as caught:
        script.settle(api_error(503))
    assert caught.value.fail_kwargs()["outcome_unknown"] is True
    assert "looking for the import it may have created failed too" in str(caught.value)


def test_upload_words():
    script = Script(looks=[Look(others=[{"id": "theirs"}])])
    with pytest.raises(OperationError) as caught:
        script.settle(api_error(500), what="upload")
    assert caught.value.fail_kwargs()["candidate_import_ids"] == ["theirs"]
    assert "new imports of APP with other files appeared, so the server did something; not sent again: theirs" in str(
        caught.value)


def test_an_error_that_needs_no_settling_is_raised_as_it_is():
    refused = transport(sent=False)
    with pytest.raises(TransportError) as caught:
        Script().settle(refused)
    assert caught.value is refused

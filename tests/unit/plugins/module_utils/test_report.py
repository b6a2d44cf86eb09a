"""report.py: the line per item, the counts and the task's message that the roles print, from the result entries alone.

Entries as pa_import_stage (applications), pa_import_cancel (import_ids) and pa_import_wait return them; no server.
"""

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.report import (
    cancel_line, cancel_message, cancel_summary, cancel_tally, cancel_wait_counts, import_wait_line, stage_line,
    stage_message, stage_summary, stage_tally, stage_wait_line, wait_counts)

IMPORT = "5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57"
APP = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"


def staged(name="HR Portal", **fields):
    entry = {"application_id": APP, "application_name": name, "import_id": IMPORT, "number": 112,
             "status": "Pending", "changed": True, "failed": False, "attempted": True, "msg": "staged import #112"}
    entry.update(fields)
    return entry


def canceled(**fields):
    entry = {"import_id": IMPORT, "application_id": APP, "application_name": "HR Portal", "number": 112,
             "status": "Canceling", "changed": True, "failed": False, "attempted": True,
             "msg": "cancel requested for import #112"}
    entry.update(fields)
    return entry


@pytest.mark.parametrize("entry, check_mode, line", [
    (staged(), False, "HR Portal: import #112 Pending, staged"),
    (staged(changed=False), False, "HR Portal: import #112 Pending, reused"),
    (staged(uploaded_files=[]), False, "HR Portal: import #112 Pending, uploaded"),
    (staged(import_id=None, number=None), True, "HR Portal: would stage"),
    (staged(import_id=None, number=None, uploaded_files=[]), True, "HR Portal: would upload"),
    (staged(changed=False), True, "HR Portal: import #112 Pending, reused"),
    (staged(import_id=None, number=None, status=None, changed=False, failed=True, msg="HTTP 422 no schedule"), False,
     "HR Portal: failed: HTTP 422 no schedule"),
    (staged(application_name=None, import_id=None, number=None, failed=True, msg="HTTP 422"), False,
     APP + ": failed: HTTP 422"),
    (staged(failed=True, attempted=False, import_id=None, msg="not attempted: HTTP 401"), False,
     "HR Portal: not attempted"),
    # an import obtained, the application failed all the same (a wait after it)
    (staged(status="Failed", failed=True, msg="staged import #112; import #112 failed"), False,
     "HR Portal: import #112 Failed, staged, failed: staged import #112; import #112 failed"),
], ids=["staged", "reused", "uploaded", "would-stage", "would-upload", "reused-in-check-mode", "failed",
        "failed-by-guid", "not-attempted", "obtained-then-failed"])
def test_stage_line_says_what_was_done_for_each_application(entry, check_mode, line):
    assert stage_line(entry, check_mode) == line


def test_stage_wait_line_says_how_the_import_ended_and_why_in_the_waits_own_words():
    finished = staged(status="Finished", wait="finished", msg="staged import #112; import #112 finished")
    assert stage_wait_line(finished) == "HR Portal: import #112 Finished"
    failed = staged(status="Failed", wait="failed_build", failed=True,
                    msg="staged import #112; import #112 (x) of HR Portal failed: 0 rows")
    assert stage_wait_line(failed, {IMPORT: "import #112 (x) of HR Portal failed: 0 rows"}) == \
        "HR Portal: import #112 Failed, failed: import #112 (x) of HR Portal failed: 0 rows"
    # the import id as the results spell it (upper case), the wait's message keyed as the server does
    assert stage_wait_line(dict(failed, import_id=IMPORT.upper()), {IMPORT: "why"}) == \
        "HR Portal: import #112 Failed, failed: why"
    assert stage_wait_line(failed) == "HR Portal: import #112 Failed, failed: " + failed["msg"]
    assert stage_wait_line(staged(import_id=None, failed=True, msg="HTTP 422")) == "HR Portal: failed: HTTP 422"
    assert stage_wait_line(staged()) == "HR Portal: not waited for"
    assert stage_wait_line(staged(failed=True, attempted=False)) == "HR Portal: not attempted"


def test_stage_summary_counts_imports_obtained_and_applications_failed():
    results = [staged(), staged(changed=False), staged(import_id=None, failed=True, msg="HTTP 422"),
               staged(failed=True, attempted=False, import_id=None),
               staged(failed=True, wait="failed_build", status="Failed")]  # obtained, then its build failed
    assert stage_summary(results) == {"requested": 5, "staged": 2, "reused": 1, "failed": 3, "not_attempted": 1}
    assert stage_summary(results[:3], check_mode=True) == {
        "requested": 3, "staged": 0, "reused": 1, "failed": 1, "not_attempted": 0, "would_stage": 1}


def test_wait_counts_cover_every_ending():
    results = [staged(wait="finished"), staged(wait="finished"), staged(wait="timed_out"), staged()]
    assert wait_counts(results) == {"finished": 2, "failed_build": 0, "canceled": 0, "timed_out": 1, "wait_error": 0}


@pytest.mark.parametrize("summary, text", [
    ({"requested": 3, "staged": 2, "reused": 1, "failed": 0}, "staged 2, reused 1 of 3"),
    ({"requested": 3, "staged": 0, "reused": 1, "failed": 0, "would_stage": 2}, "would stage 2, reuse 1 of 3"),
    ({"requested": 3, "staged": 3, "reused": 0, "failed": 1, "finished": 2, "failed_build": 1, "canceled": 0,
      "timed_out": 0, "wait_error": 0}, "staged 3, reused 0 of 3; finished 2, failed build 1, canceled 0, timed out 0"),
    ({"requested": 1, "staged": 1, "reused": 0, "failed": 1, "finished": 0, "failed_build": 0, "canceled": 0,
      "timed_out": 0, "wait_error": 1},
     "staged 1, reused 0 of 1; finished 0, failed build 0, canceled 0, timed out 0, wait error 1"),
], ids=["staged", "check-mode", "waited", "wait-error"])
def test_stage_tally(summary, text):
    assert stage_tally(summary) == text


def test_stage_message_names_each_failed_application_after_the_counts():
    results = [staged(), staged("Card Issuing", import_id=None, failed=True, msg="HTTP 422"),
               staged("Reporting", import_id=None, failed=True, msg="2 active applications")]
    summary = stage_summary(results)
    assert stage_message(summary, results) == (
        "staged 1, reused 0 of 3; 2 of 3 application(s) failed: Card Issuing: HTTP 422 | Reporting: 2 active "
        "applications")
    assert stage_message(stage_summary(results[:1]), results[:1], " (note)") == "staged 1, reused 0 of 1 (note)"


@pytest.mark.parametrize("entry, check_mode, line", [
    (canceled(), False, "import #112 of HR Portal: Canceling, canceled"),
    (canceled(status="Finished", changed=False), False, "import #112 of HR Portal: Finished, unchanged"),
    (canceled(status="Running"), True, "import #112 of HR Portal: Running, would cancel"),
    (canceled(number=None, application_name=None, application_id=None, status=None, changed=False, failed=True,
              msg="import_id: no import with id ..."), False,
     "import {0}: failed: import_id: no import with id ...".format(IMPORT)),
    (canceled(failed=True, msg="HTTP 500"), False, "import #112 of HR Portal: Canceling, canceled, failed: HTTP 500"),
    (canceled(number=None, status=None, failed=True, attempted=False, msg="not attempted"), False,
     "import {0}: not attempted".format(IMPORT)),
], ids=["canceled", "unchanged", "would-cancel", "unknown-id", "failed-after-the-cancel", "not-attempted"])
def test_cancel_line_says_what_was_done_for_each_import(entry, check_mode, line):
    assert cancel_line(entry, check_mode) == line


def test_import_wait_line_says_the_status_the_wait_ended_on():
    assert import_wait_line(canceled(status="Canceled", timed_out=False)) == "import #112 of HR Portal: Canceled"
    overtaken = canceled(status="Finished", failed=True, msg="its build completed first")
    assert import_wait_line(overtaken) == "import #112 of HR Portal: Finished, failed: its build completed first"
    # an import_results entry of pa_import_wait (no changed, no attempted)
    entry = {"import_id": IMPORT, "number": None, "application_name": None, "status": None, "failed": True,
             "wait": "wait_error", "msg": "no import with id " + IMPORT}
    assert import_wait_line(entry) == "import {0}: failed: no import with id {0}".format(IMPORT)
    assert import_wait_line({"import_id": None, "failed": True, "msg": "no id"}) == "?: failed: no id"


def test_cancel_summary_tally_and_message():
    results = [canceled(status="Canceled"), canceled(changed=False, status="Canceled"),
               canceled(status="Finished", failed=True, msg="its build completed first")]
    summary = cancel_summary(results, cancel_wait_counts(["canceled", "finished"]))
    assert summary == {"requested": 3, "canceled": 2, "unchanged": 1, "failed": 1, "not_attempted": 0,
                       "confirmed_canceled": 1, "overtaken": 1, "timed_out": 0}
    assert cancel_message(summary, results) == "1 of 3 import(s) failed: {0}: its build completed first".format(IMPORT)
    assert cancel_message(cancel_summary(results[:2]), results[:2]) == "canceled 1, unchanged 1 of 2"
    assert cancel_tally(dict(summary, failed=0)) == "canceled 2, unchanged 1 of 3; 1 confirmed Canceled"
    assert cancel_tally(cancel_summary(results[:1], check_mode=True)) == \
        "would cancel 1, unchanged 0 of 1 (check mode: nothing was canceled)"


def test_cancel_wait_counts():
    assert cancel_wait_counts(["canceled", "canceled", "finished", "failed_build", "timed_out", "wait_error"]) == {
        "confirmed_canceled": 2, "overtaken": 2, "timed_out": 1}

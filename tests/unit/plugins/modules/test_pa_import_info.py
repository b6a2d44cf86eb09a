"""pa_import_info's main() in-process (tests/pa_modulelib.py) against the emulator, its build job paused.

Every page of a long history and status filters ignoring case are test_module_waits.py's; an unknown application id
is test_module_waits.py's too.
"""

import pytest

from pa_testlib import stage_directly

UNKNOWN = "00000000-0000-4000-8000-000000000000"
ENDED = ("Finished", "Failed", "Canceled")


def ids(rows):
    return [row["id"] for row in rows]


def test_one_import_by_id_and_the_lists_around_it(emulator, run_module):
    before = run_module("pa_import_info", {"application_name": "HR Portal"}, check=True)
    assert before.rc == 0 and before["changed"] is False, before.output
    assert before["application_imports"]
    assert {row["application"]["name"] for row in before["application_imports"]} == {"HR Portal"}
    assert all(route.startswith("GET ") for route in emulator.stats()["requests"])  # check mode reads as usual

    staged = run_module("pa_import_stage", {"application_name": "HR Portal", "reuse_pending": False})
    record = staged["application_import"]

    one = run_module("pa_import_info", {"import_id": record["id"]})
    assert one.rc == 0 and one["changed"] is False, one.output
    full = one["application_import"]
    assert (full["id"], full["number"], full["status"]) == (record["id"], record["number"], "Pending")
    assert full["createdBy"].startswith("API Token - ") and full["files"] == [] and "log" in full
    again = run_module("pa_import_info", {"import_id": record["id"]})
    assert again["changed"] is False and again["application_import"] == full

    pending = run_module("pa_import_info", {"application_id": record["application"]["id"], "status": ["pending"]})
    assert pending["changed"] is False and ids(pending["application_imports"]) == [record["id"]]
    assert "createdBy" not in pending["application_imports"][0]  # list items are not full records

    after = run_module("pa_import_info", {"application_name": "HR Portal"})
    assert after["changed"] is False
    assert len(after["application_imports"]) == len(before["application_imports"]) + 1
    assert record["id"] in (after["application_imports"][0]["id"], after["application_imports"][-1]["id"])

    ended = run_module("pa_import_info", {"application_name": "HR Portal", "status": ["Finished", "FAILED", "Canceled"]})
    assert len(ended["application_imports"]) == len(before["application_imports"])
    assert {row["status"] for row in ended["application_imports"]} <= set(ENDED)


# (id, args or a function of the staged import, what the message starts with, what it contains)
FAILURES = [
    ("unknown_status", {"application_name": "HR Portal", "status": ["Done"]}, "status: unknown status done",
     "Canceling"),
    ("unknown_import", {"import_id": UNKNOWN}, "", "no import with id " + UNKNOWN),
    ("import_id_and_status", lambda staged: {"import_id": staged["id"], "status": ["Pending"]}, "",
     "mutually exclusive"),
    ("name_two_share", {"application_name": "Reporting"}, "", "2 active applications are named"),
]


@pytest.mark.parametrize("args,start,text", [row[1:] for row in FAILURES], ids=[row[0] for row in FAILURES])
def test_failures_say_why(emulator, run_module, args, start, text):
    if callable(args):
        args = args(stage_directly(emulator, "HR Portal"))
    run = run_module("pa_import_info", args)
    assert run.rc == 1 and run["failed"] is True and run["changed"] is False
    assert run["msg"].startswith(start) and text in run["msg"], run["msg"]
    assert "Traceback" not in run.output

"""The in-process harness (tests/pa_modulelib.py) hands a module what ansible would, and returns what it reported."""

import json

import pytest
from ansible.module_utils import basic

from pa_modulelib import run_module_in_process
from pa_testlib import TOKEN


def test_check_and_diff_mode_reach_the_module(emulator, run_module):
    predicted = run_module("pa_import_stage", {"application_name": "HR Portal"}, check=True, diff=True)
    assert predicted.rc == 0 and predicted["changed"] is True and predicted["predicted"] is True
    assert (predicted["diff"]["before"], predicted["diff"]["after"]) == ("no import\n", "new import: Pending\n")
    staged = run_module("pa_import_stage", {"application_name": "HR Portal"})
    assert staged["changed"] is True and "diff" not in staged.result  # no --diff, no diff
    assert emulator.stats()["imports_created"] == 1  # the check-mode run staged nothing


def test_the_result_is_ansibles_after_no_log_filtering(run_module):
    run = run_module("pa_application_info", {"name": "HR Portal", "pa_token": TOKEN})
    assert run.rc == 0 and [app["name"] for app in run["applications"]] == ["HR Portal"]  # the token was used
    # Not a replacement text: each ansible-core line has its own (2.22 masks only on display).
    assert TOKEN not in run.output and TOKEN not in json.dumps(run.result)


def test_fail_json_is_rc_1_and_failed(emulator, run_module):
    run = run_module("pa_import_info", {"status": ["done"]})
    assert run.rc == 1 and run["failed"] is True and run["changed"] is False
    assert run["msg"].startswith("status: unknown status done")
    assert emulator.stats()["total"] == 0


def test_a_moved_private_name_fails_naming_it(emulator, monkeypatch):
    monkeypatch.delattr(basic, "_ANSIBLE_ARGS")
    with pytest.raises(AssertionError, match=r"ansible-core moved ansible\.module_utils\.basic\._ANSIBLE_ARGS"):
        run_module_in_process(emulator, "pa_application_info", {})

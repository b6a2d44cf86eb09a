"""pa_playbook_inputs through ansible-playbook: what the action plugin adds to plugin_utils/playbook_inputs.py (tested
case by case in tests/unit/plugins/plugin_utils/test_playbook_inputs.py): its arguments, the host's variables
(extra vars and inventory variables, not the play's own vars) and check mode. No server is involved."""

import json
import os
import subprocess
import sys

from pa_testlib import BIN, REPO

GUID = "5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57"


def read(tmp_path, playbook, inputs, *args, inventory="localhost ansible_connection=local"):
    """Run one pa_playbook_inputs task; return (its registered result, the ansible-playbook process)."""
    (tmp_path / "hosts").write_text(inventory + "\n")
    result = tmp_path / "result.json"
    (tmp_path / "play.yml").write_text(json.dumps([{
        "hosts": "localhost", "gather_facts": False, "vars": {"application_owner_for_the_play": "not seen"},
        "tasks": [
            {"sycorr.permission_assist.pa_playbook_inputs": {"playbook": playbook, "inputs": inputs},
             "register": "read", "ignore_errors": True},
            {"ansible.builtin.copy": {"content": "{{ read | to_json }}", "dest": str(result), "mode": "0600"},
             "check_mode": False}]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / "build" / "collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    process = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(tmp_path / "hosts"), str(tmp_path / "play.yml")]
                             + list(args), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.exists(), process.stdout + process.stderr
    return json.loads(result.read_text()), process


def test_extra_vars_and_inventory_variables_are_seen_for_misspellings(tmp_path):
    inputs = {"applications": "HR Portal, Core Banking", "reuse_pending": "true", "wait": "false",
              "wait_timeout": "60", "report_path": ""}
    result, process = read(tmp_path, "stage_imports", inputs,
                           inventory="localhost ansible_connection=local application_env=prod")
    assert result["error"] == "" and not result.get("failed"), process.stdout
    assert result["inputs"] == {"applications": ["HR Portal", "Core Banking"], "priority": None, "select": [],
                                "reuse_pending": True, "wait": False, "wait_timeout": 60.0, "report_path": ""}
    assert result["changed"] is False
    result, dummy = read(tmp_path, "stage_imports", inputs, "-e", "wait_timout=60")
    assert result["error"] == ("unknown extra var wait_timout (did you mean wait_timeout?); the inputs are "
                               "applications, priority, reuse_pending, wait_timeout, report_path, wait")
    result, dummy = read(tmp_path, "stage_imports", inputs, inventory="localhost ansible_connection=local applicatons=x")
    assert result["error"].startswith("unknown extra var applicatons (did you mean applications?)")


def test_the_report_of_a_check_mode_stage_run_is_refused_only_outside_check_mode(tmp_path):
    inputs = {"import_ids": [], "results": [{"import_id": GUID}], "summary": {"would_stage": 1}, "wait": False,
              "wait_timeout": 600, "report_path": ""}
    result, dummy = read(tmp_path, "cancel_imports", inputs)
    assert result["error"].startswith("results: this report is from a check-mode run of stage_imports.yml")
    result, process = read(tmp_path, "cancel_imports", inputs, "--check")
    assert result["error"] == "" and result["inputs"]["import_ids"] == [GUID], process.stdout


def test_an_input_the_playbook_does_not_take_fails_the_task(tmp_path):
    result, dummy = read(tmp_path, "cancel_imports", {"import_ids": GUID, "priority": "high"})
    assert result["failed"] and result["msg"] == (
        "inputs: priority not an input of cancel_imports.yml; its inputs are import_ids, results, summary, error, "
        "wait_timeout, report_path, wait")
    result, dummy = read(tmp_path, "upload_files", {})
    assert result["failed"] and "playbook" in result["msg"]

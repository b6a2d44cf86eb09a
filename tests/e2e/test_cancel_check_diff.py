"""ansible-playbook --check --diff: the documented stage-then-cancel chain runs, and cancels show before and after."""

import json
import subprocess

from pa_testlib import BIN, ansible_env, stage_directly, status_of

APP = "Payments Gateway"


def test_stage_then_cancel_chain_in_check_mode_with_diff(emulator, tmp_path):
    first, second, third = (stage_directly(emulator, APP) for dummy in range(3))
    tasks = [
        {"name": "Stage (check mode predicts an import without an id)",
         "sycorr.permission_assist.pa_import_stage": {"application_name": "HR Portal", "reuse_pending": False},
         "register": "staged"},
        {"name": "Cancel the import staged earlier (the documented chain)",
         "sycorr.permission_assist.pa_import_cancel": {"import_id": "{{ staged.application_import.id }}"},
         "register": "predicted"},
        {"name": "Cancel one real import",
         "sycorr.permission_assist.pa_import_cancel": {"import_id": first["id"]}, "register": "one"},
        {"name": "Cancel several",
         "sycorr.permission_assist.pa_import_cancel": {"import_ids": [second["id"], third["id"]]}, "register": "many"},
        {"name": "Cancel every active import",
         "sycorr.permission_assist.pa_import_cancel": {"application_name": APP, "all_active": True},
         "register": "every"},
        {"name": "Check what was returned", "ansible.builtin.assert": {"that": [
            "staged.application_import.id is none",
            "predicted is changed and predicted.msg is search('check mode: the import is only predicted')",
            "one is changed and many.summary.would_cancel == 2 and every.summary.would_cancel == 3",
            "many.summary.canceled == 0 and every.summary.canceled == 0",
            "many.diff | length == 2 and every.diff | length == 3",
            "every.import_results | map(attribute='attempted') | unique == [true]",
        ]}},
    ]
    playbook = tmp_path / "play.yml"
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    process = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", "--check", "--diff", str(playbook)],
        env=ansible_env(emulator), capture_output=True, text=True, timeout=300, check=False)
    output = process.stdout + process.stderr
    assert process.returncode == 0, output[-4000:]
    assert "-new import: Pending\n+new import: Canceling" in output
    for staged in (first, second, third):
        diff = "-import #{0}: Pending\n+import #{0}: Canceling".format(staged["number"])
        assert output.count(diff) == 2, output[-4000:]  # its own cancel task, and all_active
        assert status_of(emulator, staged["id"]) == "Pending"  # check mode sent nothing
    assert emulator.stats()["requests"].get("POST /api/application-imports/cancel", 0) == 0

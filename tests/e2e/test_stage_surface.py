"""pa_import_stage as a user writes it, through ansible-playbook against the emulator (what only Ansible shows).

| point | row                                                                  | shows                                        |
|-------|----------------------------------------------------------------------|----------------------------------------------|
| 8     | ``ansible-playbook --check --diff``, single and applications forms   | "no import" -> "new import: Pending" per     |
|       |                                                                      | application; "would stage 2" in the msg      |

Points 2, 6 and 7 (bare names in applications, 20 applications with the server down, a failed build's cause) are
module logic: tests/unit/plugins/modules/test_module_stage_options.py.
"""

import json
import subprocess

from pa_testlib import BIN, ansible_env, role_playbook


def test_check_diff_shows_no_import_to_new_import_and_would_stage(emulator, tmp_path):
    playbook = tmp_path / "diff.yml"
    playbook.write_text(role_playbook(
        {"name": "One", "sycorr.permission_assist.pa_import_stage": {"application_name": "Treasury Management"}},
        {"name": "Many", "sycorr.permission_assist.pa_import_stage": {"applications": ["HR Portal", "Payments Gateway"]},
         "register": "many"},
        {"ansible.builtin.debug": {"msg": "{{ many.msg }} | {{ many.summary | to_json }}"}}))
    process = subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", "--check", "--diff",
                              str(playbook)], env=ansible_env(emulator), capture_output=True, text=True, timeout=300,
                             check=False)
    out = process.stdout
    assert process.returncode == 0, out + process.stderr
    for name in ("Treasury Management", "HR Portal", "Payments Gateway"):
        assert "--- before: {0}\n+++ after: {0}\n@@ -1 +1 @@\n-no import\n+new import: Pending\n".format(name) in out, out
    assert "would stage 2, reuse 0 of 2 (check mode: nothing was staged)" in out
    summary = json.loads(out.split("(check mode: nothing was staged) | ", 1)[1].split('"\n', 1)[0].replace('\\"', '"'))
    assert summary["staged"] == 0 and summary["would_stage"] == 2
    assert emulator.stats()["imports_created"] == 0

"""Runs each integration target under tests/integration/targets, as a role, against a freshly reset emulator.

Each target is a servicenow.itsm-style task list (check mode, real run, idempotent re-run, failure cases with
ignore_errors); its own asserts decide. Here: the playbook exits 0, the recap shows no failed or unreachable host,
the target ran tasks, and nothing crashed.
"""

import re

import pytest

from pa_testlib import REPO, run_playbook

TARGETS_DIR = REPO / "tests" / "integration" / "targets"
TARGETS = sorted(path.name for path in TARGETS_DIR.iterdir() if (path / "tasks" / "main.yml").is_file()) \
    if TARGETS_DIR.is_dir() else []
# pa_import_stage has none: its cases are in-process (tests/unit/plugins/modules/test_module_stage_and_cancel.py).
EXPECTED = {"pa_import_cancel", "pa_import_info", "pa_application_info", "pa_import_upload"}
RECAP = re.compile(r"^localhost\s*:\s*ok=(\d+)\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)"
                   r"\s+rescued=(\d+)\s+ignored=(\d+)", re.MULTILINE)


def test_targets_found():
    assert TARGETS, "no integration target with tasks/main.yml under {0}".format(TARGETS_DIR)
    assert EXPECTED <= set(TARGETS), "missing targets: {0}".format(sorted(EXPECTED - set(TARGETS)))


@pytest.mark.parametrize("target", TARGETS or [pytest.param(None, marks=pytest.mark.skip("no targets"))])
def test_integration_target(emulator, target, tmp_path):
    playbook = tmp_path / "run.yml"
    playbook.write_text("""
- name: Integration target {0}
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Run the target
      ansible.builtin.include_role:
        name: {0}
""".format(target))
    process = run_playbook(emulator, playbook, env={"ANSIBLE_ROLES_PATH": str(TARGETS_DIR)})
    output = process.stdout + process.stderr
    assert process.returncode == 0, output[-6000:]
    assert "Traceback" not in output, output[-6000:]
    recap = RECAP.findall(output)
    assert len(recap) == 1, output[-6000:]
    ok, unreachable, failed, skipped, rescued, ignored = (int(value) for value in recap[0])
    assert (failed, unreachable, rescued, skipped) == (0, 0, 0, 0), output[-6000:]
    assert ok >= 10, "the target ran only {0} tasks".format(ok)
    # Every failure case (ignore_errors) failed, and nothing else did.
    assert ignored == (TARGETS_DIR / target / "tasks" / "main.yml").read_text().count("ignore_errors: true")

"""Runs each integration target under tests/integration/targets against a freshly reset emulator."""

from pathlib import Path

import pytest

from pa_testlib import REPO, run_playbook

TARGETS = sorted(path.name for path in (REPO / "tests" / "integration" / "targets").iterdir() if path.is_dir())


def test_targets_exist():
    assert {"pa_import_stage", "pa_import_cancel", "pa_import_info", "pa_application_info"} <= set(TARGETS)


@pytest.mark.parametrize("target", TARGETS)
def test_integration_target(emulator, target, tmp_path):
    playbook = tmp_path / "run.yml"
    playbook.write_text("""
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: {0}
""".format(Path(REPO / "tests" / "integration" / "targets" / target)))
    process = run_playbook(emulator, playbook)
    output = process.stdout + process.stderr
    assert process.returncode == 0, output[-4000:]
    assert "failed=0" in output and "Traceback" not in output

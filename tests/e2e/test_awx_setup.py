"""awx/configure_awx.yml: its surveys, the guide, the README and the playbooks agree; it lints with awx.awx installed."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pa_testlib import REPO

BIN = Path(sys.executable).parent
SETUP = REPO / "awx" / "configure_awx.yml"
AWX_COLLECTIONS = REPO / "build" / "awx"
GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_awx.rst"


def survey_defaults(survey):
    """{variable: default} of a survey spec, the default as the playbook would read it (a survey sends strings)."""
    defaults = {}
    for question in survey["spec"]:
        value = question.get("default")
        if question["type"] == "multiplechoice" and value in ("true", "false"):
            value = value == "true"
        defaults[question["variable"]] = value
    return defaults


def playbook_inputs(name):
    play = yaml.safe_load((REPO / "playbooks" / name).read_text())[0]
    return play["vars"]


def guide_survey(template):
    """The ``variable`` names and ``default`` values the guide lists under a job template's survey."""
    section = GUIDE.read_text().split('**Job template "{0}'.format(template), 1)[1].split("\n\n**", 1)[0]
    found = {}
    for line in section.splitlines():
        match = re.match(r"\s*- ``(\w+)`` \(([^)]*)\)", line)
        if match:
            default = re.search(r"default ``([^`]+)``", match.group(2))
            found[match.group(1)] = yaml.safe_load(default.group(1)) if default else None
    return found


@pytest.mark.parametrize("survey, playbook, template", [
    ("stage_survey", "stage_imports.yml", "Stage Permission Assist imports"),
    ("cancel_survey", "cancel_imports.yml", "Cancel Permission Assist imports"),
])
def test_surveys_guide_and_playbooks_name_the_same_inputs_and_defaults(survey, playbook, template):
    setup_vars = yaml.safe_load(SETUP.read_text())[0]["vars"]
    surveyed = survey_defaults(setup_vars[survey])
    inputs = playbook_inputs(playbook)
    assert set(surveyed) <= set(inputs), "survey variables the playbook does not read"
    for variable, default in surveyed.items():
        if default is not None:
            assert inputs[variable] == default, variable
    assert guide_survey(template) == surveyed
    readme = (REPO / "README.md").read_text().split("### AWX job templates and the workflow", 1)[1].split("\n## ", 1)[0]
    for variable in surveyed:
        assert "`{0}`".format(variable) in readme, variable


def test_workflow_rolls_back_with_the_cancel_template_on_failure():
    tasks = {task["name"]: task for task in yaml.safe_load(SETUP.read_text())[0]["tasks"]}
    workflow = next(task["awx.awx.workflow_job_template"] for name, task in tasks.items() if name.startswith("Workflow"))
    nodes = {node["identifier"]: node for node in workflow["workflow_nodes"]}
    assert nodes["stage"]["unified_job_template"]["name"] == "{{ stage_template }}"
    assert nodes["stage"]["related"]["failure_nodes"] == [{"identifier": "roll-back"}]
    assert nodes["roll-back"]["unified_job_template"]["name"] == "{{ cancel_template }}"


def test_setup_playbook_passes_syntax_check_and_ansible_lint_with_awx_awx(tmp_path):
    assert (AWX_COLLECTIONS / "ansible_collections" / "awx" / "awx" / "MANIFEST.json").exists(), \
        "awx.awx missing: run `make awx-collection`"
    env = dict(os.environ, ANSIBLE_HOME=str(tmp_path / "home"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH="{0}:{1}".format(AWX_COLLECTIONS, REPO / "build" / "collections"))
    syntax = subprocess.run([str(BIN / "ansible-playbook"), "--syntax-check", "-i", "localhost,", str(SETUP)],
                            env=env, capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, syntax.stdout + syntax.stderr
    lint = subprocess.run([str(BIN / "ansible-lint"), "--offline", "--profile", "production", "--strict", str(SETUP)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout + lint.stderr

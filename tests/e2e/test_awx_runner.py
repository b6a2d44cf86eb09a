"""A job as AWX runs it: ansible-runner, the credential type's injected environment, survey-style extra vars."""

import json
import sys
from pathlib import Path

import ansible_runner

from pa_awx import credential_type, injected_environment
from pa_testlib import REPO, TOKEN, ansible_env, stage_directly, status_of


def test_credential_type_declares_the_secret_and_injects_every_variable():
    definition = credential_type()
    fields = {field["id"]: field for field in definition["inputs"]["fields"]}
    assert fields["pa_token"]["secret"] is True
    assert set(definition["injectors"]["env"]) == {"PA_URL", "PA_TOKEN", "PA_VALIDATE_CERTS", "PA_CA_PATH"}


def test_stage_imports_job_template_under_ansible_runner(emulator, tmp_path):
    env = ansible_env(emulator)
    for name in ("PA_URL", "PA_TOKEN"):
        env.pop(name)  # they must come from the credential, as in AWX
    env.update(injected_environment({"pa_url": emulator.url, "pa_token": TOKEN}, tmp_path))
    assert env["PA_VALIDATE_CERTS"] == "True"
    env["PATH"] = "{0}:{1}".format(Path(sys.executable).parent, env.get("PATH", ""))
    (tmp_path / "inventory").mkdir()
    (tmp_path / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter={0}\n".format(sys.executable))
    result = ansible_runner.run(
        private_data_dir=str(tmp_path),
        playbook=str(REPO / "playbooks" / "stage_imports.yml"),
        envvars=env,
        extravars={"applications": "Core Banking\nHR Portal\n", "reuse_pending": "true"},  # a survey sends strings
        quiet=True,
    )
    stdout = result.stdout.read()
    assert result.status == "successful" and result.rc == 0, stdout[-3000:]
    assert "staged 2, reused 0, failed 0 of 2" in stdout
    assert emulator.stats()["imports_created"] == 2
    assert TOKEN not in stdout
    for event in result.events:
        assert TOKEN not in str(event)


def runner_job(emulator, private_dir, playbook, extravars):
    """One job as AWX runs it: the credential's injected environment, survey-style extra vars."""
    env = ansible_env(emulator)
    for name in ("PA_URL", "PA_TOKEN"):
        env.pop(name)
    private_dir.mkdir()
    env.update(injected_environment({"pa_url": emulator.url, "pa_token": TOKEN}, private_dir))
    env["PATH"] = "{0}:{1}".format(Path(sys.executable).parent, env.get("PATH", ""))
    (private_dir / "inventory").mkdir()
    (private_dir / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter={0}\n".format(sys.executable))
    return ansible_runner.run(private_data_dir=str(private_dir), playbook=str(REPO / "playbooks" / playbook),
                              envvars=env, extravars=extravars, quiet=True)


def test_workflow_roll_back_cancels_what_the_stage_job_obtained_from_its_artifacts(emulator, tmp_path):
    """Stage (one application fails, so a workflow takes its failure path), then the roll-back fed by the artifacts."""
    bystander = stage_directly(emulator, "Payments Gateway")  # Pending, not this run's: must stay Pending
    survey = {"applications": "HR Portal\nCore Banking\nLegacy Mainframe", "reuse_pending": "false",
              "wait": "false", "wait_timeout": 3600}
    stage = runner_job(emulator, tmp_path / "stage", "stage_imports.yml", survey)
    assert stage.status == "failed" and stage.rc != 0, stage.stdout.read()[-3000:]
    artifacts = next(event["event_data"]["artifact_data"] for event in stage.events
                     if event["event"] == "playbook_on_stats")
    staged = [row["import_id"] for row in artifacts["results"] if row["import_id"]]
    assert len(staged) == 2 and artifacts["summary"]["failed"] == 1
    assert all("application_import" not in row for row in artifacts["results"])
    assert TOKEN not in json.dumps(artifacts)

    # AWX hands the workflow's extra vars and the previous node's artifacts to the roll-back node.
    roll_back = runner_job(emulator, tmp_path / "roll-back", "cancel_imports.yml", dict(survey, **artifacts))
    assert roll_back.status == "successful", roll_back.stdout.read()[-3000:]
    assert sorted(status_of(emulator, import_id) for import_id in staged) == ["Canceling", "Canceling"]
    assert status_of(emulator, bystander["id"]) == "Pending"


def test_stage_job_with_wait_publishes_the_final_statuses_as_artifacts(emulator, tmp_path):
    """With wait the artifacts are published before the wait (as staged) and again at its end: the job's are final."""
    survey = {"applications": "HR Portal, Core Banking", "wait": "true", "wait_timeout": 3}  # the build job is paused
    stage = runner_job(emulator, tmp_path / "stage", "stage_imports.yml", survey)
    assert stage.status == "failed", stage.stdout.read()[-3000:]
    artifacts = next(event["event_data"]["artifact_data"] for event in stage.events
                     if event["event"] == "playbook_on_stats")
    assert artifacts["summary"]["timed_out"] == 2 and artifacts["summary"]["failed"] == 2, artifacts
    assert [(row["status"], row["failed"]) for row in artifacts["results"]] == [("Pending", True)] * 2, artifacts

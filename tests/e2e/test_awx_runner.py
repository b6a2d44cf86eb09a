"""A job as AWX runs it: ansible-runner, the credential type's injected environment, survey-style extra vars."""

import sys
from pathlib import Path

import ansible_runner

from pa_awx import credential_type, injected_environment
from pa_testlib import REPO, TOKEN, ansible_env

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

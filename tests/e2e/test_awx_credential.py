"""The credential type's CA field, end to end: AWX writes it to a file and exports PA_CA_PATH; a job under
ansible-runner then trusts an HTTPS server signed by that private CA (made at test time)."""

import sys
from pathlib import Path

import ansible_runner
import pytest

from pa_awx import injected_environment
from pa_testlib import REPO, TOKEN, ansible_env, run_module
from pa_tls import start_https_emulator


@pytest.fixture(scope="module")
def https_emulator(tmp_path_factory):
    server = start_https_emulator(tmp_path_factory.mktemp("tls"), worker_paused=False, build_seconds=0.3)
    yield server
    server.stop()


def job_environment(emulator, inputs, private_dir):
    env = ansible_env(emulator)
    for name in ("PA_URL", "PA_TOKEN"):
        env.pop(name)  # they must come from the credential, as in AWX
    env.update(injected_environment(dict(inputs, pa_url=emulator.url, pa_token=TOKEN), private_dir))
    env["PATH"] = "{0}:{1}".format(Path(sys.executable).parent, env.get("PATH", ""))
    return env


def test_ca_certificate_field_makes_a_private_ca_trusted_under_ansible_runner(https_emulator, tmp_path):
    env = job_environment(https_emulator, {"ca_cert": Path(https_emulator.ca_path).read_text()}, tmp_path)
    assert Path(env["PA_CA_PATH"]).read_text() == Path(https_emulator.ca_path).read_text()
    (tmp_path / "inventory").mkdir()
    (tmp_path / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter={0}\n".format(sys.executable))
    before = https_emulator.stats()["imports_created"]
    result = ansible_runner.run(private_data_dir=str(tmp_path), playbook=str(REPO / "playbooks" / "stage_imports.yml"),
                                envvars=env, extravars={"applications": "HR Portal", "reuse_pending": "false"},
                                quiet=True)
    stdout = result.stdout.read()
    assert result.status == "successful" and result.rc == 0, stdout[-3000:]
    assert https_emulator.stats()["imports_created"] == before + 1
    assert TOKEN not in stdout and "BEGIN CERTIFICATE" not in stdout


def test_without_the_ca_field_the_system_bundle_is_used_and_the_private_ca_is_refused(https_emulator, tmp_path):
    env = job_environment(https_emulator, {}, tmp_path)
    assert env["PA_CA_PATH"] == ""  # an empty CA field: no file named, the system CA bundle
    run = run_module(https_emulator, "pa_application_info", {"name": "HR Portal"},
                     env={key: env[key] for key in ("PA_URL", "PA_TOKEN", "PA_VALIDATE_CERTS", "PA_CA_PATH")})
    assert run["failed"] is True and run["request_sent"] is False, run.output
    assert "CERTIFICATE_VERIFY_FAILED" in run["msg"]

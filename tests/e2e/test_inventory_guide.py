"""The inventory guide's inventory and playbook, as the guide shows them, over two emulators (issue 24).

Two servers with different tokens and data: each host must stage on its own server, with its own vaulted token, the
applications the lookup selects there (``query('sycorr.permission_assist.applications', 'HR *',
priority='Critical')``). No PA_* variable is set: the connection comes from the inventory alone.
"""

import json
import re
import subprocess

import pytest

from doc_examples import rst_examples
from pa_testlib import BIN, REPO, TOKEN, ansible_env, start_emulator

GUIDE = REPO / "docs" / "docsite" / "rst" / "guide_inventory.rst"
PROD_URL = "https://pa.example.com"
DR_URL = "https://pa-dr.example.com"
DR_TOKEN = "pa_test_dr_fedcba9876543210"
WRONG_TOKEN = "pa_test_wrong_5566778899"
VAULT_PASSWORD = "guide-vault-password"
HR_PORTAL = "1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64"
TREASURY = "4d2c8e61-7f3a-4b59-9e12-6a0b4c8d1f37"


def guide_examples():
    """(the inventory's text, the playbook's text) from the guide: the runner marks both not-run; this test runs them."""
    examples = rst_examples(GUIDE)
    inventory = [example for example in examples if isinstance(example.data, dict) and "pa_servers" in example.data]
    playbooks = [example for example in examples if example.kind == "playbook"]
    assert len(inventory) == 1 and len(playbooks) == 1, "the guide should show one inventory and one playbook"
    return inventory[0].text, playbooks[0].text


def change_application(emulator, application_id, **fields):
    """Seed data differ per server: rename an application or change its priority (the emulator's own store)."""
    with emulator.store.lock:
        emulator.store.applications[application_id].update(fields)


def api_imports(emulator):
    """(application id, status) of every import the run created on ``emulator``."""
    with emulator.store.lock:
        return sorted((record["applicationId"], record["status"]) for record in emulator.store.imports.values()
                      if record["type"].lower() == "api")


@pytest.fixture
def servers():
    prod = start_emulator(worker_paused=True)
    dr = start_emulator(tokens={DR_TOKEN: "DR Tests"}, worker_paused=True)
    # Prod: HR Portal is Critical. DR: HR Portal too, and Treasury Management is "HR Payroll", Critical.
    change_application(prod, HR_PORTAL, priority="Critical")
    change_application(dr, HR_PORTAL, priority="Critical")
    change_application(dr, TREASURY, name="HR Payroll", priority="Critical")
    yield prod, dr
    prod.stop()
    dr.stop()


def write_project(workdir, prod, dr, dr_token):
    """The guide's inventory and playbook, the servers' URLs put in (DR's templated from a host variable, as an
    inventory may write it), and host_vars/<host>.yml holding each vaulted token, as the guide's commands make them."""
    inventory, playbook = guide_examples()
    dr_port = dr.url.rsplit(":", 1)[1]
    inventory = inventory.replace(PROD_URL, prod.url).replace(DR_URL, "http://127.0.0.1:{{ dr_port }}")
    (workdir / "inventory.yml").write_text(inventory)
    (workdir / "stage_hr.yml").write_text(playbook)
    (workdir / "vault-password").write_text(VAULT_PASSWORD + "\n")
    host_vars = workdir / "host_vars"
    host_vars.mkdir(exist_ok=True)
    for host, token, extra in (("pa-prod", TOKEN, ""), ("pa-dr", dr_token, "dr_port: {0}\n".format(dr_port))):
        encrypted = subprocess.run(
            [str(BIN / "ansible-vault"), "encrypt_string", "--vault-password-file", str(workdir / "vault-password"),
             "--name", "pa_token", token], capture_output=True, text=True, check=True).stdout
        assert token not in encrypted
        (host_vars / (host + ".yml")).write_text(encrypted + extra)


def run_guide(workdir, prod, verbosity=0):
    env = ansible_env(prod)
    del env["PA_URL"], env["PA_TOKEN"]
    cmd = [str(BIN / "ansible-playbook"), "-i", "inventory.yml", "--vault-password-file", "vault-password",
           "stage_hr.yml"]
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    process = subprocess.run(cmd, env=env, cwd=str(workdir), capture_output=True, text=True, timeout=600,
                             check=False)
    return process, process.stdout + process.stderr


def recap(output):
    """{host: {ok: N, changed: N, failed: N, ...}} from the PLAY RECAP."""
    hosts = {}
    for host, counts in re.findall(r"^(pa-\w+)\s+:\s+(.*)$", output, re.MULTILINE):
        hosts[host] = dict((key, int(value)) for key, value in re.findall(r"(\w+)=(\d+)", counts))
    return hosts


def test_each_host_stages_what_the_lookup_selects_on_its_own_server(servers, tmp_path):
    prod, dr = servers
    write_project(tmp_path, prod, dr, DR_TOKEN)

    process, output = run_guide(tmp_path, prod)
    assert process.returncode == 0, output[-6000:]
    assert api_imports(prod) == [(HR_PORTAL, "Pending")]
    assert api_imports(dr) == sorted([(HR_PORTAL, "Pending"), (TREASURY, "Pending")])
    assert "HR Payroll: import #" in output and "HR Portal: import #" in output
    pending = [sorted(json.loads(match)) for match in re.findall(r'"msg": (\[[^\]]*\])', output)]
    assert ["HR Portal"] in pending and ["HR Payroll", "HR Portal"] in pending  # the imports lookup, per host
    assert "Traceback" not in output

    # -vvvv: the Pending imports are reused, and no token shows, whatever ansible prints at that verbosity.
    process, output = run_guide(tmp_path, prod, verbosity=4)
    assert process.returncode == 0, output[-6000:]
    assert len(api_imports(prod)) == 1 and len(api_imports(dr)) == 2
    assert "ESTABLISH LOCAL CONNECTION" in output  # -vvv and more
    for token in (TOKEN, DR_TOKEN):
        assert token not in output


def test_a_wrong_token_fails_its_host_alone_in_one_line(servers, tmp_path):
    prod, dr = servers
    write_project(tmp_path, prod, dr, WRONG_TOKEN)
    for verbosity in (0, 4):
        process, output = run_guide(tmp_path, prod, verbosity)
        assert process.returncode != 0
        hosts = recap(output)
        assert hosts["pa-dr"]["failed"] == 1 and hosts["pa-prod"]["failed"] == 0, output[-6000:]
        for token in (TOKEN, DR_TOKEN, WRONG_TOKEN):
            assert token not in output
        assert "Traceback" not in output
        if verbosity == 0:
            failure = [line for line in output.splitlines() if line.startswith("fatal: [pa-dr]")]
            assert len(failure) == 1
            assert re.search(r"GET /applications failed: HTTP 401 unauthorized: Invalid or expired authentication "
                             r"token \[correlationId \w+\] \(Permission Assist at http://127\.0\.0\.1:\d+\)",
                             failure[0]), failure[0]
    assert api_imports(prod) == [(HR_PORTAL, "Pending")]
    assert api_imports(dr) == []


def ready_playbook_command():
    """The guide's command that runs the ready stage playbook over the inventory, its vault password from the file."""
    commands = [example for example in rst_examples(GUIDE)
                if example.kind == "shell" and "sycorr.permission_assist.stage_imports" in example.text]
    assert len(commands) == 1, "the guide should show one command running the ready stage playbook"
    command = commands[0].commands().replace("--ask-vault-pass", "--vault-password-file vault-password")
    assert "--vault-password-file" in command
    return command


def run_ready_playbook(workdir, prod, *args):
    env = ansible_env(prod)
    del env["PA_URL"], env["PA_TOKEN"]
    env["PATH"] = str(BIN) + ":" + env.get("PATH", "")
    process = subprocess.run(["bash", "-e", "-c", ready_playbook_command().rstrip("\n") + " " + " ".join(args)],
                             env=env, cwd=str(workdir), capture_output=True, text=True, timeout=600, check=False)
    return process, process.stdout + process.stderr


def test_the_ready_stage_playbook_runs_over_the_inventory_with_a_pattern_and_priority(servers, tmp_path):
    prod, dr = servers
    write_project(tmp_path, prod, dr, DR_TOKEN)

    process, output = run_ready_playbook(tmp_path, prod, "--check")
    assert process.returncode == 0, output[-6000:]
    assert api_imports(prod) == [] and api_imports(dr) == []
    assert (tmp_path / "report-pa-prod.json").exists(), output[-6000:]
    checked = dict((host, json.loads((tmp_path / "report-{0}.json".format(host)).read_text()))
                   for host in ("pa-prod", "pa-dr"))
    assert [row["application_name"] for row in checked["pa-prod"]["results"]] == ["HR Portal"]
    assert sorted(row["application_name"] for row in checked["pa-dr"]["results"]) == ["HR Payroll", "HR Portal"]
    assert checked["pa-dr"]["summary"]["would_stage"] == 2

    process, output = run_ready_playbook(tmp_path, prod)
    assert process.returncode == 0, output[-6000:]
    assert api_imports(prod) == [(HR_PORTAL, "Pending")]
    assert api_imports(dr) == sorted([(HR_PORTAL, "Pending"), (TREASURY, "Pending")])
    report = json.loads((tmp_path / "report-pa-dr.json").read_text())
    assert report["summary"]["staged"] == 2 and report["error"] is None
    for token in (TOKEN, DR_TOKEN):
        assert token not in output

    # One report file for both hosts: refused on each, before any request.
    process, output = run_ready_playbook(tmp_path, prod, "-e", "report_path=$PWD/shared.json")
    assert process.returncode != 0
    assert "/shared.json' is the same file for each of the play's 2 hosts" in output
    assert len(api_imports(prod)) == 1 and len(api_imports(dr)) == 2

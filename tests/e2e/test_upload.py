"""pa_import_upload and the stage_imports role's `files:` items through ansible-playbook: what Ansible adds.

The module's logic table is in tests/unit/plugins/modules/test_pa_import_upload.py (in-process). Here: the action
group's module_defaults, delegate_to localhost for controller files, check mode with --diff, no token in output, the
role with staged and uploaded items in one run and a wait, and the memory bound of a 300 MB upload (peak RSS of the
whole ansible-playbook run, children included, as /usr/bin/time -v reports it).
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from pa_testlib import BIN, TOKEN, ansible_env, include_role, role_playbook, run_playbook

CARD_ISSUING = "c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45"
USERS = "3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38"
UPLOAD_ROUTE = "POST /api/application-imports/upload"
MEMORY_BOUND_MB = 200
SUMMARY = "summary={{ [checked.changed, checked.predicted, uploaded.changed, again.changed, again.reused] | join(',') }}"
BIG_FILE_MB = 300


def extracts(tmp_path):
    users = tmp_path / "users_20260302.csv"
    users.write_text("id,name\n1,Ann\n")
    roles = tmp_path / "roles_20260302.csv"
    roles.write_text("id,role\n1,teller\n")
    return {"Users": str(users), "Roles": str(roles)}


def playbook(tmp_path, plays):
    path = tmp_path / "upload.yml"
    path.write_text(json.dumps(plays, indent=2))
    return path


def test_module_defaults_delegation_check_diff_and_reuse_through_ansible(emulator, tmp_path):
    files = extracts(tmp_path)
    task = {"sycorr.permission_assist.pa_import_upload": {"application_name": "Card Issuing", "files": files},
            "delegate_to": "localhost"}
    plays = [{
        "hosts": "all", "gather_facts": False,
        "module_defaults": {"group/sycorr.permission_assist.all": {"pa_url": emulator.url, "pa_token": TOKEN}},
        "tasks": [
            dict(task, name="Check first", check_mode=True, diff=True, register="checked"),
            dict(task, name="Upload", register="uploaded"),
            dict(task, name="Upload again", register="again"),
            {"name": "Show", "ansible.builtin.debug": {"msg": SUMMARY}},
        ]}]
    # A remote-looking inventory host: delegate_to localhost is what reads the files on the controller.
    inventory = tmp_path / "hosts"
    inventory.write_text("db01 ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh\n")  # never reached
    env = ansible_env(emulator)
    del env["PA_URL"], env["PA_TOKEN"]  # the group's module_defaults carry the connection
    process = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(inventory), "-v", str(playbook(tmp_path, plays))],
                             env=env, capture_output=True, text=True, timeout=300, check=False)
    output = process.stdout + process.stderr
    assert process.returncode == 0, output
    assert "summary=True,True,True,False,True" in output, output
    assert "-no import\n+new import: Pending" in output  # the --diff of the check-mode task
    assert TOKEN not in output
    stats = emulator.stats()
    assert stats["requests"][UPLOAD_ROUTE] == 1 and stats["uploads"] == 1


def test_bad_path_fails_in_one_line_before_any_request(emulator, tmp_path):
    plays = [{"hosts": "localhost", "gather_facts": False, "tasks": [{
        "sycorr.permission_assist.pa_import_upload": {"application_id": CARD_ISSUING,
                                                      "files": {"Users": str(tmp_path / "missing.csv")}}}]}]
    process = run_playbook(emulator, playbook(tmp_path, plays))
    assert process.returncode != 0
    assert re.search(r"files\.Users: \S+missing\.csv: No such file or directory", process.stdout), process.stdout
    assert "Traceback" not in process.stdout + process.stderr
    assert emulator.stats()["total"] == 0


def test_role_stages_and_uploads_in_one_run_and_waits_for_both(emulator, tmp_path):
    emulator.set_worker(paused=False, build_seconds=0.2)
    apps = ["HR Portal", {"name": "Card Issuing", "files": extracts(tmp_path)}]
    report = tmp_path / "results.json"
    text = role_playbook(
        include_role("stage_imports", stage_imports_applications=apps, stage_imports_wait=True,
                     stage_imports_poll_interval=0.2, stage_imports_progress_interval=0),
        {"ansible.builtin.copy": {"content": "{{ stage_imports_results | to_json }}", "dest": str(report),
                                  "mode": "0600"}})
    path = tmp_path / "role.yml"
    path.write_text(text)
    process = run_playbook(emulator, path)
    output = process.stdout + process.stderr
    assert process.returncode == 0, output
    assert re.search(r'"HR Portal: import #\d+ Pending, staged"', output), output
    assert re.search(r'"Card Issuing: import #\d+ Pending, uploaded"', output), output
    results = json.loads(report.read_text())
    assert [(row["application_name"], row["status"], row["wait"]) for row in results] == [
        ("HR Portal", "Finished", "finished"), ("Card Issuing", "Finished", "finished")]
    assert sorted(item["name"] for item in results[1]["application_import"]["files"]) == [
        "roles_20260302.csv", "users_20260302.csv"]
    assert emulator.stats()["uploads"] == 1


def test_a_300_mb_upload_keeps_the_runs_peak_memory_under_200_mb(emulator, tmp_path):
    """One run, measured as /usr/bin/time -v's "Maximum resident set size" (the largest of the ansible-playbook
    process and the workers and module processes it waited for). The file is written sparse, never held in memory."""
    time_bin = Path("/usr/bin/time")
    assert time_bin.exists(), "this test needs GNU time (/usr/bin/time, Debian package 'time')"
    big = tmp_path / "users_big.csv"
    with open(big, "wb") as handle:
        handle.write(b"id,name\n")
        handle.truncate(BIG_FILE_MB * 1024 * 1024)
    roles = tmp_path / "roles.csv"
    roles.write_text("id,role\n")
    plays = [{"hosts": "localhost", "gather_facts": False, "tasks": [{
        "sycorr.permission_assist.pa_import_upload": {"application_id": CARD_ISSUING,
                                                      "files": {USERS: str(big), "Roles": str(roles)},
                                                      "request_timeout": 120}}]}]
    cmd = [str(time_bin), "-v", str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local",
           str(playbook(tmp_path, plays))]
    process = subprocess.run(cmd, env=ansible_env(emulator), capture_output=True, text=True, timeout=600, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", process.stderr).group(1))
    print("peak RSS of the run: {0:.1f} MB for a {1} MB upload".format(peak_kb / 1024.0, BIG_FILE_MB))
    assert emulator.stats()["upload_bytes"] > BIG_FILE_MB * 1024 * 1024  # the whole file reached the server
    assert peak_kb < MEMORY_BOUND_MB * 1024, "peak RSS {0} kB".format(peak_kb)


@pytest.mark.parametrize("check", [False, True])
def test_survey_playbook_keeps_working_with_and_without_files(emulator, tmp_path, check):
    report = tmp_path / "report.json"
    process = run_playbook(emulator, "sycorr.permission_assist.stage_imports", check=check, extra_vars={
        "applications": ["HR Portal", {"name": "Card Issuing", "files": extracts(tmp_path)}],
        "report_path": str(report)})
    assert process.returncode == 0, process.stdout + process.stderr
    summary = json.loads(report.read_text())["summary"]
    assert summary["requested"] == 2 and summary["failed"] == 0
    assert emulator.stats()["uploads"] == (0 if check else 1)
    plain = run_playbook(emulator, "sycorr.permission_assist.stage_imports", extra_vars={"applications": "HR Portal"})
    assert plain.returncode == 0, plain.stdout

"""The shipped rulebook run by the real ansible-rulebook CLI against the emulator, with the installed collection.

`make eda-tests` builds and installs the collection and makes sure there is a Java runtime (tools/eda/ensure_java.sh)
first; a missing ansible-rulebook or Java fails here, saying so: this test is never skipped.
"""

import json
import os
import shutil
import signal
import subprocess

import pytest
import requests

from pa_testlib import BIN, REPO, TOKEN, ansible_env, imports_of, running, stage_directly, wait_until

RULEBOOK = "sycorr.permission_assist.import_failed"


def rulebook_env(emulator):
    env = ansible_env(emulator)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")  # ansible-playbook and ansible-galaxy of the venv
    return env


@pytest.fixture
def rulebook(emulator, tmp_path):
    """Start ``ansible-rulebook`` with the shipped rulebook; yields (process, output file, report folder)."""
    assert (BIN / "ansible-rulebook").exists(), "ansible-rulebook is not installed in {0} (requirements-dev.txt)".format(BIN)
    assert shutil.which("java") or os.environ.get("JAVA_HOME"), \
        "ansible-rulebook needs a Java runtime: run tools/eda/ensure_java.sh (make eda-tests does)"
    assert (REPO / "build" / "collections" / "ansible_collections" / "sycorr" / "permission_assist" / "extensions"
            ).is_dir(), "the collection is not built: run make build"
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "vars.yml").write_text(json.dumps({"pa_interval": 0.5, "restage_failed": True,
                                                   "report_dir": str(reports)}))
    (tmp_path / "inventory.yml").write_text(json.dumps({"all": {"hosts": {"localhost": {
        "ansible_connection": "local"}}}}))
    output = tmp_path / "rulebook.log"
    with open(output, "w") as log:
        process = subprocess.Popen(
            [str(BIN / "ansible-rulebook"), "--rulebook", RULEBOOK, "--inventory", str(tmp_path / "inventory.yml"),
             "--vars", str(tmp_path / "vars.yml"), "--verbose"],
            env=rulebook_env(emulator), cwd=str(tmp_path), stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, output, reports
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def list_reads(emulator):
    return emulator.stats()["requests"].get("GET /api/application-imports", 0)


def test_the_rulebook_reports_a_failed_import_restages_it_once_and_says_a_finished_one(emulator, rulebook):
    process, output, reports = rulebook
    # The source took its baseline (page 1 and the last page) before anything happens.
    wait_until(lambda: list_reads(emulator) >= 3 or process.poll() is not None, timeout=120)
    assert process.poll() is None, output.read_text()

    # Data Warehouse's builds fail, and so did the import before this one: reported, not re-staged.
    # HR Portal's import is canceled while running and its build fails first (the emulator's cancel_race): reported
    # and re-staged once; the new import finishes, which the rulebook's second rule says.
    hr_failing = running(emulator, "HR Portal")
    emulator.set_worker(build_seconds=0.3, cancel_race="failed")
    warehouse = stage_directly(emulator, "Data Warehouse")
    response = emulator_cancel(emulator, hr_failing["id"])
    assert response.status_code == 200, response.text

    hr_report = reports / "failed-import-{0}.json".format(hr_failing["number"])
    warehouse_report = reports / "failed-import-{0}.json".format(warehouse["number"])
    wait_until(lambda: (hr_report.exists() and warehouse_report.exists()) or process.poll() is not None,
               timeout=180)
    assert process.poll() is None, output.read_text()

    warehouse_seen = json.loads(warehouse_report.read_text())
    assert warehouse_seen["import"]["id"] == warehouse["id"]
    assert warehouse_seen["import"]["status"] == "Failed" and warehouse_seen["import"]["previous_status"] in (
        None, "Pending", "Running")
    assert warehouse_seen["import"]["cause"] == "the user extract has 0 rows; import stopped."
    assert warehouse_seen["restaged"] is None

    hr_seen = json.loads(hr_report.read_text())
    assert hr_seen["import"]["id"] == hr_failing["id"] and hr_seen["import"]["status"] == "Failed"
    restaged = hr_seen["restaged"]
    assert restaged["application"]["name"] == "HR Portal" and restaged["number"] > warehouse["number"]

    finished_line = "import #{0} of HR Portal finished".format(restaged["number"])
    wait_until(lambda: finished_line in output.read_text() or process.poll() is not None, timeout=120)
    log = output.read_text()
    assert finished_line in log
    assert "import #{0} ({1}) of Data Warehouse failed: the user extract has 0 rows".format(
        warehouse["number"], warehouse["id"]) in log
    before = max(row["number"] for row in imports_of(emulator, warehouse["application"]["id"])
                 if row["number"] < warehouse["number"])
    assert "not re-staged: the import before it, #{0}, failed too".format(before) in log
    assert "re-staged HR Portal: import #{0} Pending".format(restaged["number"]) in log
    # Once: the two failures staged one import between them (ours were staged directly, before the rulebook acted).
    assert emulator.stats()["imports_created"] == 3
    assert TOKEN not in log

    process.send_signal(signal.SIGTERM)
    process.wait(60)


def test_a_wrong_token_ends_the_rulebook_with_one_clear_error(emulator, tmp_path):
    env = rulebook_env(emulator)
    env["PA_TOKEN"] = "pa_wrong_token_0000"
    (tmp_path / "inventory.yml").write_text(json.dumps({"all": {"hosts": {"localhost": {
        "ansible_connection": "local"}}}}))
    process = subprocess.run([str(BIN / "ansible-rulebook"), "--rulebook", RULEBOOK,
                              "--inventory", str(tmp_path / "inventory.yml")],
                             env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=300, check=False)
    log = process.stdout + process.stderr
    assert process.returncode != 0, log
    assert ("SourceStopped: sycorr.permission_assist.import_events: GET /application-imports failed: HTTP 401 "
            "unauthorized: Invalid or expired authentication token") in log
    assert "check pa_token (PA_TOKEN)" in log
    assert "pa_wrong_token_0000" not in log
    assert list_reads(emulator) == 1, "a 401 is not retried"


def emulator_cancel(emulator, import_id):
    return requests.post(emulator.url + "/api/application-imports/cancel", json={"applicationImportId": import_id},
                         headers={"Authorization": "Bearer " + TOKEN}, timeout=10)

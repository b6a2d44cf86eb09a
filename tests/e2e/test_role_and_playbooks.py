"""The stage_imports role and the job-template playbooks, through ansible-playbook against the emulator."""

import json

from pa_testlib import REPO, application_id, include_role, role_playbook, run_playbook

STAGE = REPO / "playbooks" / "stage_imports.yml"
CANCEL = REPO / "playbooks" / "cancel_imports.yml"


def test_playbook_stages_from_a_survey_string_and_writes_the_report(emulator, tmp_path):
    report = tmp_path / "report.json"
    core = application_id(emulator, "Core Banking")
    apps = "{0}, HR Portal\nPayments Gateway,,".format(core.upper())
    process = run_playbook(emulator, STAGE, {"applications": apps, "report_path": str(report)})
    assert process.returncode == 0, process.stdout + process.stderr
    data = json.loads(report.read_text())
    assert [row["application_name"] for row in data["results"]] == ["Core Banking", "HR Portal", "Payments Gateway"]
    assert data["results"][0]["application_id"] == core
    assert all(row["status"] == "Pending" and row["changed"] and not row["failed"] for row in data["results"])
    assert data["summary"] == {"requested": 3, "staged": 3, "reused": 0, "failed": 0,
                               "not_attempted": 0}
    assert emulator.stats()["imports_created"] == 3

    again = tmp_path / "again.json"
    process = run_playbook(emulator, STAGE, {"applications": apps, "report_path": str(again)})
    assert process.returncode == 0
    assert json.loads(again.read_text())["summary"] == {
        "requested": 3, "staged": 0, "reused": 3, "failed": 0, "not_attempted": 0}
    assert emulator.stats()["imports_created"] == 3


def test_one_failure_does_not_stop_the_others_and_the_exit_status_says_so(emulator, tmp_path):
    report = tmp_path / "report.json"
    process = run_playbook(emulator, STAGE, {"applications": ["Core Banking", "Card Issuing", "Reporting", "HR Portal"],
                                             "report_path": str(report)})
    assert process.returncode != 0
    assert "Traceback" not in process.stdout + process.stderr
    data = json.loads(report.read_text())
    failed = {row["application_name"]: row["msg"] for row in data["results"] if row["failed"]}
    assert set(failed) == {"Card Issuing", "Reporting"}
    assert "HTTP 422" in failed["Card Issuing"] and "2 active applications" in failed["Reporting"]
    assert data["summary"] == {"requested": 4, "staged": 2, "reused": 0, "failed": 2,
                               "not_attempted": 0}
    assert emulator.stats()["imports_created"] == 2


def test_role_fails_at_the_end_unless_told_not_to(emulator, tmp_path):
    playbook = tmp_path / "role.yml"
    playbook.write_text(role_playbook(
        include_role("stage_imports", stage_imports_fail_on_error="{{ fail_on_error }}", stage_imports_applications=[
            {"name": "Legacy Mainframe"}, {"name": "Treasury Management", "reuse_pending": False}]),
        {"ansible.builtin.assert": {"that": [
            "stage_imports_results | length == 2",
            "stage_imports_results[0].failed",
            "stage_imports_results[1].import_id is string",
            "stage_imports_summary.failed == 1",
        ]}}))
    tolerant = run_playbook(emulator, playbook, {"fail_on_error": False})
    assert tolerant.returncode == 0, tolerant.stdout + tolerant.stderr
    strict = run_playbook(emulator, playbook, {"fail_on_error": True})
    assert strict.returncode != 0 and "1 of 2 application(s) failed" in strict.stdout


def test_bad_item_fails_before_any_request(emulator, tmp_path):
    before = emulator.stats()["total"]
    process = run_playbook(emulator, STAGE, {"applications": [{"id": "nope"}]})
    assert process.returncode != 0
    assert "applications[0].id" in process.stdout and "Traceback" not in process.stdout + process.stderr
    assert emulator.stats()["total"] == before


def test_cancel_playbook_loops_over_registered_results(emulator, tmp_path):
    report = tmp_path / "report.json"
    run_playbook(emulator, STAGE, {"applications": "HR Portal, Treasury Management", "report_path": str(report)})
    ids = [row["import_id"] for row in json.loads(report.read_text())["results"]]
    cancel_report = tmp_path / "cancel.json"
    process = run_playbook(emulator, CANCEL, {"import_ids": ",".join(ids), "report_path": str(cancel_report)})
    assert process.returncode == 0, process.stdout
    results = json.loads(cancel_report.read_text())["results"]
    assert [row["status"] for row in results] == ["Canceling", "Canceling"] and all(row["changed"] for row in results)
    process = run_playbook(emulator, CANCEL, {"import_ids": ids, "report_path": str(cancel_report)})
    assert process.returncode == 0
    assert not any(row["changed"] for row in json.loads(cancel_report.read_text())["results"])


def test_cancel_role_takes_stage_results_including_failed_entries(emulator, tmp_path):
    playbook = tmp_path / "rollback.yml"
    cancel = include_role("cancel_imports", cancel_imports_imports="{{ stage_imports_results }}")
    playbook.write_text(role_playbook(
        include_role("stage_imports", stage_imports_fail_on_error=False, stage_imports_applications=[
            {"name": "HR Portal"}, {"name": "Card Issuing"}, {"name": "Payments Gateway"}]),
        cancel,
        {"ansible.builtin.assert": {"that": [
            "cancel_imports_summary == {'requested': 2, 'canceled': 2, 'unchanged': 0, 'failed': 0}",
            "cancel_imports_results | map(attribute='status') | unique == ['Canceling']",
            "cancel_imports_results | map(attribute='application_name') | list == ['HR Portal', 'Payments Gateway']",
        ]}},
        cancel,
        {"ansible.builtin.assert": {"that": [
            "cancel_imports_summary.canceled == 0",
            "cancel_imports_summary.unchanged == 2",
        ]}}))
    process = run_playbook(emulator, playbook)
    assert process.returncode == 0, process.stdout[-4000:]

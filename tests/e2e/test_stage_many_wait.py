"""stage_imports_wait: the role and the job-template playbook wait for every import, through ansible-playbook.

The installed collection runs against the emulator (reset, build job paused, before each test; each test starts the
job itself). The batch wait's own cases (timeouts, a failed poll, request counts, check mode) are module logic,
tested in-process: tests/unit/plugins/modules/test_module_stage_many_wait.py.
"""

import json

from pa_testlib import REPO, api_get, include_role, role_playbook, run_playbook

SINGLE_ROUTE = "GET /api/application-imports/{id}"
ROLE_PLAYBOOK = role_playbook({
    "block": [include_role("stage_imports", stage_imports_applications="{{ apps }}", stage_imports_reuse_pending=False,
                           stage_imports_wait=True, stage_imports_wait_timeout=60, stage_imports_poll_interval=0.2)],
    "rescue": [{"ansible.builtin.set_fact": {"failed_task": "{{ ansible_failed_task.name }}"}}],
    "always": [{"ansible.builtin.copy": {
        "content": "{{ {'results': stage_imports_results, 'summary': stage_imports_summary,"
                   " 'failed_task': failed_task | default('')} | to_json }}",
        "dest": "{{ report }}", "mode": "0600"}}],
})


def run_role(emulator, tmp_path, apps):
    playbook = tmp_path / "wait.yml"
    playbook.write_text(ROLE_PLAYBOOK)
    report = tmp_path / "report.json"
    process = run_playbook(emulator, playbook, {"apps": apps, "report": str(report)})
    return process, json.loads(report.read_text())


def requests(emulator, route):
    return emulator.stats()["requests"].get(route, 0)


def test_role_waits_until_all_finish_and_records_final_statuses(emulator, tmp_path):
    emulator.set_worker(paused=False, build_seconds=0.3)
    process, data = run_role(emulator, tmp_path, [{"name": "HR Portal"}, {"name": "Payments Gateway"},
                                                  {"name": "Treasury Management"}])
    assert process.returncode == 0 and data["failed_task"] == "", process.stdout[-3000:]
    assert requests(emulator, SINGLE_ROUTE) == 3  # one full read per import that ended; none found missing
    results = data["results"]
    assert [row["status"] for row in results] == ["Finished"] * 3
    assert all(row["wait"] == "finished" and not row["failed"] and row["changed"] for row in results)
    assert all(row["application_import"]["metrics"] for row in results)  # the full record, read once it ended
    assert all(api_get(emulator, "/application-imports/" + row["import_id"])["status"] == "Finished" for row in results)
    assert data["summary"] == {"requested": 3, "staged": 3, "reused": 0, "failed": 0, "not_attempted": 0, "finished": 3,
                               "failed_build": 0, "canceled": 0, "timed_out": 0, "wait_error": 0}


def test_one_failed_build_fails_that_item_with_its_log_tail_and_the_role_at_the_end(emulator, tmp_path):
    emulator.set_worker(paused=False, build_seconds=0.3)
    process, data = run_role(emulator, tmp_path, [{"name": "HR Portal"}, {"name": "Data Warehouse"},
                                                  {"name": "Payments Gateway"}])
    assert process.returncode == 0, process.stdout[-3000:]  # the test playbook rescues the role's failure
    assert data["failed_task"].startswith("Fail when an application")  # fail-at-end, after every result was set
    hr, warehouse, payments = data["results"]
    assert hr["status"] == payments["status"] == "Finished" and not hr["failed"] and not payments["failed"]
    assert warehouse["failed"] and warehouse["wait"] == "failed_build" and warehouse["changed"]
    assert warehouse["status"] == "Failed" and "failed" in warehouse["msg"]
    assert warehouse["log_tail"] == warehouse["application_import"]["log"].splitlines()[-20:]
    assert warehouse["log_tail"][-1].startswith("Error")
    summary = data["summary"]
    assert (summary["staged"], summary["failed"], summary["finished"], summary["failed_build"]) == (3, 1, 2, 1)


def test_job_template_playbook_waits_when_asked_and_exits_non_zero_on_a_failed_build(emulator, tmp_path):
    emulator.set_worker(paused=False, build_seconds=0.3)
    report = tmp_path / "report.json"
    process = run_playbook(emulator, REPO / "playbooks" / "stage_imports.yml", {
        "applications": "HR Portal, Data Warehouse", "wait": "true", "wait_timeout": "60",
        "report_path": str(report)})
    assert process.returncode != 0
    data = json.loads(report.read_text())
    assert [row["status"] for row in data["results"]] == ["Finished", "Failed"]
    assert data["summary"]["finished"] == 1 and data["summary"]["failed_build"] == 1

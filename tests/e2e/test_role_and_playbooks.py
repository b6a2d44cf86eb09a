"""The stage_imports role and the job-template playbooks, through ansible-playbook against the emulator."""

import json
import os
import subprocess

import pytest

from pa_testlib import (BIN, REPO, TOKEN, ansible_env, application_id, include_role, role_playbook, run_playbook,
                        stage_directly, status_of)

STAGE = REPO / "playbooks" / "stage_imports.yml"
CANCEL = REPO / "playbooks" / "cancel_imports.yml"


def test_playbook_stages_from_a_survey_string_and_writes_the_report(emulator, tmp_path):
    report = tmp_path / "report.json"
    core = application_id(emulator, "Core Banking")
    apps = "{0}, HR Portal\nPayments Gateway,,".format(core.upper())
    # Variables an inventory or AWX may carry that only resemble an input are not taken for misspellings.
    bystanders = {"application_env": "prod", "wait_for_db": True, "reporting_email": "ops@example.com", "app": 1}
    process = run_playbook(emulator, STAGE, dict(bystanders, applications=apps, report_path=str(report)))
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
            "cancel_imports_summary == {'requested': 2, 'canceled': 2, 'unchanged': 0, 'failed': 0, 'not_attempted': 0}",
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


# The documented surface: module_defaults, one application grammar, refusing to do nothing, reports, output lines.

def ansible_playbook(emulator, playbook, *args, drop_env=()):
    """ansible-playbook with raw arguments (``-e @report.json``); ``drop_env``: variables left out of the environment.

    Every other PA_* variable of the caller's environment is left out too, so only what the test sets counts.
    """
    env = {key: value for key, value in ansible_env(emulator).items()
           if key not in drop_env and (not key.startswith("PA_") or key in ("PA_URL", "PA_TOKEN"))}
    cmd = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)] + list(args)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_module_defaults_reach_both_roles_and_the_role_inputs_win_key_by_key(emulator, tmp_path):
    """Play- and block-level module_defaults for the action group, no PA_* variable at all."""
    apps = [application_id(emulator, name) for name in ("HR Portal", "Core Banking", "Payments Gateway")]
    refused = "http://127.0.0.1:9"  # nothing listens there: a request that goes there fails the run

    def group(url, token):
        return {"group/sycorr.permission_assist.all": {"pa_url": url, "pa_token": token}}

    def stage(app, **role_vars):
        return include_role("stage_imports", stage_imports_applications=[{"id": app}], **role_vars)

    cancel = include_role("cancel_imports", cancel_imports_imports="{{ stage_imports_results }}")
    cancel_with_token = dict(cancel, vars=dict(cancel["vars"], cancel_imports_pa_token=TOKEN,
                                               cancel_imports_request_timeout=10, cancel_imports_validate_certs=True))
    staged_and_canceled = {"ansible.builtin.assert": {"that": [
        "stage_imports_summary.staged == 1", "cancel_imports_summary.canceled == 1"]}}
    playbook = tmp_path / "module_defaults.yml"
    playbook.write_text(json.dumps([
        {"name": "play-level module_defaults", "hosts": "localhost", "gather_facts": False,
         "module_defaults": group(emulator.url, TOKEN),
         "tasks": [stage(apps[0]), cancel, staged_and_canceled]},
        {"name": "block-level module_defaults, and the roles' own inputs", "hosts": "localhost", "gather_facts": False,
         "tasks": [
             {"module_defaults": group(emulator.url, TOKEN), "block": [stage(apps[1]), cancel, staged_and_canceled]},
             # the group's URL (or token) is wrong; the role's own pa_url (or pa_token) wins, the rest comes from it
             {"module_defaults": group(refused, TOKEN), "block": [
                 stage(apps[2], stage_imports_pa_url=emulator.url, stage_imports_request_timeout=10,
                       stage_imports_validate_certs=True)]},
             {"module_defaults": group(emulator.url, "pa_wrong_token"),
              "block": [cancel_with_token, staged_and_canceled]},
         ]},
    ]))
    process = ansible_playbook(emulator, playbook, drop_env=("PA_URL", "PA_TOKEN"))
    assert process.returncode == 0, process.stdout[-4000:] + process.stderr
    assert emulator.stats()["imports_created"] == 3
    assert emulator.stats()["requests"]["POST /api/application-imports/cancel"] == 3


def test_the_role_and_the_playbook_take_names_as_bare_strings(emulator, tmp_path):
    """One grammar: a GUID string is an id, any other string a name, a dict {id | name, reuse_pending}.

    Needs pa_import_stage to take bare names (issue 10, point 2): the playbook passes strings through unchanged.
    """
    core = application_id(emulator, "Core Banking")
    playbook = tmp_path / "grammar.yml"
    playbook.write_text(role_playbook(
        include_role("stage_imports", stage_imports_applications=[
            "HR Portal", core, {"name": "Payments Gateway", "reuse_pending": False}]),
        {"ansible.builtin.assert": {"that": [
            "stage_imports_results | map(attribute='application_name') | list"
            " == ['HR Portal', 'Core Banking', 'Payments Gateway']",
            "stage_imports_summary.staged == 3"]}}))
    process = run_playbook(emulator, playbook)
    assert process.returncode == 0, process.stdout[-4000:]
    report = tmp_path / "report.json"
    process = run_playbook(emulator, STAGE, {"applications": ["Treasury Management", {"name": "HR Portal"}],
                                             "report_path": str(report)})
    assert process.returncode == 0, process.stdout[-4000:]
    assert [row["application_name"] for row in json.loads(report.read_text())["results"]] == [
        "Treasury Management", "HR Portal"]


GUID = "5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57"


@pytest.mark.parametrize("playbook,args,drop_env,error,refused", [
    # refusing to do nothing: one line naming the input, no request at all
    (STAGE, [], (), "applications: none given", True),
    (STAGE, ["-e", "applications="], (), "applications: none given", True),
    (STAGE, ["-e", "application='HR Portal'"], (), "unknown extra var application (did you mean applications?)", True),
    (CANCEL, ["-e", "import_id=" + GUID], (), "unknown extra var import_id (did you mean import_ids?)", True),
    (CANCEL, ["-e", "import_ids=, "], (), "import_ids: none given", True),
    (STAGE, ["-e", "applications='HR Portal'", "-e", "wait=true", "-e", "wait_timeout=soon"], (),
     "wait_timeout: 'soon' is not a number of seconds greater than 0", True),
    (CANCEL, ["-e", "import_ids=" + GUID, "-e", "wait=maybe"], (), "wait: 'maybe' is not true or false", True),
    # failures once the inputs are read: the report still says what happened
    (STAGE, ["-e", "applications=" + GUID], ("PA_TOKEN",), "missing required arguments: pa_token", False),
    (STAGE, ["-e", '{"applications": [{"id": "nope"}]}'], (), "applications[0].id", False),
    (CANCEL, ["-e", "import_ids=" + GUID + ",nope"], (), "nope", False),
], ids=["stage-nothing", "stage-empty", "stage-misspelled", "cancel-misspelled", "cancel-empty",
        "stage-wait-timeout-not-a-number", "cancel-wait-not-a-boolean", "stage-no-token",
        "stage-malformed-id", "cancel-malformed-id"])
def test_a_failed_run_exits_non_zero_and_replaces_the_report(emulator, tmp_path, playbook, args, drop_env, error,
                                                             refused):
    report = tmp_path / "report.json"
    report.write_text('{"results": [], "summary": {}, "error": null, "stale": true}\n')
    stale = tmp_path / "stale.json"
    os.link(str(report), str(stale))  # the old report's inode: a write in place would change it too
    before = emulator.stats()["total"]
    process = ansible_playbook(emulator, playbook, *(args + ["-e", "report_path=" + str(report)]), drop_env=drop_env)
    output = process.stdout + process.stderr
    assert process.returncode != 0 and "Traceback" not in output, output[-3000:]
    if refused:
        fatal = [line for line in output.splitlines() if line.startswith("fatal:")]
        assert len(fatal) == 1 and error in fatal[0], output[-3000:]
    assert emulator.stats()["total"] == before
    data = json.loads(report.read_text())
    assert error in data["error"] and data["results"] == [] and "stale" not in data
    assert json.loads(stale.read_text())["stale"] is True  # replaced by a rename, not rewritten in place
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json", "stale.json"]  # no temporary left


def test_the_stage_report_rolls_back_what_that_run_obtained_and_each_item_gets_a_line(emulator, tmp_path):
    """``cancel_imports.yml -e @report.json`` cancels the imports the stage run staged or reused, nothing else."""
    apps = {name: application_id(emulator, name) for name in ("HR Portal", "Card Issuing", "Core Banking")}
    reused = stage_directly(emulator, "Core Banking")  # Pending before the run: reused, so the run's own
    other = stage_directly(emulator, "Payments Gateway")  # not in the run: must stay Pending
    report = tmp_path / "report.json"
    process = run_playbook(emulator, STAGE, {"applications": "\n".join(apps.values()), "report_path": str(report)})
    assert process.returncode != 0  # Card Issuing has no import schedule
    data = json.loads(report.read_text())
    staged = data["results"][0]
    assert data["error"] == "1 of 3 application(s) failed"
    assert {key: data["summary"][key] for key in ("requested", "staged", "reused", "failed")} == {
        "requested": 3, "staged": 1, "reused": 1, "failed": 1}
    assert '"HR Portal: import #{0} Pending, staged"'.format(staged["number"]) in process.stdout
    # (by GUID, a failed stage may not know the application's name: the line then shows the GUID)
    assert ': failed: POST /application-imports/stage failed: HTTP 422' in process.stdout
    assert '"Core Banking: import #{0} Pending, reused"'.format(reused["number"]) in process.stdout

    cancel_report = tmp_path / "cancel.json"
    process = ansible_playbook(emulator, CANCEL, "-e", "@" + str(report), "-e", "report_path=" + str(cancel_report))
    assert process.returncode == 0, process.stdout[-3000:]
    canceled = json.loads(cancel_report.read_text())
    assert [row["import_id"] for row in canceled["results"]] == [staged["import_id"], reused["id"]]
    assert {key: canceled["summary"][key] for key in ("requested", "canceled", "unchanged", "failed")} == {
        "requested": 2, "canceled": 2, "unchanged": 0, "failed": 0}
    assert canceled["error"] is None
    assert status_of(emulator, other["id"]) == "Pending"
    assert '"import #{0} of HR Portal: Canceling, canceled"'.format(staged["number"]) in process.stdout
    assert '"canceled 2, unchanged 0, failed 0 of 2"' in process.stdout


def test_the_report_of_a_check_mode_stage_run_is_refused_for_a_real_roll_back(emulator, tmp_path):
    """A check-mode stage report lists the imports it would reuse, which other runs staged: canceling them for real
    would roll back someone else's work. A check-mode cancel run may still take it."""
    reused = stage_directly(emulator, "Core Banking")
    report = tmp_path / "report.json"
    process = ansible_playbook(emulator, STAGE, "--check", "-e", "applications='Core Banking, HR Portal'",
                               "-e", "report_path=" + str(report))
    assert process.returncode == 0, process.stdout[-3000:]
    assert json.loads(report.read_text())["results"][0]["import_id"] == reused["id"]

    process = ansible_playbook(emulator, CANCEL, "-e", "@" + str(report))
    assert process.returncode != 0
    assert "results: this report is from a check-mode run of stage_imports.yml" in process.stdout
    assert emulator.stats()["requests"].get("POST /api/application-imports/cancel", 0) == 0
    assert status_of(emulator, reused["id"]) == "Pending"

    process = ansible_playbook(emulator, CANCEL, "--check", "-e", "@" + str(report))
    assert process.returncode == 0, process.stdout[-3000:]
    assert status_of(emulator, reused["id"]) == "Pending"


def test_the_roles_wait_takes_stall_warning_and_cancel_on_timeout(emulator, tmp_path):
    """The build job is stopped (the emulator's worker paused): nothing starts, the wait times out saying so, and
    stage_imports_cancel_on_timeout cancels the import left Pending."""
    playbook = tmp_path / "role.yml"
    report = tmp_path / "report.json"
    playbook.write_text(role_playbook(
        include_role("stage_imports", stage_imports_applications=["HR Portal"], stage_imports_wait=True,
                     stage_imports_wait_timeout=3, stage_imports_poll_interval=0.5, stage_imports_stall_warning=1,
                     stage_imports_cancel_on_timeout=True, stage_imports_fail_on_error=False),
        {"ansible.builtin.copy": {"content": "{{ stage_imports_results | to_json }}", "dest": str(report),
                                  "mode": "0600"}}))
    process = run_playbook(emulator, playbook)
    assert process.returncode == 0, process.stdout[-3000:]
    row = json.loads(report.read_text())[0]
    assert row["failed"] and row["timed_out"] and row["wait"] == "timed_out", row
    assert "no import has started for" in row["msg"] and "is the build job running?" in row["msg"], row["msg"]
    assert "cancel_on_timeout: cancel requested for import #{0}".format(row["number"]) in row["msg"], row["msg"]
    assert status_of(emulator, row["import_id"]) in ("Canceling", "Canceled")


def test_the_stage_playbook_selects_by_pattern_and_priority_in_check_mode_and_for_real(emulator, tmp_path):
    """``applications='HR *'`` with ``priority=Critical`` (as a survey gives them) stages the Critical applications
    whose names start with "HR ": the applications lookup's rules, read-only in check mode."""
    hr_portal, treasury = application_id(emulator, "HR Portal"), application_id(emulator, "Treasury Management")
    with emulator.store.lock:
        emulator.store.applications[hr_portal]["priority"] = "Critical"
        emulator.store.applications[treasury].update(name="HR Payroll", priority="High")
    survey = {"applications": "HR *", "priority": "critical"}

    checked = tmp_path / "check.json"
    process = run_playbook(emulator, STAGE, dict(survey, report_path=str(checked)), check=True)
    assert process.returncode == 0, process.stdout + process.stderr
    assert [row["application_name"] for row in json.loads(checked.read_text())["results"]] == ["HR Portal"]
    assert "would stage 1, reused 0, failed 0 of 1" in process.stdout
    assert emulator.stats()["imports_created"] == 0

    report = tmp_path / "report.json"
    process = run_playbook(emulator, STAGE, dict(survey, report_path=str(report)))
    assert process.returncode == 0, process.stdout + process.stderr
    data = json.loads(report.read_text())
    assert [(row["application_id"], row["status"]) for row in data["results"]] == [(hr_portal, "Pending")]
    assert emulator.stats()["imports_created"] == 1

    # A selection that matches nothing is refused in one line naming the patterns and the priority; nothing staged.
    process = run_playbook(emulator, STAGE, {"applications": "HR *, Pay*", "priority": "Low,None"})
    assert process.returncode != 0
    assert "applications: nothing matches 'HR *', 'Pay*' with priority Low or None; no application to stage" \
        in process.stdout
    # With a pattern, an exact name is the lookup's too: one that names nothing fails naming the closest names.
    process = run_playbook(emulator, STAGE, {"applications": "HR *, Core Bankng"})
    assert process.returncode != 0
    assert "applications: no application is named 'Core Bankng'; closest names: 'Core Banking'" in process.stdout
    # priority with a GUID is refused, naming the input.
    process = run_playbook(emulator, STAGE, {"applications": [hr_portal], "priority": "Critical"})
    assert process.returncode != 0
    assert "priority: narrows application names and patterns only" in process.stdout
    assert emulator.stats()["imports_created"] == 1

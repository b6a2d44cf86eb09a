"""The API token never shows: not in task output at -vvvv, the invocation block, error messages, the access log, nor
what the ready stage playbook writes (its report, the job's artifacts).

A dedicated emulator accepts only a distinctive token and writes its access log to a file. Each row runs at -vvvv
(which keeps the ``invocation`` block in the result), the token given once as ``pa_token`` and otherwise through
``PA_TOKEN`` as an AWX credential injects it. Every row also checks the API was (or was not) reached as expected,
so a clean grep cannot come from a run that never talked to the server. The checks say the token is absent, never
which text replaced it: each ansible-core line has its own (2.22 masks no_log values where it displays them and no
longer replaces them inside results; the modules scrub their own, plugins/module_utils/secrets.py).

| row                                   | observed behaviour                                                  |
|---------------------------------------|---------------------------------------------------------------------|
| success (PA_TOKEN)                    | ok                                                                  |
| wrong token as pa_token               | failed "HTTP 401 unauthorized: Invalid or expired authentication token" |
| 400 (stage an archived application)   | failed "HTTP 400 validation_error ... (applicationId: Application is archived)" |
| transport failure (connection cut)    | failed "GET /applications failed: connection dropped before an answer" |
| upload answered 500 (pa_token)       | failed "HTTP 500 server_error: Injected fault: Internal Server Error" |
| input error (pa_token in the args)    | failed "import_id: 'nope' is not a GUID ...", no request            |
| token in an application name          | failed "no application is named 'Treasury ********'" (the module's mask) |
"""

import json
import re
import subprocess

import pytest

from pa_testlib import BIN, REPO, ansible_env, run_module, start_emulator

SECRET = "pa_S3cretT0ken_5b1e9c7a3f2d48e6_never_log_me"
WRONG = "pa_Wr0ngT0ken_c2d4e6f8a0b1c3d5_never_log_me"
ARCHIVED = "b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19"  # Legacy Mainframe
CARD_ISSUING = "c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45"  # file-based connector: Users and Roles required
UPLOAD_FILES = {"Users": str(REPO / "galaxy.yml"), "Roles": str(REPO / "README.md")}


@pytest.fixture(scope="module")
def secret_server(tmp_path_factory):
    log_file = tmp_path_factory.mktemp("secrets") / "access.log"
    server = start_emulator(tokens={SECRET: "Secrets Test"}, log_file=str(log_file), worker_paused=True)
    server.log_file = log_file
    yield server
    server.stop()


# (id, module, args, PA_TOKEN in the environment, fault, text in msg, access-log line expected or None)
ROWS = [
    ("success", "pa_application_info", {"name": "HR Portal"}, SECRET, None, None, "GET /api/applications 200"),
    ("api_401", "pa_application_info", {"name": "HR Portal", "pa_token": WRONG}, SECRET, None,
     "HTTP 401 unauthorized: Invalid or expired authentication token", "GET /api/applications 401"),
    ("api_400", "pa_import_stage", {"application_id": ARCHIVED, "pa_token": SECRET}, WRONG, None,
     "HTTP 400 validation_error: One or more validation errors occurred (applicationId: Application is archived)",
     "POST /api/application-imports/stage 400"),
    ("transport", "pa_application_info", {"name": "HR Portal", "request_retries": 0}, SECRET,
     dict(method="GET", path="^/api/applications$", action="drop_before"),
     "GET /applications failed: connection dropped before an answer", None),
    # request_retries 0: a 500 is settled by a look and, with nothing new in sight, sent again (settle.py); here it
    # must fail, so that its message is shown at -vvvv.
    ("upload_500", "pa_import_upload", {"application_id": CARD_ISSUING, "files": UPLOAD_FILES, "pa_token": SECRET,
                                        "request_retries": 0},
     WRONG, dict(method="POST", path="^/api/application-imports/upload$", action="status", status=500),
     "HTTP 500 server_error", "POST /api/application-imports/upload 500"),
    ("input_error", "pa_import_cancel", {"import_id": "nope", "pa_token": SECRET}, SECRET, None,
     "import_id: 'nope' is not a GUID", None),
    ("in_a_name", "pa_import_stage", {"application_name": "Treasury " + SECRET}, SECRET, None,
     "no application is named 'Treasury ", "GET /api/applications 200"),
]


@pytest.mark.parametrize("module,args,env_token,fault,text,log_line", [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_token_never_shows(secret_server, module, args, env_token, fault, text, log_line):
    secret_server.reset()
    if fault:
        secret_server.add_fault(**fault)
    log_before = secret_server.log_file.read_text(encoding="utf-8") if secret_server.log_file.exists() else ""
    run = run_module(secret_server, module, args, env={"PA_TOKEN": env_token}, verbosity=4)
    log = secret_server.log_file.read_text(encoding="utf-8")[len(log_before):]

    if text is None:
        assert run.rc == 0, run.output
    else:
        assert run["failed"] is True and text in run["msg"], run.output
    assert "Traceback" not in run.output
    # -vvvv keeps the invocation block (its arguments as the module saw them); the token is masked there however it
    # was given, and the printed result carries the block too.
    invocation = run["invocation"]["module_args"]
    assert invocation["pa_token"] and '"pa_token": ' in run.output
    if log_line:
        assert log_line in log, log
    else:
        assert "/api/" not in log  # nothing the API answered: only a dropped connection or no request at all
    for token in (SECRET, WRONG):
        assert token not in run.output
        assert token not in json.dumps(run.result)
        assert token not in json.dumps(invocation)
        assert token not in run.get("msg", "")
        assert token not in log
    # Nor the header that carries it, in any form.
    for header in ("Bearer ", "Authorization"):
        assert header not in run.output and header not in log and header not in json.dumps(run.result)


WARNING_LINE = re.compile(r"\[(DEPRECATION )?WARNING\]|Warning: .*ansible_collections/sycorr")


def run_stage_playbook_with_token_in(secret_server, tmp_path, extra_vars_text, *args, **env):
    """The ready stage playbook run with an extra-vars file that holds the token as ``pa_api_token`` (and
    ``report_path``); its exit status, its output and the report it wrote."""
    report = tmp_path / "report.json"
    extra_vars = tmp_path / "vars.yml"
    extra_vars.write_text("pa_api_token: {0}\nreport_path: {1}\n{2}".format(SECRET, report, extra_vars_text))
    run = subprocess.run(
        [str(BIN / "ansible-playbook"), "-i", "localhost,", "sycorr.permission_assist.stage_imports", *args,
         "-e", "@" + str(extra_vars)], capture_output=True, text=True, timeout=600, check=False,
        env=ansible_env(secret_server, PA_TOKEN=SECRET, **env))
    return run.returncode, run.stdout + run.stderr, report.read_text(encoding="utf-8")


def test_a_token_templated_into_an_application_name_stays_out_of_the_report_and_the_artifacts(secret_server, tmp_path):
    """As a user met it on 2.22: the token in an extra-vars file, templated into an application name, reached the
    stage playbook's report in clear. The run also prints no warning (deprecations shown) on any line."""
    secret_server.reset()
    returncode, output, written = run_stage_playbook_with_token_in(
        secret_server, tmp_path, "applications: \"HR Portal, Treasury {{ pa_api_token }}\"\n",
        ANSIBLE_DEPRECATION_WARNINGS="true", ANSIBLE_SHOW_CUSTOM_STATS="true")
    assert returncode == 2 and "staged 1, reused 0, failed 1 of 2" in output, output  # HR Portal was staged
    assert "no application is named 'Treasury " in written and "CUSTOM STATS" in output  # the artifacts, printed
    assert SECRET not in written and SECRET not in output
    assert [line for line in output.splitlines() if WARNING_LINE.search(line)] == []


def test_a_token_templated_into_a_selected_name_stays_out_of_the_refusal(secret_server, tmp_path):
    """With ``priority``, the names go through the applications lookup in the input check (pa_playbook_inputs): a name
    templated from the token that matches nothing is refused quoting it, and neither the report nor the output may
    hold the token."""
    secret_server.reset()
    returncode, output, written = run_stage_playbook_with_token_in(
        secret_server, tmp_path, "applications: \"HR *, Treasury {{ pa_api_token }}\"\npriority: High\n", "-v")
    assert returncode == 2 and "applications: no application is named 'Treasury " in written, output
    assert SECRET not in written and SECRET not in output

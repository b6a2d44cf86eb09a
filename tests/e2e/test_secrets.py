"""The API token never shows: not in task output at -vvvv, the invocation block, error messages or the access log.

A dedicated emulator accepts only a distinctive token and writes its access log to a file. Each row runs at -vvvv
(which keeps the ``invocation`` block in the result), the token given once as ``pa_token`` and otherwise through
``PA_TOKEN`` as an AWX credential injects it. Every row also checks the API was (or was not) reached as expected,
so a clean grep cannot come from a run that never talked to the server.

| row                                   | observed behaviour                                                  |
|---------------------------------------|---------------------------------------------------------------------|
| success (PA_TOKEN)                    | ok; invocation shows pa_token as VALUE_SPECIFIED_IN_NO_LOG_PARAMETER |
| wrong token as pa_token               | failed "HTTP 401 unauthorized: Invalid or expired authentication token" |
| 400 (stage an archived application)   | failed "HTTP 400 validation_error ... (applicationId: Application is archived)" |
| transport failure (connection cut)    | failed "GET /applications failed: connection dropped before an answer" |
| upload answered 500 (pa_token)       | failed "HTTP 500 server_error: Injected fault: Internal Server Error" |
| input error (pa_token in the args)    | failed "import_id: 'nope' is not a GUID ...", no request            |
"""

import json

import pytest

from pa_testlib import REPO, run_module, start_emulator

SECRET = "pa_S3cretT0ken_5b1e9c7a3f2d48e6_never_log_me"
WRONG = "pa_Wr0ngT0ken_c2d4e6f8a0b1c3d5_never_log_me"
MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
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
    ("upload_500", "pa_import_upload", {"application_id": CARD_ISSUING, "files": UPLOAD_FILES, "pa_token": SECRET},
     WRONG, dict(method="POST", path="^/api/application-imports/upload$", action="status", status=500),
     "HTTP 500 server_error", "POST /api/application-imports/upload 500"),
    ("input_error", "pa_import_cancel", {"import_id": "nope", "pa_token": SECRET}, SECRET, None,
     "import_id: 'nope' is not a GUID", None),
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
    # -vvvv keeps the invocation block; the token is masked there however it was given.
    invocation = run["invocation"]["module_args"]
    assert invocation["pa_token"] == MASK
    assert '"pa_token": "{0}"'.format(MASK) in run.output  # the printed result carries the invocation block too
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

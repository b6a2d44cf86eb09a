"""pa_import_stage's options as a user writes them, its main() in-process (tests/pa_modulelib.py) against the emulator.

| point | row                                                                  | shows                                        |
|-------|----------------------------------------------------------------------|----------------------------------------------|
| 2     | ``applications: [HR Portal, Payments Gateway]`` (EXAMPLES entry 4)   | both staged, one read of the application list |
| 6     | 20 applications, server down, default request_retries                | fails in one call's retries, the error once  |

Point 7 (a failed build's msg ends with the log's cause) is test_module_waits.py's failed-build test; point 8
(``--check --diff`` as ansible-playbook prints it) is tests/e2e/test_stage_surface.py's.
"""

import socket

STAGE = "pa_import_stage"


def test_bare_names_in_applications_are_names(emulator, run_module):
    run = run_module(STAGE, {"applications": ["HR Portal", "Payments Gateway"]})
    assert run.rc == 0, run.output
    assert [row["application_name"] for row in run["application_results"]] == ["HR Portal", "Payments Gateway"]
    assert run["msg"] == "staged 2, reused 0 of 2"
    stats = emulator.stats()
    assert stats["imports_created"] == 2 and stats["requests"]["GET /api/applications"] == 1


def test_twenty_applications_with_the_server_down_fail_once(run_module):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once the socket is closed
    ids = ["1b8f3c52-6a4e-4d19-8c07-2e5f9a1b3d64", "9e4a7b13-2c6d-4f85-a9b0-3d1e5f7c2a98",  # HR Portal, Payments
           "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3", "4d2c8e61-7f3a-4b59-9e12-6a0b4c8d1f37"] * 5  # Core Banking, Treasury
    run = run_module(STAGE, {"applications": ids, "pa_url": "http://127.0.0.1:{0}".format(port)})
    assert run.rc != 0 and run["failed"] is True and run["changed"] is False
    assert run["msg"].count("Connection refused") == 1, run["msg"]
    assert "the batch stopped at applications[0] ({0}): 19 of 20 application(s) not attempted".format(ids[0]) \
        in run["msg"]
    assert [row["attempted"] for row in run["application_results"]] == [True] + [False] * 19
    assert run["summary"]["not_attempted"] == 19

"""Bad-input matrix, each module's main() in-process (tests/pa_modulelib.py): one line naming the field, no request
where none is needed, no traceback. AnsibleModule's own messages are checked here too: `make matrix` runs this
file on every ansible-core line.

| row                                           | task reports (one line)                                          |
|-----------------------------------------------|------------------------------------------------------------------|
| application_id one digit short                | "application_id: '...' is not a GUID (expected 8-4-4-4-12 ...)"  |
| application_id one digit too long             | "application_id: '...0' is not a GUID ..."                       |
| import_id in braces (pa_import_cancel)        | "import_id: '{...}' is not a GUID ..."                           |
| application_id ""                             | "application_id: '' is not a GUID ..."                           |
| application_name ""                           | "application_name: must not be empty"                            |
| application_name "   "                        | "application_name: must not be empty"                            |
| reuse_pending: "maybe"                        | "argument 'reuse_pending' is of type str and we were unable to   |
|                                               | convert to bool: ..." (Ansible; "<class 'str'>" up to 2.18)      |
| wait_timeout: "soon"                          | "argument 'wait_timeout' is of type str and we were unable to    |
|                                               | convert to float: ..." (Ansible)                                 |
| application_id: 12                            | "application_id: '12' is not a GUID ..."                         |
| unknown option colour                         | "Unsupported parameters for (...) module: colour. ..." (Ansible) |
| application_id and application_name           | "parameters are mutually exclusive: application_id|              |
|                                               | application_name|applications" (Ansible)                        |
| pa_url without scheme                         | "pa_url: 'pa.example.com' is not an absolute http(s) URL ..."    |
| request_timeout: 0                            | "request_timeout: must be greater than 0 seconds"                |
| poll_interval: 0                              | "poll_interval: must be greater than 0 seconds"                  |
| applications[1] with both id and name         | "applications[1]: needs exactly one of id and name"              |
| applications: 2,000 GUIDs, then {name, extra} | "applications[2000]: unknown key(s) extra; allowed: id, name,    |
|                                               | reuse_pending"                                                   |
| import_ids [GUID, "nope"] (pa_import_cancel)  | "import_ids[1]: 'nope' is not a GUID ..."                        |
| applications [GUID, "  "]                     | "applications[1]: must not be empty (an application GUID or name)"|
| applications [GUID, 12]                       | "applications[1]: must be an application GUID or name, or a dict |
|                                               | with id or name"                                                 |
| name "" (pa_application_info)                 | "name: must not be empty"                                        |
| pa_import_info status, 10,000 entries         | "status: unknown status done; use any of Pending, Running, ..."  |
| (all rows above)                              | no request reached the server, no traceback                      |
| pa_url http://example.invalid                 | warning "pa_url uses plain http: ...", then "GET /applications   |
|                                               | failed: cannot connect to example.invalid: ..."                  |
| application_name "Reporting" (two active)     | "application_name: 2 active applications are named 'Reporting'; |
|                                               | use application_id with one of: ..." with both ids; one read     |
| application_name "Legacy Mainframe"           | "application_name: every application named 'Legacy Mainframe'   |
|                                               | is archived: Legacy Mainframe (ID, archived)"; one read          |
| application_name "Zürich Kernbank ✓"          | "application_name: no application is named 'Zürich Kernbank ✓'" |
|                                               | exactly; one read                                                |
| applications ["{GUID}", "HR Portal"]          | a string that is not a GUID is a name: the first item fails "no  |
|                                               | application is named '{GUID}'; it looks like the application id  |
|                                               | GUID (Core Banking): write the bare GUID ...", HR Portal is      |
|                                               | staged; one read of the application list                         |
| pa_url with a reverse-proxy prefix /pa        | works: the import is staged through http://127.0.0.1:PORT/pa/api |
"""

import pytest
from ansible.module_utils.ansible_release import __version__ as ansible_core_version

from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import check_connection
from pa_testlib import application_id, start_emulator

GOOD = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"
STAGE = "pa_import_stage"
# ansible-core's own type-check message: up to 2.18 it names the type as "<class 'str'>", from 2.19 as "str".
STR = "<class 'str'>" if tuple(int(part) for part in ansible_core_version.split(".")[:2]) < (2, 19) else "str"

# (id, module, args, field the message must name, where in the message)
BEFORE_ANY_REQUEST = [
    ("guid_short", STAGE, {"application_id": GOOD[:-1]}, "application_id: '" + GOOD[:-1] + "' is not a GUID"),
    ("guid_long", STAGE, {"application_id": GOOD + "0"}, "application_id: '" + GOOD + "0' is not a GUID"),
    ("guid_braces", "pa_import_cancel", {"import_id": "{" + GOOD + "}"}, "import_id: '{" + GOOD + "}' is not a GUID"),
    ("id_empty", STAGE, {"application_id": ""}, "application_id: '' is not a GUID"),
    ("name_empty", STAGE, {"application_name": ""}, "application_name: must not be empty"),
    ("name_blank", STAGE, {"application_name": "   "}, "application_name: must not be empty"),
    ("bool_maybe", STAGE, {"application_id": GOOD, "reuse_pending": "maybe"},
     "argument 'reuse_pending' is of type " + STR + " and we were unable to convert to bool"),
    ("float_soon", STAGE, {"application_id": GOOD, "wait_timeout": "soon"},
     "argument 'wait_timeout' is of type " + STR + " and we were unable to convert to float"),
    ("id_int", STAGE, {"application_id": 12}, "application_id: '12' is not a GUID"),
    ("unknown_option", STAGE, {"application_id": GOOD, "colour": "blue"}, "module: colour."),
    ("id_and_name", STAGE, {"application_id": GOOD, "application_name": "Core Banking"},
     "mutually exclusive: application_id|application_name"),
    ("url_no_scheme", STAGE, {"application_id": GOOD, "pa_url": "pa.example.com"},
     "pa_url: 'pa.example.com' is not an absolute http(s) URL"),
    ("poll_interval_zero", STAGE, {"application_id": GOOD, "poll_interval": 0}, "poll_interval: must be greater than 0"),
    ("item_id_and_name", STAGE, {"applications": [GOOD, {"id": GOOD, "name": "x"}]}, "applications[1]: needs exactly one of id and name"),
    # The 2001st item is named, however long the list.
    ("item_2000_unknown_key", STAGE, {"applications": [GOOD] * 2000 + [{"name": "ok", "extra": 1}]},
     "applications[2000]: unknown key(s) extra; allowed: id, name, reuse_pending"),
    ("import_ids_item", "pa_import_cancel", {"import_ids": [GOOD, "nope"]}, "import_ids[1]: 'nope' is not a GUID"),
    ("item_blank", STAGE, {"applications": [GOOD, "  "]}, "applications[1]: must not be empty (an application GUID or name)"),
    ("item_int", STAGE, {"applications": [GOOD, 12]},
     "applications[1]: must be an application GUID or name, or a dict with id or name"),
    ("info_name_empty", "pa_application_info", {"name": ""}, "name: must not be empty"),
    ("timeout_zero", STAGE, {"application_id": GOOD, "request_timeout": 0}, "request_timeout: must be greater than 0"),
    # About 100 kB of arguments: still one line naming the field, and only the unknown value is listed.
    ("status_10000", "pa_import_info", {"status": ["Pending", "Running"] * 4999 + ["Failed", "Done"]},
     "status: unknown status done; use any of Pending, Running"),
]


def assert_one_clean_line(run):
    assert run["failed"] is True and run["changed"] is False
    assert "Traceback" not in run.output and "exception" not in run.result, run.output
    assert run["msg"] and "\n" not in run["msg"].strip(), run["msg"]


@pytest.mark.parametrize("module,args,text", [row[1:] for row in BEFORE_ANY_REQUEST],
                         ids=[row[0] for row in BEFORE_ANY_REQUEST])
def test_bad_input_fails_before_any_request(emulator, run_module, module, args, text):
    before = emulator.stats()["total"]
    run = run_module(module, args)
    assert_one_clean_line(run)
    assert text in run["msg"], run["msg"]
    assert emulator.stats()["total"] == before


def test_plain_http_to_a_remote_host_warns_then_fails_to_connect(emulator, run_module):
    before = emulator.stats()["total"]
    run = run_module("pa_application_info", {"pa_url": "http://example.invalid", "request_retries": 0})
    assert run.warned("pa_url uses plain http: the API token crosses the network unencrypted; use https"), run.output
    assert_one_clean_line(run)
    assert run["msg"].startswith("GET /applications failed: cannot connect to example.invalid")
    assert run["request_sent"] is False
    assert emulator.stats()["total"] == before


NAME_ROWS = [
    ("two_active", "Reporting", "application_name: 2 active applications are named 'Reporting'; use application_id"),
    ("archived_only", "Legacy Mainframe", "application_name: every application named 'Legacy Mainframe' is archived"),
    ("unicode", "Zürich Kernbank ✓", "application_name: no application is named 'Zürich Kernbank ✓'"),
]


@pytest.mark.parametrize("name,text", [row[1:] for row in NAME_ROWS], ids=[row[0] for row in NAME_ROWS])
def test_name_that_is_not_exactly_one_active_application(emulator, run_module, name, text):
    run = run_module(STAGE, {"application_name": name})
    assert_one_clean_line(run)
    assert run["msg"].startswith(text), run["msg"]
    if name == "Zürich Kernbank ✓":
        assert run["msg"] == text  # nothing else to say: no near matches are offered
    if name == "Reporting":
        for app_id in ("8c1f6e2a-3d94-4a7b-9f05-b2e8c4d6a173", "f4d7a9c2-8e13-4b6f-a2d5-c9b1e3f7a604"):
            assert app_id in run["msg"]
    if name == "Legacy Mainframe":
        assert application_id(emulator, name, archived=True) in run["msg"]
    # Only the application list was read: nothing staged, nothing else asked.
    stats = emulator.stats()
    assert stats["imports_created"] == 0 and set(stats["requests"]) == {"GET /api/applications"}


def test_guid_in_braces_in_applications_is_a_name_with_a_hint(emulator, run_module):
    run = run_module(STAGE, {"applications": ["{" + GOOD + "}", "HR Portal"]})
    assert run.rc != 0 and "Traceback" not in run.output
    braces, hr = run["application_results"]
    assert braces["msg"] == ("applications[0]: no application is named '{" + GOOD + "}'; it looks like the application "
                             "id " + GOOD + " (Core Banking): write the bare GUID (8-4-4-4-12 hexadecimal digits) to "
                             "give an id, any other text is taken as a name")
    assert not hr["failed"] and hr["changed"]
    stats = emulator.stats()
    assert stats["imports_created"] == 1 and stats["requests"]["GET /api/applications"] == 1


def test_url_with_a_reverse_proxy_path_prefix_works(run_module):
    proxied = start_emulator(prefix="/pa", worker_paused=True)
    try:
        assert proxied.url.endswith("/pa")
        run = run_module(STAGE, {"application_name": "HR Portal"}, server=proxied)  # PA_URL is proxied.url
        assert run.rc == 0, run.output
        assert run["changed"] is True and run["application_import"]["status"] == "Pending"
        assert proxied.stats()["imports_created"] == 1
    finally:
        proxied.stop()


# Which hosts count as loopback for the plain-http warning.
@pytest.mark.parametrize("url,warns", [
    ("http://127.0.0.1:8642", False),
    ("http://127.5.6.7/pa", False),
    ("http://[::1]:8642", False),
    ("http://localhost:8642", False),
    ("http://127.0.0.1.nip.io", True),
    ("http://127.attacker.example", True),
    ("http://localhost.attacker.example", True),
    ("http://10.0.0.1", True),
])
def test_only_real_loopback_hosts_skip_the_plain_http_warning(url, warns):
    params = {"pa_url": url, "pa_token": "t", "validate_certs": True, "request_timeout": 30.0, "request_retries": 3}
    assert bool(check_connection(params)) is warns

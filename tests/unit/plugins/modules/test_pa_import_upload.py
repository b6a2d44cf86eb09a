"""pa_import_upload's run() over real HTTP against the in-process emulator: the module's logic table.

Upload by GUID and by name, reuse, force, check mode and --diff, each bad input (with the requests it cost), each
fault (retried where the server refused; a failed upload settled: looked for, adopted, or sent again only when no new
import of the application is in sight and the server can no longer act; never uploaded twice), a wait.
"""

import os
from types import SimpleNamespace

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import PermissionAssistError
from ansible_collections.sycorr.permission_assist.plugins.modules import pa_import_upload
from pa_clientlib import make_api
from pa_testlib import imports_of

UPLOAD = "^/api/application-imports/upload$"
UPLOAD_ROUTE = "POST /api/application-imports/upload"
CARD_ISSUING = "c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45"
CORE_BANKING = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"
LEGACY_MAINFRAME = "b3f16a0e-5d27-4c8b-8a94-0e6c2d7f5b19"
USERS = "3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38"
ROLES = "c47e1b92-0d6a-4f35-8b29-5a1e3c7d9f64"
ENTITLEMENTS = "8b5d3e0f-2a7c-4e19-9d46-b0f1c8a2e753"


class Module:
    def __init__(self, check_mode=False, diff=False, **params):
        self.params = dict((name, spec.get("default")) for name, spec in pa_import_upload.ARGUMENT_SPEC.items())
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


@pytest.fixture
def extracts(tmp_path):
    users = tmp_path / "users_20260302.csv"
    users.write_text("id,name\n1,Ann\n2,Bob\n")
    roles = tmp_path / "roles_20260302.csv"
    roles.write_text("id,role\n1,teller\n")
    return SimpleNamespace(users=str(users), roles=str(roles), dir=tmp_path)


def both(extracts):
    return {"Users": extracts.users, "Roles": extracts.roles}


def run(emulator, module, **api_kwargs):
    api = make_api(emulator, **api_kwargs)
    result = pa_import_upload.run(module, api)
    result["requests"] = api.client.request_count
    return result


def failure(emulator, module, **api_kwargs):
    api = make_api(emulator, **api_kwargs)
    with pytest.raises(PermissionAssistError) as caught:
        pa_import_upload.run(module, api)
    details = caught.value.fail_kwargs()
    details["requests"] = api.client.request_count
    return details


def uploads(emulator):
    return emulator.stats()["requests"].get(UPLOAD_ROUTE, 0)


def pending_of(emulator, app=CARD_ISSUING):
    return [row for row in imports_of(emulator, app) if row["status"] == "Pending"]


# Upload, reuse, force

def test_upload_by_group_guid_and_by_group_name(emulator, extracts):
    result = run(emulator, Module(application_name="Card Issuing", files={USERS: extracts.users, "Roles": extracts.roles}))
    assert result["changed"] is True and result["reused"] is False and result["predicted"] is False
    record = result["application_import"]
    assert isinstance(record["id"], str) and record["status"] == "Pending"
    assert record["application"]["name"] == "Card Issuing"
    assert [item["fileGroup"] for item in record["files"]] == ["Users", "Roles"]  # in the order given
    assert sorted((item["fileGroup"], item["name"]) for item in record["files"]) == [
        ("Roles", "roles_20260302.csv"), ("Users", "users_20260302.csv")]
    assert [(item["key"], item["file_group"], item["file_group_id"], item["size"]) for item in result["uploaded_files"]] == [
        (USERS, "Users", USERS, os.path.getsize(extracts.users)), ("Roles", "Roles", ROLES, os.path.getsize(extracts.roles))]
    assert result["msg"].startswith("uploaded import #{0}: 2 file(s)".format(record["number"]))
    assert uploads(emulator) == 1 and emulator.stats()["uploads"] == 1
    # the server got exactly the bytes of both files, in one multipart body
    assert emulator.stats()["upload_bytes"] > os.path.getsize(extracts.users) + os.path.getsize(extracts.roles)


def test_same_files_still_pending_are_reused_and_force_uploads_anyway(emulator, extracts):
    files = {"users": extracts.users, "ROLES": extracts.roles}  # names ignoring case
    first = run(emulator, Module(application_id=CARD_ISSUING, files=files))
    again = run(emulator, Module(application_id=CARD_ISSUING, files={USERS: extracts.users, ROLES: extracts.roles}))
    assert again["changed"] is False and again["reused"] is True
    assert again["application_import"]["id"] == first["application_import"]["id"]
    assert again["msg"].startswith("reused Pending import #")
    assert uploads(emulator) == 1
    forced = run(emulator, Module(application_id=CARD_ISSUING, files=files, force=True))
    assert forced["changed"] is True and forced["application_import"]["id"] != first["application_import"]["id"]
    assert uploads(emulator) == 2 and len(pending_of(emulator)) == 2


def test_different_files_or_a_started_import_are_not_reused(emulator, extracts):
    run(emulator, Module(application_id=CARD_ISSUING, files=both(extracts)))
    other = extracts.dir / "roles_20260303.csv"
    other.write_text("id,role\n")
    changed_name = run(emulator, Module(application_id=CARD_ISSUING, files={"Users": extracts.users, "Roles": str(other)}))
    more_files = run(emulator, Module(application_id=CARD_ISSUING, files={
        "Users": extracts.users, "Roles": extracts.roles, "Entitlements": str(other)}))
    assert changed_name["changed"] and more_files["changed"] and uploads(emulator) == 3


def test_identical_content_is_not_compared_only_group_and_file_name(emulator, extracts):
    """The API has no checksum: a new extract under the same name is the same upload while the first is Pending."""
    run(emulator, Module(application_id=CARD_ISSUING, files=both(extracts)))
    with open(extracts.users, "a", encoding="utf-8") as handle:
        handle.write("3,Cy\n")
    again = run(emulator, Module(application_id=CARD_ISSUING, files=both(extracts)))
    assert again["reused"] is True and uploads(emulator) == 1


def test_a_running_import_with_the_same_files_is_not_reused(emulator, extracts):
    files = {"Users": extracts.users, "Roles": extracts.roles}
    first = run(emulator, Module(application_id=CARD_ISSUING, files=files))
    emulator.set_worker(paused=False, build_seconds=30)
    api = make_api(emulator)
    for dummy in range(500):
        if api.get_import(first["application_import"]["id"])["status"] == "Running":
            break
    emulator.set_worker(paused=True)
    again = run(emulator, Module(application_id=CARD_ISSUING, files=files))
    assert again["changed"] is True and uploads(emulator) == 2


def test_optional_group_may_be_left_out_and_guid_keys_are_case_insensitive(emulator, extracts):
    result = run(emulator, Module(application_id=CARD_ISSUING, files={USERS.upper(): extracts.users, "Roles": extracts.roles}))
    assert result["changed"] and result["uploaded_files"][0]["file_group_id"] == USERS


# Check mode and diff

def test_check_mode_reads_only_and_predicts_the_files(emulator, extracts):
    result = run(emulator, Module(check_mode=True, diff=True, application_name="Card Issuing",
                                  files=both(extracts)))
    assert result["changed"] is True and result["predicted"] is True and result["reused"] is False
    record = result["application_import"]
    assert record["id"] is None and record["status"] == "Pending"
    assert [item["file_group"] for item in result["uploaded_files"]] == ["Users", "Roles"]
    assert [(item["fileGroupId"], item["name"]) for item in record["files"]] == [
        (USERS, "users_20260302.csv"), (ROLES, "roles_20260302.csv")]
    assert result["msg"].startswith("check mode: would upload 2 file(s)")
    assert result["diff"] == {"before_header": "Card Issuing", "after_header": "Card Issuing",
                              "before": "no import\n", "after": "new import: Pending\n"}
    assert uploads(emulator) == 0 and emulator.stats()["imports_created"] == 0


def test_check_mode_finds_the_reusable_upload(emulator, extracts):
    files = {"Users": extracts.users, "Roles": extracts.roles}
    first = run(emulator, Module(application_id=CARD_ISSUING, files=files))
    result = run(emulator, Module(check_mode=True, diff=True, application_id=CARD_ISSUING, files=files))
    assert result["changed"] is False and result["reused"] is True
    number = first["application_import"]["number"]
    assert result["diff"]["before"] == result["diff"]["after"] == "import #{0}: Pending\n".format(number)
    assert uploads(emulator) == 1


def test_diff_of_a_real_upload(emulator, extracts):
    result = run(emulator, Module(diff=True, application_id=CARD_ISSUING, files=both(extracts)))
    assert result["diff"]["before"] == "no import\n"
    assert result["diff"]["after"] == "import #{0}: Pending\n".format(result["application_import"]["number"])


# Bad input: one line naming the key or path; no upload sent (and no request at all for what the host can check)

@pytest.mark.parametrize("case,field,text,requests_sent", [
    ("missing", "files.Users", "No such file or directory", 0),
    ("directory", "files.Users", "is not a regular file", 0),
    ("empty", "files.Users", "empty.csv is empty", 0),
    ("unreadable", "files.Users", "cannot be read", 0),
    ("no-files", "files", "one entry or more", 0),
    ("empty-key", "files", "empty key", 0),
    ("not-a-path", "files.Users", "must be the path of a file", 0),
    ("unknown-name", "files.Payroll", "names no file group of the connector of Card Issuing", 1),
    ("guid-of-no-group", "files." + CORE_BANKING, "names no file group", 1),
    ("same-group-twice", "files.Users", "names the same file group (Users) as files." + USERS, 1),
    ("required-missing", "files", "requires file group(s) Roles (" + ROLES + ", required), not given", 1),
], ids=lambda value: value if isinstance(value, str) and len(value) < 20 else None)
def test_bad_input_is_one_line_naming_the_key_or_path(emulator, extracts, case, field, text, requests_sent):
    files = {"Users": extracts.users, "Roles": extracts.roles}
    if case == "missing":
        files["Users"] = str(extracts.dir / "nope.csv")
    elif case == "directory":
        files["Users"] = str(extracts.dir)
    elif case == "empty":
        (extracts.dir / "empty.csv").write_text("")
        files["Users"] = str(extracts.dir / "empty.csv")
    elif case == "unreadable":
        files["Users"] = "/proc/self/mem"  # a regular-looking file no one can read from the start
    elif case == "no-files":
        files = {}
    elif case == "empty-key":
        files = {" ": extracts.users}
    elif case == "not-a-path":
        files["Users"] = ["a.csv"]
    elif case == "unknown-name":
        files["Payroll"] = extracts.users
    elif case == "guid-of-no-group":
        files[CORE_BANKING] = extracts.users
    elif case == "same-group-twice":
        files = {USERS: extracts.users, "Users": extracts.users, "Roles": extracts.roles}
    elif case == "required-missing":
        files = {"Users": extracts.users}
    details = failure(emulator, Module(application_id=CARD_ISSUING, files=files))
    assert "\n" not in details["msg"] and "Traceback" not in details["msg"]
    assert details["msg"].startswith(field + ": ") and text in details["msg"], details["msg"]
    assert details["field"] == field
    assert details["requests"] == requests_sent  # the application's details, when the key needs its connector
    assert uploads(emulator) == 0


@pytest.mark.parametrize("params,text,requests_sent", [
    ({"application_id": CORE_BANKING}, "connector (Database) is not file-based", 1),
    ({"application_name": "Core Banking"}, "connector (Database) is not file-based", 2),  # the list, then its details
    ({"application_id": LEGACY_MAINFRAME}, "is archived; uploading would fail", 1),
    ({"application_id": "8f1e2d3c-4b5a-4697-8877-665544332211"}, "application_id: no application with id", 1),
    ({"application_id": "not-a-guid"}, "application_id: 'not-a-guid' is not a GUID", 0),
    ({"application_name": "No Such App"}, "application_name: no application is named", 1),
    ({"application_id": CARD_ISSUING, "wait_timeout": 0}, "wait_timeout: must be greater than 0", 0),
])
def test_application_problems_fail_before_the_upload(emulator, extracts, params, text, requests_sent):
    details = failure(emulator, Module(files={USERS: extracts.users, ROLES: extracts.roles}, **params))
    assert text in details["msg"] and "\n" not in details["msg"]
    assert details["requests"] == requests_sent and uploads(emulator) == 0


def test_a_server_that_hides_the_connector_takes_guids_only(emulator_with, extracts):
    emulator = emulator_with(hide_connector=True)
    details = failure(emulator, Module(application_id=CARD_ISSUING, files={USERS: extracts.users, "Roles": extracts.roles}))
    assert details["msg"].startswith("files.Roles: is not a file group GUID, and the server does not show")
    assert uploads(emulator) == 0
    result = run(emulator, Module(application_id=CARD_ISSUING, files={USERS: extracts.users, ROLES: extracts.roles}))
    assert result["changed"] and result["uploaded_files"][0]["file_group"] is None
    # a required group left out is then the server's 400, reported with its field errors
    details = failure(emulator, Module(application_id=CARD_ISSUING, files={USERS: extracts.users}, force=True))
    assert details["status"] == 400 and details["field_errors"][0]["field"] == ROLES


def test_a_file_that_changes_size_during_the_upload_is_abandoned(emulator, extracts, monkeypatch):
    from ansible_collections.sycorr.permission_assist.plugins.module_utils import multipart

    real_read = multipart._read

    def growing(part):
        with open(part.path, "a", encoding="utf-8") as handle:
            handle.write("late row\n")
        return real_read(part)

    monkeypatch.setattr(multipart, "_read", growing)
    details = failure(emulator, Module(application_id=CARD_ISSUING, files=both(extracts)))
    assert "the file changed while it was being uploaded" in details["msg"]
    assert emulator.stats()["uploads"] == 0 and pending_of(emulator) == []


# Faults: retried where the server refused; a failed upload is settled (module_utils/settle.py), never uploaded twice

@pytest.mark.parametrize("rule", [
    {"action": "status", "status": 429},
    {"action": "status", "status": 503, "retry_after": 0},
], ids=["429", "503-retry-after"])
def test_refused_upload_is_retried_with_the_whole_body(emulator, extracts, rule):
    emulator.add_fault(method="POST", path=UPLOAD, **rule)
    result = run(emulator, Module(application_id=CARD_ISSUING, files=both(extracts)))
    assert result["changed"] and uploads(emulator) == 2 and emulator.stats()["uploads"] == 1
    assert sorted(item["name"] for item in result["application_import"]["files"]) == [
        "roles_20260302.csv", "users_20260302.csv"]


@pytest.mark.parametrize("rule,looks", [
    ({"action": "status", "status": 500}, "looked once"),
    ({"action": "status", "status": 503}, "looked once"),
    ({"action": "status", "status": 502, "body": "html"}, "looked twice"),
    ({"action": "drop_before"}, "looked twice"),
], ids=["500-json", "503-without-retry-after", "502-html", "dropped-before-acting"])
def test_a_failed_upload_with_no_new_import_in_sight_is_sent_again_with_the_whole_body(emulator, extracts, rule,
                                                                                       looks):
    emulator.add_fault(method="POST", path=UPLOAD, **rule)
    module = Module(application_id=CARD_ISSUING, files=both(extracts))
    result = run(emulator, module)
    assert result["changed"] is True and emulator.stats()["uploads"] == 1
    assert uploads(emulator) == (1 if rule["action"] == "drop_before" else 2)  # drop_before is not counted
    assert module.warnings == [w for w in module.warnings if "the upload request failed" in w and looks in w and
                               w.endswith("so it was sent again")] and len(module.warnings) == 1
    assert sorted(item["name"] for item in result["application_import"]["files"]) == [
        "roles_20260302.csv", "users_20260302.csv"]
    assert [row["id"] for row in pending_of(emulator)] == [result["application_import"]["id"]]


def test_a_permanent_5xx_is_not_sent_again(emulator, extracts):
    emulator.add_fault(method="POST", path=UPLOAD, action="status", status=501)
    details = failure(emulator, Module(application_id=CARD_ISSUING, files=both(extracts)))
    assert details["status"] == 501 and uploads(emulator) == 1 and emulator.stats()["uploads"] == 0


def test_a_new_import_with_other_files_stops_a_resend(emulator, extracts):
    """Someone else's upload (other files) lands while ours is lost: the server did something, so ours is neither
    adopted nor sent again."""
    emulator.add_fault(method="POST", path=UPLOAD, action="drop_before")
    api = make_api(emulator)
    original = api.upload_import

    def upload_and_someone_else(body):
        try:
            return original(body)
        finally:
            run(emulator, Module(application_id=CARD_ISSUING, files={"Users": extracts.users, "Roles": extracts.users},
                                 force=True))

    api.upload_import = upload_and_someone_else
    with pytest.raises(PermissionAssistError) as caught:
        pa_import_upload.run(Module(application_id=CARD_ISSUING, files=both(extracts)), api)
    details = caught.value.fail_kwargs()
    theirs = [row["id"] for row in pending_of(emulator)]
    assert details["outcome_unknown"] is True and details["candidate_import_ids"] == theirs and len(theirs) == 1
    assert "with other files appeared, so the server did something; not sent again" in details["msg"]
    assert emulator.stats()["uploads"] == 1


@pytest.mark.parametrize("action", ["drop_after", "malformed_ok"])
def test_lost_answer_after_the_commit_is_adopted_never_uploaded_twice(emulator, extracts, action):
    emulator.add_fault(method="POST", path=UPLOAD, action=action)
    module = Module(application_id=CARD_ISSUING, files=both(extracts))
    api = make_api(emulator)
    result = pa_import_upload.run(module, api)
    assert result["changed"] is True and "answer lost" in result["msg"]
    assert module.warnings and "adopted import" in module.warnings[0]
    assert [row["id"] for row in pending_of(emulator)] == [result["application_import"]["id"]]
    assert uploads(emulator) == 1 and emulator.stats()["uploads"] == 1


def test_an_upload_committed_after_the_connection_dropped_is_adopted_at_the_second_look(emulator, extracts):
    emulator.add_fault(method="POST", path=UPLOAD, action="drop_then_act", seconds=0.3)
    module = Module(application_id=CARD_ISSUING, files=both(extracts))
    result = run(emulator, module)
    assert result["changed"] is True and "answer lost" in result["msg"]
    assert [row["id"] for row in pending_of(emulator)] == [result["application_import"]["id"]]
    assert uploads(emulator) == 1 and emulator.stats()["uploads"] == 1


def test_every_attempt_refused_says_nothing_was_uploaded(emulator, extracts):
    emulator.add_fault(method="POST", path=UPLOAD, action="status", status=503, times=2)
    details = failure(emulator, Module(application_id=CARD_ISSUING, files=both(extracts)), retries=1)
    assert details["outcome_unknown"] is False and details["attempts"] == 2 and details["status"] == 503
    assert "so nothing was uploaded; sent 2 time(s), request_retries used up" in details["msg"]
    assert uploads(emulator) == 2 and emulator.stats()["uploads"] == 0


def test_lost_answer_with_someone_elses_identical_upload_lists_the_candidates(emulator, extracts):
    files = {"Users": extracts.users, "Roles": extracts.roles}
    emulator.add_fault(method="POST", path=UPLOAD, action="drop_after")
    api = make_api(emulator)
    module = Module(application_id=CARD_ISSUING, files=files, force=True)
    # A second, identical upload lands between our upload and our look-up: two candidates, neither adopted.
    original = api.upload_import

    def upload_twice(body):
        try:
            return original(body)
        finally:
            run(emulator, Module(application_id=CARD_ISSUING, files=files, force=True))

    api.upload_import = upload_twice
    with pytest.raises(PermissionAssistError) as caught:
        pa_import_upload.run(module, api)
    details = caught.value.fail_kwargs()
    assert details["outcome_unknown"] is True and len(details["candidate_import_ids"]) == 2
    assert "someone else uploaded too" in details["msg"]


def test_a_read_timeout_waits_for_a_late_commit(emulator, extracts):
    emulator.add_fault(method="POST", path=UPLOAD, action="delay", seconds=0.7)
    api = make_api(emulator, timeout=0.5)
    module = Module(application_id=CARD_ISSUING, files=both(extracts))
    result = pa_import_upload.run(module, api)
    assert result["changed"] is True and "answer lost" in result["msg"] and "no answer within" in result["msg"]
    assert emulator.stats()["uploads"] == 1


def test_connection_refused_sends_nothing(extracts):
    from pa_testlib import start_emulator

    emulator = start_emulator()
    url = emulator.url
    emulator.stop()
    details = failure(SimpleNamespace(url=url), Module(application_id=CARD_ISSUING, files={"Users": extracts.users}))
    assert "cannot connect" in details["msg"] and details["request_sent"] is False


# Wait

def test_wait_returns_the_finished_import(emulator, extracts):
    emulator.set_worker(paused=False, build_seconds=0.2)
    result = run(emulator, Module(application_id=CARD_ISSUING, files=both(extracts),
                                  wait=True, poll_interval=0.05, wait_timeout=30))
    assert result["changed"] and result["application_import"]["status"] == "Finished"
    assert sorted(item["name"] for item in result["application_import"]["files"]) == [
        "roles_20260302.csv", "users_20260302.csv"]


def test_wait_timeout_with_cancel_reports_the_upload_as_changed(emulator, extracts):
    details = failure(emulator, Module(application_id=CARD_ISSUING, files=both(extracts),
                                       wait=True, poll_interval=0.05, wait_timeout=0.3, cancel_on_timeout=True))
    assert details["timed_out"] is True and details["changed"] is True
    assert details["application_import"]["status"] in ("Canceling", "Canceled")


# The applications form of pa_import_stage (the stage_imports role): items with files upload, in the same run

def test_batch_mixes_staged_and_uploaded_items_in_one_run(emulator, extracts):
    from ansible_collections.sycorr.permission_assist.plugins.modules import pa_import_stage

    items = ["HR Portal", {"name": "Card Issuing", "files": both(extracts)}, {"id": CORE_BANKING}]
    module = Module(applications=items)
    module.params = dict((name, spec.get("default")) for name, spec in pa_import_stage.ARGUMENT_SPEC.items())
    module.params.update(applications=items)
    api = make_api(emulator)
    result = pa_import_stage.run(module, api)
    rows = result["application_results"]
    assert [(row["application_name"], row["changed"], row["failed"]) for row in rows] == [
        ("HR Portal", True, False), ("Card Issuing", True, False), ("Core Banking", True, False)]
    assert "uploaded_files" not in rows[0] and "uploaded_files" not in rows[2]
    assert [item["file_group"] for item in rows[1]["uploaded_files"]] == ["Users", "Roles"]
    assert rows[1]["msg"].startswith("uploaded import #")
    assert sorted(item["name"] for item in rows[1]["application_import"]["files"]) == [
        "roles_20260302.csv", "users_20260302.csv"]
    assert result["summary"]["staged"] == 3 and emulator.stats()["uploads"] == 1
    again = pa_import_stage.run(module, make_api(emulator))
    assert [row["changed"] for row in again["application_results"]] == [False, False, False]
    assert emulator.stats()["uploads"] == 1
    forced = dict(items[1], reuse_pending=False)
    module.params.update(applications=[forced])
    assert pa_import_stage.run(module, make_api(emulator))["application_results"][0]["changed"] is True
    assert emulator.stats()["uploads"] == 2


def test_batch_checks_every_path_before_any_request(emulator, extracts):
    from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import parse_items

    with pytest.raises(PermissionAssistError) as caught:
        parse_items(["HR Portal", {"name": "Card Issuing", "files": {"Users": str(extracts.dir / "gone.csv")}}], True)
    assert str(caught.value).startswith("applications[1].files.Users: ")
    assert emulator.stats()["total"] == 0


def test_batch_upload_item_failure_does_not_stop_the_others(emulator, extracts):
    from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import parse_items, stage_many

    items = parse_items([{"name": "Card Issuing", "files": {"Users": extracts.users}},
                         {"id": CORE_BANKING, "files": both(extracts)}, "Payments Gateway"], True)
    run_ = stage_many(make_api(emulator), items, check_mode=False)
    first, second, third = run_.results
    assert first["failed"] and first["msg"].startswith("applications[0].files: the connector of Card Issuing requires")
    assert second["failed"] and "is not file-based" in second["msg"]
    assert third["changed"] and not third["failed"]
    assert uploads(emulator) == 0


def test_batch_check_mode_says_would_upload(emulator, extracts):
    from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import parse_items, stage_many

    items = parse_items([{"name": "Card Issuing", "files": both(extracts)}], True)
    [row] = stage_many(make_api(emulator), items, check_mode=True).results
    assert row["changed"] and row["application_import"]["id"] is None and row["msg"].startswith("check mode: would upload")
    assert uploads(emulator) == 0


def test_the_multipart_body_is_exactly_its_declared_length_and_names_files_safely(tmp_path):
    from ansible_collections.sycorr.permission_assist.plugins.module_utils.multipart import FilePart, MultipartBody

    path = tmp_path / "données.csv"
    path.write_bytes(b"x" * 700000)
    body = MultipartBody([("applicationId", CARD_ISSUING)],
                         [FilePart(USERS, 'rôles "2026"\r\n.csv', str(path), 700000)])
    data = b"".join(body)
    assert len(data) == len(body)
    assert b"".join(body) == data  # iterable again: a retry re-reads the file
    assert 'filename="rôles %222026%22%0D%0A.csv"'.encode("utf-8") in data
    assert body.content_type == "multipart/form-data; boundary=" + body.boundary
    assert data.endswith(("--" + body.boundary + "--\r\n").encode())


def test_a_file_name_with_non_ascii_letters_reaches_the_server_as_written(emulator, tmp_path):
    users = tmp_path / "utilisateurs_été.csv"
    users.write_text("id\n1\n")
    roles = tmp_path / "rôles.csv"
    roles.write_text("id\n1\n")
    result = run(emulator, Module(application_id=CARD_ISSUING, files={"Users": str(users), "Roles": str(roles)}))
    assert [item["name"] for item in result["application_import"]["files"]] == ["utilisateurs_été.csv", "rôles.csv"]
    again = run(emulator, Module(application_id=CARD_ISSUING, files={"Users": str(users), "Roles": str(roles)}))
    assert again["reused"] is True

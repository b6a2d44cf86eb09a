"""POST /api/application-imports/upload (contract 6.7): multipart, read in chunks, every refusal row, faults."""

import uuid

import pytest
import requests

from emu_helpers import (CARD_ISSUING, CORE_BANKING, FULL_FIELDS, HR_PORTAL, LEGACY_MAINFRAME, TOKEN, Api,
                         assert_error)

UPLOAD = "/application-imports/upload"
USERS = "3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38"
ROLES = "c47e1b92-0d6a-4f35-8b29-5a1e3c7d9f64"
ENTITLEMENTS = "8b5d3e0f-2a7c-4e19-9d46-b0f1c8a2e753"
HR_USERS = "e1c8a5d3-7f29-4b60-8e14-2d9b6f3a0c57"


def upload(api, files, data=None, params=None, **kwargs):
    """``files``: part name -> (file name, bytes); ``data``: text fields."""
    return api.session.post(api.base + UPLOAD, files=files, data=data, params=params, timeout=30, **kwargs)


def both_required(users=b"id,name\n1,Ann\n", roles=b"id,role\n1,admin\n"):
    return {USERS: ("users_20260302.csv", users), ROLES: ("roles_20260302.csv", roles)}


def errors_of(response):
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "validation_error" and set(body) == {"error", "message", "correlationId", "errors"}
    return {item["field"]: item["message"] for item in body["errors"]}


def test_upload_returns_201_with_a_pending_full_record_and_its_files(api, emulator):
    response = upload(api, both_required(), data={"applicationId": CARD_ISSUING})
    assert response.status_code == 201, response.text
    record = response.json()
    assert set(record) == FULL_FIELDS
    assert record["status"] == "Pending" and record["buildStart"] is None and record["metrics"] is None
    assert record["type"].lower() == "api" and record["createdBy"] == "API Token - Automation Service"
    assert record["application"]["id"] == CARD_ISSUING
    assert [(item["fileGroupId"], item["fileGroup"], item["name"]) for item in record["files"]] == [
        (USERS, "Users", "users_20260302.csv"), (ROLES, "Roles", "roles_20260302.csv")]
    assert all(set(item) == {"id", "fileGroupId", "fileGroup", "name"} for item in record["files"])
    uuid.UUID(record["files"][0]["id"])
    assert api.record(record["id"]) == record
    stats = emulator.stats()
    assert stats["imports_created"] == 1 and stats["uploads"] == 1
    assert stats["requests"]["POST /api/application-imports/upload"] == 1


def test_application_id_as_query_parameter_and_optional_groups(api):
    files = dict(both_required(), **{ENTITLEMENTS: ("ent.csv", b"x")})
    response = upload(api, files, params={"applicationId": CARD_ISSUING})
    assert response.status_code == 201, response.text
    assert [item["fileGroup"] for item in response.json()["files"]] == ["Users", "Roles", "Entitlements"]


def test_a_scheduled_application_with_a_file_based_connector_takes_uploads(api):
    response = upload(api, {HR_USERS: ("hr.csv", b"a")}, data={"applicationId": HR_PORTAL})
    assert response.status_code == 201, response.text


def test_the_build_job_keeps_the_uploaded_files(api, emulator):
    record = upload(api, both_required(), data={"applicationId": CARD_ISSUING}).json()
    emulator.set_worker(paused=False)
    finished = api.wait_for(record["id"], ("Finished",))
    assert [item["name"] for item in finished["files"]] == ["users_20260302.csv", "roles_20260302.csv"]


def test_upload_is_not_idempotent(api, emulator):
    first = upload(api, both_required(), data={"applicationId": CARD_ISSUING}).json()
    second = upload(api, both_required(), data={"applicationId": CARD_ISSUING}).json()
    assert first["id"] != second["id"] and emulator.stats()["uploads"] == 2


@pytest.mark.parametrize("data,params,message", [
    ({}, None, "Application ID is required"),
    ({"applicationId": ""}, None, "Application ID is required"),
    ({"applicationId": "not-a-guid"}, None, "Application ID must be a GUID"),
    ({"applicationId": str(uuid.UUID(int=7, version=4))}, None, "Application not found"),
    ({"applicationId": CARD_ISSUING.upper()}, None, "Application not found"),
    ({"applicationId": LEGACY_MAINFRAME}, None, "Application is archived"),
    ({"applicationId": CARD_ISSUING}, {"applicationId": HR_PORTAL}, "different values"),
], ids=["missing", "empty", "malformed", "unknown", "upper-case", "archived", "form-and-query-differ"])
def test_application_refusals_are_400_on_application_id(api, emulator, data, params, message):
    response = upload(api, both_required(), data=data, params=params)
    body = assert_error(response, 400, "validation_error", field="applicationId")
    assert message in body["errors"][0]["message"]
    assert emulator.stats()["uploads"] == 0


def test_same_application_id_in_form_and_query_is_accepted(api):
    response = upload(api, both_required(), data={"applicationId": CARD_ISSUING}, params={"applicationId": CARD_ISSUING})
    assert response.status_code == 201


def test_connector_not_file_based_is_422(api, emulator):
    response = upload(api, both_required(), data={"applicationId": CORE_BANKING})
    body = assert_error(response, 422, "unprocessable_entity")
    assert "file-based" in body["message"]
    assert emulator.stats()["uploads"] == 0


@pytest.mark.parametrize("files,field,message", [
    ({USERS: ("u.csv", b"a"), "Roles": ("r.csv", b"b")}, "Roles", "GUID"),
    ({USERS: ("u.csv", b"a"), ROLES: ("r.csv", b"b"), HR_USERS: ("x.csv", b"c")}, HR_USERS, "Not a file group"),
    ({USERS: ("u.csv", b"a")}, ROLES, "File group Roles is required"),
    ({USERS: ("u.csv", b"a"), ROLES: ("r.csv", b"")}, ROLES, "File is empty"),
    ({USERS: ("u.csv", b"a"), ROLES: ("", b"b")}, ROLES, "File name is required"),
], ids=["name-not-guid", "group-of-another-connector", "required-group-missing", "empty-file", "no-file-name"])
def test_part_refusals_are_400_naming_the_part(api, emulator, files, field, message):
    response = upload(api, files, data={"applicationId": CARD_ISSUING})
    problems = errors_of(response)
    assert field in problems and message in problems[field], problems
    assert emulator.stats()["uploads"] == 0


def test_every_problem_is_listed_at_once(api):
    problems = errors_of(upload(api, {USERS: ("u.csv", b"")}, data={"applicationId": CARD_ISSUING}))
    assert problems == {USERS: "File is empty", ROLES: "File group Roles is required"}


def test_a_group_sent_as_a_text_field_is_refused(api):
    problems = errors_of(upload(api, {USERS: ("u.csv", b"a")}, data={"applicationId": CARD_ISSUING, ROLES: "r"}))
    assert "file part" in problems[ROLES]


@pytest.mark.parametrize("headers,body", [
    ({"Content-Type": "application/json"}, b'{"applicationId": "%s"}' % CARD_ISSUING.encode()),
    ({"Content-Type": "multipart/form-data"}, b"--x\r\n"),
    ({"Content-Type": "multipart/form-data; boundary=xyz"}, b"not multipart at all"),
    ({"Content-Type": "multipart/form-data; boundary=xyz"},
     b'--xyz\r\nContent-Disposition: form-data; name="applicationId"\r\n\r\n' + CARD_ISSUING.encode()),
    ({"Content-Type": "multipart/form-data; boundary=xyz"}, b""),
], ids=["json", "no-boundary", "no-boundary-line", "no-closing-boundary", "empty"])
def test_a_body_that_is_not_multipart_is_400_on_body(api, emulator, headers, body):
    response = api.session.post(api.base + UPLOAD, data=body, headers=headers, timeout=10)
    assert_error(response, 400, "validation_error", field="body")
    assert emulator.stats()["uploads"] == 0
    assert api.get("/applications/" + CARD_ISSUING).status_code == 200  # the connection is still usable


def test_handwritten_multipart_with_preamble_and_quoted_boundary(api):
    body = (b"ignored preamble\r\n--abc\r\n"
            b'Content-Disposition: form-data; name="applicationId"\r\n\r\n' + CARD_ISSUING.encode() + b"\r\n--abc\r\n"
            b'Content-Disposition: form-data; name="' + USERS.encode() + b'"; filename="u s.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\nline1\r\n--ab\r\n-abc\r\n--abc\r\n"
            b'Content-Disposition: form-data; name="' + ROLES.encode() + b'"; filename="r.csv"\r\n\r\nx\r\n'
            b"--abc--\r\nepilogue")
    response = api.session.post(api.base + UPLOAD, data=body, timeout=10,
                                headers={"Content-Type": 'multipart/form-data; boundary="abc"'})
    assert response.status_code == 201, response.text
    assert [item["name"] for item in response.json()["files"]] == ["u s.csv", "r.csv"]


def test_chunked_upload_is_411(api):
    response = api.session.post(api.base + UPLOAD, data=iter([b"--x\r\n"]), timeout=10,
                                headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert_error(response, 411, "length_required")


def test_upload_needs_the_token_first(emulator):
    response = upload(Api(emulator, token=None), both_required(), data={"applicationId": CARD_ISSUING})
    assert_error(response, 401, "unauthorized")


def test_get_on_the_upload_path_is_405(api):
    response = api.get(UPLOAD)
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


def test_upload_limit_knob_answers_413(make_emulator):
    emulator = make_emulator(upload_limit=1000, worker_paused=True)
    api = Api(emulator)
    response = upload(api, both_required(users=b"x" * 2000), data={"applicationId": CARD_ISSUING})
    assert_error(response, 413, "payload_too_large")
    assert upload(api, both_required(), data={"applicationId": CARD_ISSUING}).status_code == 201
    assert emulator.stats()["uploads"] == 1


def test_a_large_body_is_read_in_chunks_and_counted(api, emulator):
    size = 8 * 1024 * 1024 + 17

    def chunks():
        block = b"0123456789abcdef" * 4096
        sent = 0
        while sent < size:
            piece = block[:size - sent]
            sent += len(piece)
            yield piece

    class Body:
        """A streamed body with a declared length (what the collection's client sends)."""

        def __init__(self):
            boundary = "pa-test-boundary"
            self.content_type = "multipart/form-data; boundary=" + boundary
            self.head = ('--{0}\r\nContent-Disposition: form-data; name="applicationId"\r\n\r\n{1}\r\n--{0}\r\n'
                         'Content-Disposition: form-data; name="{2}"; filename="big.csv"\r\n\r\n').format(
                             boundary, CARD_ISSUING, USERS).encode()
            self.tail = ('\r\n--{0}\r\nContent-Disposition: form-data; name="{1}"; filename="r.csv"\r\n\r\nx\r\n'
                         '--{0}--\r\n').format(boundary, ROLES).encode()

        def __len__(self):
            return len(self.head) + size + len(self.tail)

        def __iter__(self):
            yield self.head
            yield from chunks()
            yield self.tail

    body = Body()
    response = requests.post(api.base + UPLOAD, data=body, timeout=60, headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": body.content_type})
    assert response.status_code == 201, response.text
    assert emulator.stats()["upload_bytes"] == len(body)


@pytest.mark.parametrize("action", ["drop_after", "drop_before"])
def test_drop_faults_apply_to_upload(emulator, action):
    emulator.add_fault(method="POST", path="^/api/application-imports/upload$", action=action)
    with pytest.raises(requests.ConnectionError):
        upload(Api(emulator), both_required(), data={"applicationId": CARD_ISSUING})
    assert emulator.stats()["uploads"] == (1 if action == "drop_after" else 0)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_status_faults_apply_to_upload_and_do_no_work(api, emulator, status):
    emulator.add_fault(method="POST", path="^/api/application-imports/upload$", action="status", status=status,
                       retry_after=1)
    response = upload(api, both_required(), data={"applicationId": CARD_ISSUING})
    assert response.status_code == status and response.headers["Retry-After"] == "1"
    assert emulator.stats()["uploads"] == 0
    assert upload(api, both_required(), data={"applicationId": CARD_ISSUING}).status_code == 201  # same connection


def test_upload_knobs_on_the_command_line_and_their_checks():
    from pa_emulator.__main__ import parse_args
    from pa_emulator import Emulator

    args = parse_args(["--hide-connector", "--upload-limit", "1000"])
    assert args.hide_connector is True and args.upload_limit == 1000
    assert parse_args([]).hide_connector is False and parse_args([]).upload_limit is None
    with pytest.raises(ValueError):
        Emulator(upload_limit=0)

"""Auth (contract 3), the error body (4.1), unknown paths, wrong methods and malformed request bodies."""

import http.client
import socket

import pytest
import requests

from emu_helpers import CORE_BANKING, TOKEN, Api, assert_error

ENDPOINTS = [
    ("GET", "/applications"),
    ("GET", "/applications/" + CORE_BANKING),
    ("GET", "/application-imports"),
    ("GET", "/application-imports/00000000-0000-4000-8000-000000000000"),
    ("POST", "/application-imports/stage"),
    ("POST", "/application-imports/cancel"),
    ("GET", "/no-such-resource"),  # auth comes before the routing 404
    ("DELETE", "/application-imports/stage"),  # ... and before the 405
]
BAD_HEADERS = [
    None,
    "Bearer pa_wrong_token",
    "Bearer " + TOKEN + "x",
    "Bearer",
    "Bearer ",
    "bearer " + TOKEN,  # the scheme is matched exactly
    "Basic " + TOKEN,
    TOKEN,
]


@pytest.mark.parametrize("header", BAD_HEADERS, ids=["missing", "wrong", "longer", "no-token", "empty", "lowercase-scheme",
                                                     "basic", "bare-token"])
@pytest.mark.parametrize("method,path", ENDPOINTS, ids=["{0} {1}".format(*row) for row in ENDPOINTS])
def test_every_api_request_needs_a_known_bearer_token(emulator, method, path, header):
    headers = {"Authorization": header} if header is not None else {}
    response = requests.request(method, emulator.url + "/api" + path, headers=headers,
                                json={"applicationId": CORE_BANKING}, timeout=5)
    body = assert_error(response, 401, "unauthorized")
    assert body["message"] == "Invalid or expired authentication token"
    assert TOKEN not in response.text
    assert emulator.stats()["imports_created"] == 0


def test_a_valid_token_is_accepted(api):
    response = api.get("/applications")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")


def test_two_authorization_headers_are_refused(emulator):
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    connection.putrequest("GET", "/api/applications")
    connection.putheader("Authorization", "Bearer " + TOKEN)
    connection.putheader("Authorization", "Bearer " + TOKEN)
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 401
    connection.close()


def test_correlation_ids_differ_per_error(api):
    first = assert_error(api.get("/applications/nope"), 404, "not_found")
    second = assert_error(api.get("/applications/nope"), 404, "not_found")
    assert first["correlationId"] != second["correlationId"]


def test_unknown_api_path_is_404(api):
    for path in ("/nothing-here", "/applications/" + CORE_BANKING + "/imports", "/application-imports/stage/x", "",
                 "/applications/"):  # no trailing-slash leniency
        assert_error(api.get(path), 404, "not_found")


def test_wrong_method_is_405_with_allow(api):
    cases = [
        ("DELETE", "/application-imports/stage", "POST"),
        ("GET", "/application-imports/stage", "POST"),  # a literal segment, not an {id}
        ("GET", "/application-imports/cancel", "POST"),
        ("POST", "/applications", "GET"),
        ("PUT", "/application-imports/" + CORE_BANKING, "GET"),
        ("PATCH", "/applications/" + CORE_BANKING, "GET"),
    ]
    for method, path, allow in cases:
        response = api.session.request(method, api.base + path, json={}, timeout=5)
        assert_error(response, 405, "method_not_allowed")
        assert response.headers["Allow"] == allow


def test_head_gets_405_without_a_body(api):
    response = api.session.head(api.base + "/applications", timeout=5)
    assert response.status_code == 405 and response.content == b""
    assert response.headers["Allow"] == "GET"
    assert api.get("/applications").status_code == 200  # the connection is still in step


@pytest.mark.parametrize("content_type,data", [
    (None, b'{"applicationId": "' + CORE_BANKING.encode() + b'"}'),
    ("text/plain", b'{"applicationId": "' + CORE_BANKING.encode() + b'"}'),
    ("application/x-www-form-urlencoded", b"applicationId=" + CORE_BANKING.encode()),
    ("application/json", b""),
    ("application/json", b"{not json"),
    ("application/json", b"[1, 2]"),
    ("application/json", b'"' + CORE_BANKING.encode() + b'"'),
    ("application/json", b"null"),
    ("application/json", b'{"applicationId": NaN}'),
    ("application/json", b"\xff\xfe{}"),
], ids=["no-type", "text", "form", "empty", "broken", "array", "string", "null", "nan", "not-utf8"])
def test_post_bodies_must_be_json_objects(api, emulator, content_type, data):
    headers = {"Content-Type": content_type} if content_type else {}
    response = api.session.post(api.base + "/application-imports/stage", data=data, headers=headers, timeout=5)
    assert_error(response, 400, "validation_error", field="body")
    assert emulator.stats()["imports_created"] == 0


def test_json_content_type_with_charset_is_accepted(api):
    response = api.session.post(api.base + "/application-imports/stage", data=('{"applicationId": "%s"}' % CORE_BANKING),
                                headers={"Content-Type": "application/json; charset=utf-8"}, timeout=5)
    assert response.status_code == 201


def test_chunked_request_body_is_read(api):
    def chunks():
        yield b'{"applicationId": '
        yield b'"' + CORE_BANKING.encode() + b'"}'

    response = api.session.post(api.base + "/application-imports/stage", data=chunks(),
                                headers={"Content-Type": "application/json"}, timeout=5)
    assert response.status_code == 201, response.text
    assert api.get("/applications").status_code == 200


def test_oversized_body_is_refused_and_the_connection_closed(api, emulator):
    response = api.session.post(api.base + "/application-imports/stage", data=b"x" * (1024 * 1024 + 1),
                                headers={"Content-Type": "application/json"}, timeout=10)
    assert_error(response, 413, "payload_too_large")
    assert emulator.stats()["imports_created"] == 0


def test_garbage_request_line_gets_a_json_error(emulator):
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        data = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    head, dummy, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b'"error": "validation_error"' in body


def test_paths_outside_api_are_404_without_auth(emulator):
    response = requests.get(emulator.url + "/index.html", timeout=5)
    assert_error(response, 404, "not_found")
    assert emulator.stats()["total"] == 0


def test_the_token_is_never_echoed(emulator):
    api = Api(emulator)
    texts = [api.get("/nothing").text, api.get("/applications/" + TOKEN).text,
             api.post("/application-imports/stage", {"applicationId": TOKEN}).text,
             api.post("/application-imports/cancel", {"applicationImportId": TOKEN}).text]
    assert TOKEN not in "".join(texts) and "Authorization" not in "".join(texts)
    stage = api.post("/application-imports/stage", {"applicationId": CORE_BANKING})
    assert TOKEN not in stage.text and "Automation Service" in stage.text  # the token's name, never its secret

"""The transport against the emulator over real HTTP: error contract, retries, and what is never retried."""

import time

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PermissionAssistApi
from ansible_collections.sycorr.permission_assist.plugins.module_utils.client import Client, RetryPolicy
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import ApiError, TransportError
from pa_clientlib import LIST, STAGE, make_api
from pa_testlib import TOKEN, application_id


def test_api_error_carries_status_code_message_and_correlation_id(emulator):
    api = make_api(emulator)
    archived = application_id(emulator, "Legacy Mainframe", archived=True)
    with pytest.raises(ApiError) as info:
        api.stage_import(archived)
    error = info.value
    assert error.status == 400 and error.error == "validation_error"
    assert error.field_errors[0]["field"] == "applicationId"
    assert len(error.correlation_id) == 32
    assert "HTTP 400 validation_error" in str(error) and "Application is archived" in str(error)


def test_bad_token_is_401_and_not_retried(emulator):
    api = make_api(emulator, token="pa_nope")
    with pytest.raises(ApiError) as info:
        api.list_applications()
    assert info.value.status == 401 and info.value.error == "unauthorized"
    assert api.client.request_count == 1
    assert "pa_nope" not in str(info.value)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_is_retried_on_transient_statuses(emulator, status):
    api = make_api(emulator)
    emulator.add_fault(method="GET", path=LIST, action="status", status=status, body="json", times=2)
    envelope = api.list_imports_page()
    assert envelope["page"] == 1
    assert api.client.request_count == 3


def test_get_honours_retry_after_up_to_the_cap(emulator):
    api = make_api(emulator)
    emulator.add_fault(method="GET", path=LIST, action="status", status=429, retry_after="120", body="json")
    api.list_imports_page()
    assert api.sleeps == [0.05]


def test_get_gives_up_after_the_retry_budget(emulator):
    api = make_api(emulator, retries=1)
    emulator.add_fault(method="GET", path=LIST, action="status", status=503, body="html", times=5)
    with pytest.raises(ApiError) as info:
        api.list_imports_page()
    assert info.value.status == 503 and "text/html" in str(info.value)
    assert api.client.request_count == 2


def test_get_is_retried_after_a_dropped_connection(emulator):
    api = make_api(emulator)
    emulator.add_fault(method="GET", path=LIST, action="drop_before")
    assert api.list_imports_page()["page"] == 1


def test_stage_is_retried_when_the_server_refused_it(emulator):
    api = make_api(emulator)
    app = application_id(emulator, "Core Banking")
    emulator.add_fault(method="POST", path=STAGE, action="status", status=503, retry_after="0", body="json")
    emulator.add_fault(method="POST", path=STAGE, action="status", status=429, body="json")
    record = api.stage_import(app)
    assert record["status"] == "Pending"
    assert emulator.stats()["imports_created"] == 1


@pytest.mark.parametrize("fault", [
    dict(action="drop_after"),
    dict(action="status", status=502, body="html"),
    dict(action="status", status=504, body="json"),
    dict(action="status", status=503, body="empty"),
    dict(action="malformed_ok"),
])
def test_stage_is_never_resent_when_the_answer_is_lost(emulator, fault):
    api = make_api(emulator)
    app = application_id(emulator, "Core Banking")
    emulator.add_fault(method="POST", path=STAGE, **fault)
    with pytest.raises(TransportError) as info:
        api.stage_import(app)
    assert info.value.request_sent is True
    assert api.client.request_count == 1
    assert emulator.stats()["imports_created"] <= 1


def test_stage_read_timeout_is_not_resent(emulator):
    api = make_api(emulator, timeout=0.3)
    app = application_id(emulator, "Core Banking")
    emulator.add_fault(method="POST", path=STAGE, action="delay", seconds=1.0)
    with pytest.raises(TransportError) as info:
        api.stage_import(app)
    assert info.value.request_sent is True and "no answer within" in str(info.value)
    assert api.client.request_count == 1
    # The server still does the work after the client gave up: exactly what makes a resend unsafe.
    deadline = time.monotonic() + 5
    while emulator.stats()["imports_created"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert emulator.stats()["imports_created"] == 1


def test_connection_refused_is_reported_as_not_sent():
    client = Client("http://127.0.0.1:9", TOKEN, retry_policy=RetryPolicy(retries=1, max_delay=0.01),
                    sleep=lambda seconds: None)
    with pytest.raises(TransportError) as info:
        PermissionAssistApi(client).stage_import("7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3")
    assert info.value.request_sent is False
    assert client.request_count == 2


def test_path_prefix_behind_a_reverse_proxy():
    from pa_testlib import start_emulator
    emulator = start_emulator(prefix="/pa")
    try:
        assert emulator.url.endswith("/pa")
        api = make_api(emulator)
        assert len(api.list_applications()) > 10
    finally:
        emulator.stop()

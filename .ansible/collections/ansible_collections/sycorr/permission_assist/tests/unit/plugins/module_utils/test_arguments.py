import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import check_connection, guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError


def params(**overrides):
    base = dict(pa_url="https://pa.example.com", pa_token="pa_x", validate_certs=True, ca_path=None,
                request_timeout=30.0, request_retries=3)
    base.update(overrides)
    return base


@pytest.mark.parametrize("value", ["", "abc", "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f", "{7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3}",
                                   "7c2e91d43b5a4f089e61d5a0c47b28f3", "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28g3", 12, ["x"],
                                   "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3\u00e9"])
def test_guid_rejects_with_the_field_name(value):
    with pytest.raises(InputError) as info:
        guid("application_id", value)
    assert str(info.value).startswith("application_id: ")
    assert info.value.fail_kwargs()["field"] == "application_id"


def test_guid_normalises_case_and_spaces():
    assert guid("x", " 7C2E91D4-3B5A-4F08-9E61-D5A0C47B28F3 ") == "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"


@pytest.mark.parametrize("url", ["pa.example.com", "ftp://pa.example.com", "https://", "https://pa/?x=1", "/api"])
def test_bad_urls_name_pa_url(url):
    with pytest.raises(InputError) as info:
        check_connection(params(pa_url=url))
    assert str(info.value).startswith("pa_url: ")


def test_plain_http_warns_except_on_loopback():
    assert check_connection(params(pa_url="http://127.0.0.1:8080")) == []
    assert check_connection(params(pa_url="http://localhost:8080/pa")) == []
    warnings = check_connection(params(pa_url="http://pa.example.com"))
    assert len(warnings) == 1 and "unencrypted" in warnings[0]


def test_disabled_certificate_check_warns():
    warnings = check_connection(params(validate_certs=False))
    assert any("validate_certs" in warning for warning in warnings)


@pytest.mark.parametrize("field,value", [("request_timeout", 0), ("request_retries", -1), ("pa_token", "  ")])
def test_out_of_range_values_name_the_field(field, value):
    with pytest.raises(InputError) as info:
        check_connection(params(**{field: value}))
    assert str(info.value).startswith(field + ": ")

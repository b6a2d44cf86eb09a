"""TLS against an HTTPS emulator whose certificate comes from a throwaway CA made at test time; the module's main()
runs in-process (tests/pa_modulelib.py), its HTTP client is the real one.

The certificates are built with ``cryptography`` (a requirement of ansible-core itself, so always importable where
the collection's tests run). The server certificate names only the IP address 127.0.0.1 (IP SAN).

| row                                 | task reports                                                             |
|-------------------------------------|--------------------------------------------------------------------------|
| defaults (system CA bundle)         | failed "GET /applications failed: TLS error talking to 127.0.0.1:PORT:   |
|                                     | [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to    |
|                                     | get local issuer certificate", request_sent false, nothing reached the API |
| ca_path: the test CA                | works, also where REQUESTS_CA_BUNDLE names the system bundle             |
| PA_CA_PATH=the test CA              | works, no validate_certs warning                                         |
| ca_path, URL https://localhost:PORT | failed "... Hostname mismatch, certificate is not valid for 'localhost'" |
|                                     | (ca_path keeps the host-name check)                                      |
| validate_certs: false               | works, warns "validate_certs is false: the server's TLS certificate is  |
|                                     | not checked"                                                             |
"""

import pytest

from pa_tls import start_https_emulator


@pytest.fixture(scope="module")
def https_emulator(tmp_path_factory):
    server = start_https_emulator(tmp_path_factory.mktemp("tls"))
    yield server
    server.stop()


HR_PORTAL = {"name": "HR Portal"}


def assert_works(run):
    assert run.rc == 0, run.output
    assert [app["name"] for app in run["applications"]] == ["HR Portal"]


def assert_tls_failure(run, server, reason):
    assert run["failed"] is True and run["request_sent"] is False, run.output
    assert run["msg"].startswith("GET /applications failed: TLS error talking to 127.0.0.1:{0}: ".format(server.port)) \
        or run["msg"].startswith("GET /applications failed: TLS error talking to localhost:{0}: ".format(server.port))
    assert reason in run["msg"], run["msg"]
    assert "\n" not in run["msg"] and "Traceback" not in run.output and "exception" not in run.result


def test_verification_is_on_by_default(https_emulator, run_module):
    assert https_emulator.url.startswith("https://127.0.0.1:")
    before = https_emulator.stats()["total"]
    run = run_module("pa_application_info", HR_PORTAL, server=https_emulator)
    assert_tls_failure(run, https_emulator, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                                            "unable to get local issuer certificate")
    assert https_emulator.stats()["total"] == before  # nothing reached the API


# REQUESTS_CA_BUNDLE is set in many EEs and corporate machines; it must not override ca_path.
@pytest.mark.parametrize("env", [{}, {"REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt"}],
                         ids=["plain", "requests_ca_bundle_set"])
def test_ca_path_option(https_emulator, run_module, env):
    assert_works(run_module("pa_application_info", dict(HR_PORTAL, ca_path=https_emulator.ca_path), env=env,
                            server=https_emulator))


def test_pa_ca_path_environment(https_emulator, run_module):
    run = run_module("pa_application_info", HR_PORTAL, env={"PA_CA_PATH": https_emulator.ca_path}, server=https_emulator)
    assert_works(run)
    assert not run.get("warnings"), run["warnings"]  # no validate_certs warning, nor any other


def test_ca_path_still_checks_the_host_name(https_emulator, run_module):
    url = https_emulator.url.replace("https://127.0.0.1:", "https://localhost:")
    run = run_module("pa_application_info", dict(HR_PORTAL, ca_path=https_emulator.ca_path, pa_url=url),
                     server=https_emulator)
    assert_tls_failure(run, https_emulator, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                                            "Hostname mismatch, certificate is not valid for 'localhost'")


def test_validate_certs_false_works_and_warns(https_emulator, run_module):
    run = run_module("pa_application_info", dict(HR_PORTAL, validate_certs=False), server=https_emulator)
    assert_works(run)
    assert run.warned("validate_certs is false: the server's TLS certificate is not checked"), run.output

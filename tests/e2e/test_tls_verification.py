"""TLS: verification is on by default, ca_path and PA_CA_PATH work, validate_certs=false works and warns."""

import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pa_testlib import run_module, start_emulator


def _certificate(subject, issuer, public_key, signing_key, ca, san=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture(scope="module")
def tls_emulator(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Permission Assist test CA")])
    ca_cert = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), ca_name, key.public_key(),
                        ca_key, ca=False, san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    emulator = start_emulator(tls_cert=str(folder / "server.pem"), tls_key=str(folder / "server.key"))
    emulator.ca_path = str(folder / "ca.pem")
    yield emulator
    emulator.stop()


def run_output_and_warnings(run):
    return " ".join(run.get("warnings", [])) + run.output


def test_certificate_is_verified_by_default(tls_emulator):
    assert tls_emulator.url.startswith("https://")
    run = run_module(tls_emulator, "pa_application_info", {})
    assert run["failed"] is True and "TLS error" in run["msg"] and "CERTIFICATE_VERIFY_FAILED" in run["msg"]
    assert run["request_sent"] is False and "Traceback" not in run.output


def test_ca_path_option_and_environment(tls_emulator):
    # REQUESTS_CA_BUNDLE is set in many EEs and corporate machines; it must not override ca_path.
    by_option = run_module(tls_emulator, "pa_application_info", {"ca_path": tls_emulator.ca_path, "name": "HR Portal"},
                           env={"REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt"})
    assert by_option.rc == 0, by_option.output
    assert by_option["applications"][0]["name"] == "HR Portal"
    by_env = run_module(tls_emulator, "pa_application_info", {"name": "HR Portal"}, env={"PA_CA_PATH": tls_emulator.ca_path})
    assert by_env.rc == 0 and len(by_env["applications"]) == 1
    assert "validate_certs" not in run_output_and_warnings(by_env)


def test_validate_certs_false_works_and_warns(tls_emulator):
    run = run_module(tls_emulator, "pa_application_info", {"validate_certs": False, "name": "HR Portal"})
    assert run.rc == 0, run.output
    # ansible-core 2.19 shows module warnings on the console rather than keeping them in the result.
    assert "validate_certs is false" in run_output_and_warnings(run)

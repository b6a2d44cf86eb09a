"""A throwaway CA and an HTTPS emulator whose certificate it signed, made at test time.

The certificates are built with ``cryptography`` (a requirement of ansible-core itself, so always importable where
the collection's tests run). The server certificate names only the IP address 127.0.0.1 (IP SAN).
"""

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pa_testlib import start_emulator


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _sign(subject, issuer, public_key, ca_key, ca, extensions=()):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(ca_key, hashes.SHA256())


def _pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM)


def start_https_emulator(folder, **kwargs):
    """An emulator serving HTTPS with a certificate of a new CA; ``server.ca_path`` names the CA's PEM file."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _sign(_name("Throwaway Permission Assist test CA"), _name("Throwaway Permission Assist test CA"),
                    ca_key.public_key(), ca_key, ca=True,
                    extensions=[(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                               data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                               crl_sign=True, encipher_only=False, decipher_only=False), True),
                                (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)])
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = _sign(_name("127.0.0.1"), ca_cert.subject, server_key.public_key(), ca_key, ca=False, extensions=[
        (x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
        # Python 3.13 verifies strictly (VERIFY_X509_STRICT): it wants the key identifiers.
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False),
    ])
    (folder / "ca.pem").write_bytes(_pem(ca_cert))
    (folder / "server.pem").write_bytes(_pem(server_cert))
    (folder / "server.key").write_bytes(server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    kwargs.setdefault("worker_paused", True)
    server = start_emulator(tls_cert=str(folder / "server.pem"), tls_key=str(folder / "server.key"), **kwargs)
    server.ca_path = str(folder / "ca.pem")
    return server

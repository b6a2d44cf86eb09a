"""The server around the API: control endpoints, stats, prefix, keep-alive, TLS, the access log and the CLI."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from emu_helpers import CORE_BANKING, HR_PORTAL, TOKEN, Api, assert_error
from pa_emulator.worker import CANCEL_SECONDS

EMULATOR_DIR = Path(__file__).resolve().parents[2] / "emulator"


def control(emulator, method, name, **kwargs):
    response = requests.request(method, emulator.url + "/_emulator/" + name, timeout=5, **kwargs)
    return response


def test_stats_count_api_requests_per_route_template(api, emulator):
    api.get("/applications")
    api.get("/applications/" + CORE_BANKING)
    api.get("/application-imports", applicationId=CORE_BANKING)
    api.get("/application-imports", page=2)
    record = api.stage(CORE_BANKING)
    api.get("/application-imports/" + record["id"])
    api.cancel(record["id"])
    api.get("/nothing")
    api.session.delete(api.base + "/application-imports/stage", timeout=5)
    Api(emulator, token="pa_wrong").get("/applications")
    control(emulator, "GET", "health")
    control(emulator, "GET", "stats")
    stats = control(emulator, "GET", "stats").json()
    assert stats["total"] == 10
    assert stats["requests"] == {
        "GET /api/applications": 2,
        "GET /api/applications/{id}": 1,
        "GET /api/application-imports": 2,
        "POST /api/application-imports/stage": 1,
        "GET /api/application-imports/{id}": 1,
        "POST /api/application-imports/cancel": 1,
        "GET (unrouted)": 1,
        "DELETE /api/application-imports/stage": 1,
    }
    assert stats["imports_created"] == 1 and stats["by_status"]["Canceling"] == 1
    assert emulator.stats() == stats


def test_faulted_requests_are_counted_but_not_those_dropped_before(emulator):
    emulator.add_fault(method="GET", path=".*", action="drop_before")
    emulator.add_fault(method="GET", path=".*", action="status", status=503)
    emulator.add_fault(method="GET", path=".*", action="drop_after")
    for dummy in range(3):
        with pytest.raises(requests.exceptions.RequestException):
            Api(emulator).get("/applications").raise_for_status()
    assert emulator.stats()["requests"] == {"GET /api/applications": 2}


def test_reset_restores_the_seed_state(api, emulator):
    record = api.stage(CORE_BANKING)
    emulator.add_fault(method="GET", path="^/api/applications$", action="status", status=500, times=9)
    emulator.set_worker(paused=False)
    api.wait_for(record["id"], ("Finished",))
    assert control(emulator, "POST", "reset").json() == {"ok": True}
    stats = emulator.stats()
    assert stats["total"] == 0 and stats["requests"] == {} and stats["imports_created"] == 0
    assert stats["faults_pending"] == 0 and set(stats["by_status"]) == {"Finished", "Failed"}
    assert_error(api.get("/application-imports/" + record["id"]), 404, "not_found")
    assert api.get("/application-imports", applicationId=CORE_BANKING).json()["totalCount"] == 130
    assert api.get("/applications/" + CORE_BANKING).json()["lastUpdated"] < "2026-11"
    assert api.stage(HR_PORTAL)["type"] == "API"  # the spelling alternation restarts too


def test_worker_control(api, emulator):
    defaults = {"cancel_seconds": CANCEL_SECONDS, "cancel_race": "canceled"}
    assert control(emulator, "GET", "worker").json() == dict(defaults, paused=True, build_seconds=0.2)
    record = api.stage(HR_PORTAL)
    response = control(emulator, "POST", "worker", json={"paused": False, "build_seconds": 0.05})
    assert response.json() == dict(defaults, paused=False, build_seconds=0.05)
    api.wait_for(record["id"], ("Finished",))
    for bad in ({"paused": "yes"}, {"build_seconds": "fast"}, {"build_seconds": -1}, {"speed": 2},
                {"cancel_seconds": -0.1}, {"cancel_seconds": True}, {"cancel_race": "Finished"},
                {"build_seconds": 1, "cancel_race": "never"}):
        assert control(emulator, "POST", "worker", json=bad).status_code == 400
    assert control(emulator, "GET", "worker").json() == dict(defaults, paused=False, build_seconds=0.05)
    both = {"cancel_seconds": 1.5, "cancel_race": "failed"}
    assert control(emulator, "POST", "worker", json=both).json() == dict(both, paused=False, build_seconds=0.05)


def test_control_endpoints_need_no_token_and_refuse_the_unknown(emulator):
    assert control(emulator, "GET", "health").json() == {"ok": True}
    assert_error(control(emulator, "GET", "nothing"), 404, "not_found")
    response = control(emulator, "GET", "reset")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "POST"
    assert control(emulator, "POST", "worker", data="{", headers={"Content-Type": "application/json"}).status_code == 400
    assert emulator.stats()["total"] == 0


def test_prefix_moves_api_and_control(make_emulator):
    emulator = make_emulator(prefix="pa/", worker_paused=True)  # normalized to /pa
    assert emulator.url == "http://127.0.0.1:{0}/pa".format(emulator.port)
    root = "http://127.0.0.1:{0}".format(emulator.port)
    headers = {"Authorization": "Bearer " + TOKEN}
    assert requests.get(root + "/pa/api/applications", headers=headers, timeout=5).status_code == 200
    assert_error(requests.get(root + "/api/applications", headers=headers, timeout=5), 404, "not_found")
    assert_error(requests.get(root + "/pa2/api/applications", headers=headers, timeout=5), 404, "not_found")
    assert requests.get(root + "/pa/_emulator/health", timeout=5).status_code == 200
    assert requests.get(root + "/_emulator/health", timeout=5).status_code == 404
    staged = Api(emulator).stage(CORE_BANKING)
    assert staged["status"] == "Pending"
    assert emulator.stats()["requests"] == {"GET /api/applications": 1, "POST /api/application-imports/stage": 1}


def test_keep_alive_serves_many_requests_over_one_connection(emulator):
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    headers = {"Authorization": "Bearer " + TOKEN}
    connection.request("GET", "/api/applications", headers=headers)
    connection.getresponse().read()
    sock = connection.sock
    started = time.monotonic()
    for index in range(300):
        connection.request("GET", "/api/application-imports?page={0}".format(1 + index % 4), headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200 and response.getheader("Content-Length")
        assert connection.sock is sock  # the same socket every time: never closed by the server
    elapsed = time.monotonic() - started
    connection.close()
    assert elapsed < 6, "300 kept-alive requests took {0:.1f}s".format(elapsed)  # ~40 ms each would be 12 s


def test_requests_session_reuses_its_connection(api, emulator):
    started = time.monotonic()
    for dummy in range(200):
        assert api.get("/applications").status_code == 200
    assert time.monotonic() - started < 5
    stats = emulator.stats()
    assert stats["total"] == 200 and stats["connections_accepted"] == 1


def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1: with the cryptography package if importable, else the openssl CLI."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        from cryptography import x509  # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
        from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel
    except ImportError:
        openssl = subprocess.run(["openssl", "version"], capture_output=True, check=False) if _has("openssl") else None
        if openssl is None or openssl.returncode != 0:
            pytest.skip("neither the cryptography package nor the openssl CLI is available to make a test certificate")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True, check=True)
        return cert, key
    import datetime  # pylint: disable=import-outside-toplevel
    import ipaddress  # pylint: disable=import-outside-toplevel
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(private, hashes.SHA256()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, key


def _has(program):
    return any(os.access(os.path.join(folder, program), os.X_OK) for folder in os.environ.get("PATH", "").split(os.pathsep))


def test_tls(make_emulator, tmp_path):
    cert, key = make_certificate(tmp_path)
    emulator = make_emulator(tls_cert=str(cert), tls_key=str(key), worker_paused=True)
    assert emulator.url.startswith("https://127.0.0.1:")
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + TOKEN
    for dummy in range(20):  # kept alive over TLS too
        assert session.get(emulator.url + "/api/applications", verify=str(cert), timeout=5).status_code == 200
    assert session.post(emulator.url + "/api/application-imports/stage", json={"applicationId": CORE_BANKING},
                        verify=str(cert), timeout=5).status_code == 201
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(emulator.url + "/api/applications", timeout=5)  # not trusted without the certificate
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(emulator.url.replace("https://", "http://") + "/api/applications", timeout=5)  # plain HTTP
    assert emulator.stats()["total"] == 21  # the failed handshakes never reached the API
    assert session.get(emulator.url + "/api/applications", verify=str(cert), timeout=5).status_code == 200


def test_access_log_has_no_token(make_emulator, tmp_path):
    log = tmp_path / "access.log"
    secret = "pa_secret_9c1e77a0b3"
    emulator = make_emulator(tokens={secret: "Log Test"}, log_file=str(log), worker_paused=True)
    good, bad = Api(emulator, token=secret), Api(emulator, token=secret + "_wrong")
    good.get("/applications")
    good.get("/application-imports", applicationId=CORE_BANKING)
    good.post("/application-imports/stage", {"applicationId": CORE_BANKING})
    bad.get("/applications")
    echoed = good.get("/applications/" + secret)  # a client that puts the token in the path: redacted everywhere
    assert echoed.status_code == 404 and secret not in echoed.text
    emulator.stop()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert lines[0].split()[1:4] == ["GET", "/api/applications", "200"]
    assert lines[1].split()[1:4] == ["GET", "/api/application-imports", "200"]  # no query string
    assert lines[2].split()[1:4] == ["POST", "/api/application-imports/stage", "201"]
    assert lines[3].split()[1:4] == ["GET", "/api/applications", "401"]
    assert all(line.endswith("ms") and len(line.split()) == 5 for line in lines)
    assert lines[4].split()[1:4] == ["GET", "/api/applications/[redacted]", "404"]
    text = log.read_text(encoding="utf-8")
    assert secret not in text and "Bearer" not in text and "Log Test" not in text


def test_cli_serves_writes_the_port_and_stops_on_sigterm(tmp_path):
    port_file, log_file = tmp_path / "port", tmp_path / "access.log"
    env = dict(os.environ, PYTHONPATH=str(EMULATOR_DIR))
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "pa_emulator", "--host", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
         "--token", "pa_cli_token:CLI Runner", "--token", "pa_other", "--build-seconds", "0.1", "--prefix", "/pa",
         "--extra-applications", "3", "--log-file", str(log_file)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        port = port_file.read_text(encoding="utf-8")
        assert line == "pa-emulator listening on http://127.0.0.1:{0}/pa".format(port)
        url = "http://127.0.0.1:{0}/pa/api".format(port)
        staged = requests.post(url + "/application-imports/stage", json={"applicationId": CORE_BANKING},
                               headers={"Authorization": "Bearer pa_cli_token"}, timeout=5).json()
        assert staged["createdBy"] == "API Token - CLI Runner"
        other = requests.get(url + "/applications", headers={"Authorization": "Bearer pa_other"}, timeout=5).json()
        assert other["totalCount"] == 16
        assert requests.get(url + "/applications", headers={"Authorization": "Bearer pa_demo_token"},
                            timeout=5).status_code == 401  # the default token only when none is given
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log_file.read_text(encoding="utf-8")
    assert "POST /pa/api/application-imports/stage 201" in text and "pa_cli_token" not in text


def test_cli_default_token_and_sigint(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(EMULATOR_DIR))
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "pa_emulator", "--port", "0", "--worker-paused"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        staged = requests.post(url + "/api/application-imports/stage", json={"applicationId": CORE_BANKING},
                               headers={"Authorization": "Bearer pa_demo_token"}, timeout=5).json()
        assert staged["createdBy"] == "API Token - Demo Automation"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stderr.read() == ""  # quiet by default: no access log, no traceback
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

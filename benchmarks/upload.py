"""Benchmark: pa_import_upload against ansible.builtin.uri (body_format: form-multipart) on the same file.

Prints figures (wall time of the ansible-playbook run, upload throughput in MB/s, peak RSS of the run as
/usr/bin/time -v reports it); asserts nothing. Run with `make bench` (the file is 100 MB by default;
`python benchmarks/upload.py 300` for another size in MB). The file is written sparse in a temporary directory.
"""

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from pa_testlib import ansible_env, start_emulator  # noqa: E402  pylint: disable=wrong-import-position

CARD_ISSUING = "c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45"
USERS = "3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38"
ROLES = "c47e1b92-0d6a-4f35-8b29-5a1e3c7d9f64"
TIME = Path("/usr/bin/time")


def module_play(big, small):
    return [{"hosts": "localhost", "gather_facts": False, "tasks": [{
        "sycorr.permission_assist.pa_import_upload": {
            "application_id": CARD_ISSUING, "files": {USERS: str(big), ROLES: str(small)}, "force": True,
            "request_timeout": 300}}]}]


def uri_play(big, small):
    return [{"hosts": "localhost", "gather_facts": False, "tasks": [{
        "ansible.builtin.uri": {
            "url": "{{ lookup('env', 'PA_URL') }}/api/application-imports/upload",
            "method": "POST",
            "headers": {"Authorization": "Bearer {{ lookup('env', 'PA_TOKEN') }}"},
            "body_format": "form-multipart",
            "body": {"applicationId": CARD_ISSUING, USERS: {"filename": str(big)}, ROLES: {"filename": str(small)}},
            "status_code": 201, "timeout": 300}}]}]


def run(emulator, workdir, name, plays):
    path = workdir / (name + ".yml")
    path.write_text(json.dumps(plays))
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]
    if TIME.exists():
        cmd = [str(TIME), "-v"] + cmd
    before = emulator.stats()["uploads"]
    started = time.perf_counter()
    process = subprocess.run(cmd, env=ansible_env(emulator), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if process.returncode != 0 or emulator.stats()["uploads"] != before + 1:
        raise SystemExit("{0} failed:\n{1}{2}".format(name, process.stdout[-3000:], process.stderr[-3000:]))
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", process.stderr)
    return elapsed, int(peak.group(1)) / 1024.0 if peak else None


def main(argv):
    size_mb = int(argv[1]) if len(argv) > 1 else 100
    with tempfile.TemporaryDirectory(prefix="pa-bench-upload-") as tmp:
        workdir = Path(tmp)
        big = workdir / "users_bench.csv"
        with open(big, "wb") as handle:
            handle.write(b"id,name\n")
            handle.truncate(size_mb * 1024 * 1024)
        small = workdir / "roles_bench.csv"
        small.write_text("id,role\n1,teller\n")
        emulator = start_emulator(worker_paused=True)
        try:
            print("upload of a {0} MB file (plus a small one) to the emulator on loopback, one ansible-playbook run "
                  "each; wall time includes ansible's start".format(size_mb))
            for name, plays in (("pa_import_upload", module_play(big, small)),
                                ("ansible.builtin.uri form-multipart", uri_play(big, small))):
                emulator.reset()
                emulator.set_worker(paused=True)
                elapsed, peak = run(emulator, workdir, name.split()[0].replace(".", "_"), plays)
                print("  {0:<36} {1:6.1f} s  {2:7.1f} MB/s  peak RSS {3}".format(
                    name, elapsed, size_mb / elapsed, "{0:.0f} MB".format(peak) if peak is not None else "n/a"))
        finally:
            emulator.stop()


if __name__ == "__main__":
    main(sys.argv)

"""Benchmark: the stage_imports role over N applications versus a plain ansible.builtin.uri loop.

Prints figures (wall time, speed-up, HTTP requests per application counted by the emulator); asserts nothing.
Run with `make bench` (N defaults to 100; `make bench N=1000`).
`python benchmarks/stage_many.py N --wait` instead stages N imports with stage_imports_wait and prints what the wait
cost: list requests per poll and single-import reads, against the N reads per poll of polling each import.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from pa_testlib import (  # noqa: E402  pylint: disable=wrong-import-position
    TOKEN, ansible_env, include_role, role_playbook, start_emulator)
from pa_emulator.seed import extra_application_id  # noqa: E402  pylint: disable=wrong-import-position

URI_PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.uri:
        url: "{{ lookup('env', 'PA_URL') }}/api/application-imports/stage"
        method: POST
        headers:
          Authorization: "Bearer {{ lookup('env', 'PA_TOKEN') }}"
        body_format: json
        body: {applicationId: "{{ item }}"}
        status_code: 201
      loop: "{{ apps }}"
"""

ROLE_PLAYBOOK = role_playbook(include_role("stage_imports", stage_imports_applications="{{ apps }}",
                                           stage_imports_reuse_pending="{{ reuse | bool }}"))


WAIT_PLAYBOOK = role_playbook(
    include_role("stage_imports", stage_imports_applications="{{ apps }}", stage_imports_reuse_pending=False,
                 stage_imports_wait=True, stage_imports_poll_interval=1),
    {"ansible.builtin.copy": {"content": "{{ stage_imports_wait_stats | to_json }}", "dest": "{{ report }}",
                              "mode": "0600"}})


def run(emulator, playbook_text, apps, reuse=False, paused=True, **extra):
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        handle.write(playbook_text)
    emulator.reset()
    emulator.set_worker(paused=paused)
    started = time.perf_counter()
    process = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-c", "local", handle.name,
         "-e", json.dumps(dict(extra, apps=apps, reuse=reuse))],
        env=ansible_env(emulator), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    Path(handle.name).unlink()
    if process.returncode != 0:
        raise SystemExit("playbook failed:\n" + process.stdout[-3000:] + process.stderr[-3000:])
    stats = emulator.stats()
    return elapsed, stats


def main_wait(count, build_seconds=0.1):
    """The wait over ``count`` applications while the build job runs them one at a time."""
    emulator = start_emulator(extra_applications=count, tokens={TOKEN: "Benchmark"}, build_seconds=build_seconds)
    apps = [extra_application_id(index) for index in range(1, count + 1)]
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "wait.json"
        try:
            elapsed, stats = run(emulator, WAIT_PLAYBOOK, apps, paused=False, report=str(report))
        finally:
            emulator.stop()
        wait = json.loads(report.read_text())
    lists = stats["requests"].get("GET /api/application-imports", 0)
    singles = stats["requests"].get("GET /api/application-imports/{id}", 0)
    print("applications: {0}, build {1:g} s each, poll_interval 1 s (growing by a quarter)".format(count, build_seconds))
    print("role with stage_imports_wait: {0:7.2f} s, waited {1} s over {2} polls".format(
        elapsed, wait["waited"], wait["polls"]))
    print("list requests: {0} ({1:.2f} per poll); polling each import would send {2} per poll at the start".format(
        lists, lists / max(wait["polls"], 1), count))
    print("single-import reads: {0} = {1} final records (one per import that ended) + {2} fallbacks".format(
        singles, wait["final_record_requests"], wait["fallback_requests"]))


def main(count=100):
    emulator = start_emulator(extra_applications=count, tokens={TOKEN: "Benchmark"})
    apps = [extra_application_id(index) for index in range(1, count + 1)]
    try:
        uri_time, uri_stats = run(emulator, URI_PLAYBOOK, apps)
        role_time, role_stats = run(emulator, ROLE_PLAYBOOK, apps, reuse=False)
        reuse_time, reuse_stats = run(emulator, ROLE_PLAYBOOK, apps, reuse=True)
    finally:
        emulator.stop()
    print("applications: {0}".format(count))
    print("uri loop:                       {0:7.2f} s  {1} imports created, {2:.2f} requests/application".format(
        uri_time, uri_stats["imports_created"], uri_stats["total"] / count))
    print("role, reuse_pending=false:      {0:7.2f} s  {1} imports created, {2:.2f} requests/application".format(
        role_time, role_stats["imports_created"], role_stats["total"] / count))
    print("role, reuse_pending=true:       {0:7.2f} s  {1} imports created, {2:.2f} requests/application".format(
        reuse_time, reuse_stats["imports_created"], reuse_stats["total"] / count))
    print("speed-up of the role over the uri loop: {0:.1f}x (reuse_pending=false), {1:.1f}x (true)".format(
        uri_time / role_time, uri_time / reuse_time))


if __name__ == "__main__":
    ARGS = [arg for arg in sys.argv[1:] if arg != "--wait"]
    (main_wait if "--wait" in sys.argv[1:] else main)(int(ARGS[0]) if ARGS else 100)

"""Benchmark: the stage_imports role over N applications versus a plain ansible.builtin.uri loop.

Prints figures (wall time, speed-up, HTTP requests per application counted by the emulator); asserts nothing.
Run with `make bench` (N defaults to 100; `make bench N=1000`).
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


def run(emulator, playbook_text, apps, reuse=False):
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        handle.write(playbook_text)
    emulator.reset()
    emulator.set_worker(paused=True)
    started = time.perf_counter()
    process = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-c", "local", handle.name,
         "-e", json.dumps({"apps": apps, "reuse": reuse})],
        env=ansible_env(emulator), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    Path(handle.name).unlink()
    if process.returncode != 0:
        raise SystemExit("playbook failed:\n" + process.stdout[-3000:] + process.stderr[-3000:])
    stats = emulator.stats()
    return elapsed, stats


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
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)

"""Benchmark: the stage_imports role over N applications against the floor and a plain ansible.builtin.uri loop.

Prints figures (wall time, ratio to the floor, HTTP requests per application counted by the emulator); asserts
nothing. The applications are the emulator's extra_mix (2 in 7 have a Pending import, 2 in 7 fail: archived or
unscheduled). The floor, measured in the same run: a play that starts one module of the collection once, plus N
stage POSTs sent from Python over one connection. Run with `make bench` (N = 100 and 1,000; `make bench N=500` for
one N).
`python benchmarks/stage_many.py N --wait` instead stages N imports with stage_imports_wait and prints what the wait
cost: list requests per poll and single-import reads, against the N reads per poll of polling each import.
The role is also compared with the one pa_import_stage task it wraps (`task` rows: same list, same server state).
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import requests  # noqa: E402  pylint: disable=wrong-import-position

from pa_testlib import (  # noqa: E402  pylint: disable=wrong-import-position
    TOKEN, ansible_env, include_role, role_playbook, start_emulator)
from pa_emulator.seed import extra_application_id, extra_profile  # noqa: E402  pylint: disable=wrong-import-position

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
        status_code: [201, 400, 422]
      loop: "{{ apps }}"
"""

ROLE_PLAYBOOK = role_playbook(include_role("stage_imports", stage_imports_applications="{{ apps }}",
                                           stage_imports_reuse_pending="{{ reuse | bool }}",
                                           stage_imports_fail_on_error=False))

# The task the role wraps: one pa_import_stage run for the whole list, nothing registered or printed (the failed
# applications of the mix fail the task: ignored).
MODULE_TASK_PLAYBOOK = role_playbook({"sycorr.permission_assist.pa_import_stage": {
    "applications": "{{ apps }}", "reuse_pending": "{{ reuse | bool }}"}, "failed_when": False})

ONE_MODULE_PLAYBOOK = role_playbook({"sycorr.permission_assist.pa_application_info": {"name": "HR Portal"}})


WAIT_PLAYBOOK = role_playbook(
    include_role("stage_imports", stage_imports_applications="{{ apps }}", stage_imports_reuse_pending=False,
                 stage_imports_wait=True, stage_imports_poll_interval=1),
    {"ansible.builtin.copy": {"content": "{{ stage_imports_wait_stats | to_json }}", "dest": "{{ report }}",
                              "mode": "0600"}})


def run(emulator, playbook_text, apps, reuse=False, paused=True, **extra):
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        handle.write(playbook_text)
    emulator.set_worker(paused=True)  # before the reset, so the build job cannot start a seeded Pending import
    emulator.reset()
    emulator.set_worker(paused=paused)
    started, used = time.perf_counter(), cpu_of_children()
    process = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-c", "local", handle.name,
         "-e", json.dumps(dict(extra, apps=apps, reuse=reuse))],
        env=ansible_env(emulator), capture_output=True, text=True, check=False)
    elapsed, cpu = time.perf_counter() - started, cpu_of_children() - used
    Path(handle.name).unlink()
    if process.returncode != 0:
        raise SystemExit("playbook failed:\n" + process.stdout[-3000:] + process.stderr[-3000:])
    stats = emulator.stats()
    return elapsed, stats, cpu


def cpu_of_children():
    """CPU seconds (user and system) of the finished child processes: ansible-playbook and the workers and modules it
    started. On a shared machine it varies less than the wall time, which waits for the other processes too."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main_wait(count, build_seconds=0.1):
    """The wait over ``count`` applications while the build job runs them one at a time."""
    emulator = start_emulator(extra_applications=count, tokens={TOKEN: "Benchmark"}, build_seconds=build_seconds)
    apps = [extra_application_id(index) for index in range(1, count + 1)]
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "wait.json"
        try:
            elapsed, stats, dummy = run(emulator, WAIT_PLAYBOOK, apps, paused=False, report=str(report))
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


def stage_posts(emulator, apps):
    """N stage POSTs from Python over one kept-alive connection: the HTTP part of the floor."""
    emulator.set_worker(paused=True)
    emulator.reset()
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + TOKEN
    started = time.perf_counter()
    for app in apps:
        session.post(emulator.url + "/api/application-imports/stage", json={"applicationId": app}, timeout=30)
    elapsed = time.perf_counter() - started
    session.close()
    return elapsed


def measure(count, with_uri):
    emulator = start_emulator(extra_applications=count, extra_mix=True, tokens={TOKEN: "Benchmark"},
                              worker_paused=True)
    apps = [extra_application_id(index) for index in range(1, count + 1)]
    figures = {}
    try:
        figures["play"] = run(emulator, ONE_MODULE_PLAYBOOK, apps)
        figures["posts"] = stage_posts(emulator, apps)
        figures["off"] = run(emulator, ROLE_PLAYBOOK, apps, reuse=False)
        figures["on"] = run(emulator, ROLE_PLAYBOOK, apps, reuse=True)
        figures["task_off"] = run(emulator, MODULE_TASK_PLAYBOOK, apps, reuse=False)
        figures["task_on"] = run(emulator, MODULE_TASK_PLAYBOOK, apps, reuse=True)
        if with_uri:
            figures["uri"] = run(emulator, URI_PLAYBOOK, apps)
    finally:
        emulator.stop()
    return figures


def report(count, figures):
    floor = figures["play"][0] + figures["posts"]
    pending = len([index for index in range(1, count + 1) if extra_profile(index)[3] == "Pending"])
    print("applications: {0} ({1} with a Pending import)".format(count, pending))
    print("  floor:                   {0:7.2f} s  = a play with one module start {1:.2f} s + {2} stage POSTs "
          "{3:.2f} s".format(floor, figures["play"][0], count, figures["posts"]))
    rows = [("role, reuse_pending=false", "off"), ("role, reuse_pending=true", "on"),
            ("task, reuse_pending=false", "task_off"), ("task, reuse_pending=true", "task_on"), ("uri loop", "uri")]
    for label, key in rows:
        if key not in figures:
            continue
        elapsed, stats, cpu = figures[key]
        lists = stats["requests"].get("GET /api/application-imports", 0)
        print("  {0:<24} {1:7.2f} s  {2:5.2f}x the floor, {3:.2f} requests/application ({4} list pages), "
              "CPU {5:.2f} s".format(label + ":", elapsed, elapsed / floor, stats["total"] / count, lists, cpu))
    print("  role reuse on / off: {0:.2f}x".format(figures["on"][0] / figures["off"][0]))
    for measure, index in (("time", 0), ("CPU", 2)):
        print("  role / its module task alone, {0}: {1:.2f}x (reuse_pending=false), {2:.2f}x (true)".format(
            measure, figures["off"][index] / figures["task_off"][index],
            figures["on"][index] / figures["task_on"][index]))


def main(counts):
    for count in counts:
        report(count, measure(count, with_uri=count <= 100))


if __name__ == "__main__":
    ARGS = [int(arg) for arg in sys.argv[1:] if arg != "--wait"]
    if "--wait" in sys.argv[1:]:
        main_wait(ARGS[0] if ARGS else 50)
    else:
        main(ARGS or [100, 1000])

"""pa_import_wait as Ansible runs it: progress lines while it waits (timestamped), delegate_to, async, check mode on
its own, and ansible-runner (AWX) events. The logic itself is tested in
tests/unit/plugins/module_utils/test_wait_slices.py.
"""

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from pa_testlib import BIN, REPO, ansible_env, run_module, stage_directly, status_of

PREFIX = "pa_import_wait ["


def timed_lines(emulator, playbook, inventory, on_line, results):
    """Run ansible-playbook; return (rc, [(seconds since start, line)]) read line by line as they are printed.

    ``on_line(line)`` sees each line as it comes (to move the build job on when the wait has begun); each host's last
    task result is written to the directory ``results`` (tests/callback_plugins/pa_result.py).
    """
    started = time.monotonic()
    callback = {"ANSIBLE_CALLBACK_PLUGINS": REPO / "tests" / "callback_plugins",
                "ANSIBLE_CALLBACKS_ENABLED": "pa_result", "PA_RESULT_DIR": results}
    process = subprocess.Popen([str(BIN / "ansible-playbook"), "-i", str(inventory), str(playbook)],
                               env=ansible_env(emulator, **callback), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    lines = []
    for line in process.stdout:
        lines.append((time.monotonic() - started, line.rstrip("\n")))
        on_line(line)
    process.wait(timeout=300)
    return process.returncode, lines


def start_builds_once_shown(emulator, text):
    """A line handler: the first time ``text`` is printed, the paused build job starts (a second later)."""
    timers = []

    def handler(line):
        if text in line and not timers:
            timers.append(threading.Timer(1.0, lambda: emulator.set_worker(paused=False)))
            timers[0].start()
    return handler


def test_progress_lines_while_waiting_delegated_and_the_same_result_under_async(emulator, tmp_path):
    ids = [stage_directly(emulator, name)["id"] for name in ("HR Portal", "Payments Gateway", "Treasury Management")]
    wait = {"import_ids": ids, "poll_interval": 0.3, "progress_interval": 3}
    (tmp_path / "play.yml").write_text(json.dumps([{"hosts": "changewindow", "gather_facts": False, "tasks": [
        {"name": "Wait delegated", "sycorr.permission_assist.pa_import_wait": wait, "delegate_to": "localhost",
         "register": "delegated"},
        {"name": "Wait under async", "sycorr.permission_assist.pa_import_wait": wait, "async": 60, "poll": 1,
         "register": "in_async"},
        {"ansible.builtin.set_fact": {"both": {"delegated": "{{ delegated }}", "in_async": "{{ in_async }}"}}}]}]))
    (tmp_path / "hosts").write_text("changewindow ansible_connection=local ansible_python_interpreter={0}\n"
                                    "localhost ansible_connection=local ansible_python_interpreter={0}\n"
                                    .format(sys.executable))
    emulator.set_worker(build_seconds=1.0)
    rc, lines = timed_lines(emulator, tmp_path / "play.yml", tmp_path / "hosts",
                            start_builds_once_shown(emulator, PREFIX + "changewindow -> localhost]: waiting"), tmp_path)
    text = "\n".join("{0:6.2f} {1}".format(when, line) for when, line in lines)
    assert rc == 0, text
    task_ok = next(when for when, line in lines if line.startswith("ok: [changewindow -> localhost]"))
    progress = [(when, line) for when, line in lines if line.startswith(PREFIX + "changewindow -> localhost]: ")]
    # lines while it waits, each printed when it happened (not all at the end), the first while all were Pending
    assert len(progress) >= 4, text
    assert "waiting 0m00s for 3 import(s): 3 Pending, 0 Running" in progress[0][1], text
    assert "#" in progress[0][1] and "HR Portal (Pending)" in progress[0][1]
    assert progress[-1][1].endswith("done after {0} for 3 import(s): 0 Pending, 0 Running, 3 Finished, 0 Failed, "
                                    "0 Canceled".format(progress[-1][1].split("done after ")[1].split(" ")[0]))
    assert task_ok - progress[0][0] > 2.5, text  # the first line came seconds before the task ended
    assert len(set(round(when, 1) for when, dummy in progress)) == len(progress)
    # under async the module runs once, without lines, and ends the same way
    assert not [line for dummy, line in lines if line.startswith(PREFIX + "changewindow]")], text
    results = json.loads((tmp_path / "changewindow").read_text())["ansible_facts"]["both"]
    delegated, in_async = results["delegated"], results["in_async"]
    assert delegated["summary"] == in_async["summary"] == {
        "requested": 3, "finished": 3, "failed_build": 0, "canceled": 0, "timed_out": 0, "wait_error": 0, "failed": 0}
    assert [(r["import_id"], r["wait"], r["status"]) for r in delegated["import_results"]] == [
        (r["import_id"], r["wait"], r["status"]) for r in in_async["import_results"]]
    assert "_wait_state" not in delegated and "_wait_state" not in json.dumps(delegated.get("invocation", {}))


def test_the_module_on_its_own_in_check_mode_names_a_stalled_build_job(emulator):
    staged = stage_directly(emulator, "HR Portal")  # the build job stays paused: nothing starts
    run = run_module(emulator, "pa_import_wait", {"import_ids": [staged["id"]], "wait_timeout": 3, "poll_interval": 0.3,
                                                  "progress_interval": 1, "stall_warning": 1.5,
                                                  "cancel_on_timeout": True}, check=True)
    assert run.rc != 0 and run["failed"] and run["timed_out"]
    assert "no import has started for" in run["msg"] and "is the build job running?" in run["msg"]
    entry = run["import_results"][0]
    assert entry["wait"] == "timed_out" and "would be canceled" in entry["msg"]
    progress = [line for line in run.output.splitlines() if line.startswith(PREFIX + "localhost]: ")]
    assert len(progress) >= 3, run.output
    assert "is the build job running?" not in progress[0] and "is the build job running?" in progress[-1]
    assert status_of(emulator, staged["id"]) == "Pending"  # check mode sent no cancel
    assert emulator.stats()["requests"].get("POST /api/application-imports/cancel", 0) == 0


def test_progress_lines_are_events_of_an_ansible_runner_job(emulator, tmp_path):
    # Imported here only: the venvs of the ansible-core matrix (tools/matrix.sh) have no ansible-runner.
    import ansible_runner  # pylint: disable=import-outside-toplevel

    ids = [stage_directly(emulator, name)["id"] for name in ("HR Portal", "Payments Gateway")]
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "wait.yml").write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "Wait", "sycorr.permission_assist.pa_import_wait": {
            "import_ids": ids, "poll_interval": 0.3, "progress_interval": 3}}]}]))
    (tmp_path / "inventory").mkdir()
    (tmp_path / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter={0}\n".format(sys.executable))
    env = ansible_env(emulator)
    env["PATH"] = "{0}:{1}".format(Path(sys.executable).parent, env.get("PATH", ""))
    emulator.set_worker(build_seconds=0.8)
    shown = start_builds_once_shown(emulator, PREFIX + "localhost]: waiting")
    result = ansible_runner.run(private_data_dir=str(tmp_path), playbook="wait.yml", envvars=env, quiet=True,
                                event_handler=lambda event: shown(event.get("stdout", "")) or True)
    stdout = result.stdout.read()
    assert result.status == "successful", stdout[-3000:]
    events = list(result.events)
    lines = [event for event in events if PREFIX + "localhost]: " in event.get("stdout", "")]
    ok = next(event for event in events if event["event"] == "runner_on_ok")
    assert len(lines) >= 3, stdout
    assert "2 Pending" in lines[0]["stdout"] and "done after" in lines[-1]["stdout"]
    # each line is an event of its own, created while the task ran, before its result
    assert all(event["event"] == "verbose" for event in lines)
    assert [event["counter"] for event in lines] == sorted(event["counter"] for event in lines) and \
        lines[-1]["counter"] < ok["counter"]
    assert lines[0]["created"] < lines[1]["created"] < ok["created"]
    assert PREFIX + "localhost]: waiting 0m00s" in stdout

"""Staged first, then waited for (issue 11, points 1 and 4): the playbooks, through ansible-playbook, read line by line
with timestamps.

The imports are named (one line per application or import) and written to the report before the wait begins;
progress lines come while the role waits; the report is rewritten when the wait ends. SIGINT or SIGTERM during the
wait (what AWX sends on cancel) leaves the output naming every import, a report listing each with its last-seen
status, and no process behind.
"""

import json
import re
import signal
import subprocess
import threading
import time

import pytest

from pa_testlib import BIN, REPO, ansible_env, running, stage_directly

STAGE = REPO / "playbooks" / "stage_imports.yml"
CANCEL = REPO / "playbooks" / "cancel_imports.yml"
PROGRESS = "pa_import_wait [localhost]: "
APPS = ["HR Portal", "Payments Gateway", "Treasury Management"]
STAGED_LINE = re.compile(r'"(?P<app>[^":]+): import #(?P<number>\d+) (?P<status>\w+), staged"')
CANCELED_LINE = re.compile(r'"import #(?P<number>\d+) of (?P<app>[^":]+): (?P<status>\w+), canceled"')
NO_LINE_AFTER = 30  # seconds: a run that prints no progress line (main) is stopped anyway, and its test fails


class Run:
    """ansible-playbook started in the background; ``lines`` are (seconds since start, line), read as printed.

    ``on_line(run, when, line)`` sees each line as it comes. The module's temporary files go under ``tmp_path``, so
    a process left behind is found by its command line.
    """

    def __init__(self, emulator, playbook, extra_vars, tmp_path, on_line=lambda run, when, line: None):
        self.remote_tmp = tmp_path / "remote-tmp"
        env = ansible_env(emulator, ANSIBLE_REMOTE_TMP=self.remote_tmp, ANSIBLE_LOCAL_TEMP=tmp_path / "local-tmp")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook),
             "-e", json.dumps(extra_vars)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.signaled = None
        for line in self.process.stdout:
            when = time.monotonic() - self.started
            self.lines.append((when, line.rstrip("\n")))
            on_line(self, when, line)

    def send(self, signum):
        self.signaled = time.monotonic() - self.started
        self.process.send_signal(signum)

    def text(self):
        return "\n".join("{0:7.2f} {1}".format(when, line) for when, line in self.lines)

    def progress(self):
        return [(when, line) for when, line in self.lines if line.startswith(PROGRESS)]

    def named(self, pattern):
        """{number: (when, application, status)} of the per-import lines the role printed."""
        found = {}
        for when, line in self.lines:
            for match in pattern.finditer(line):
                found.setdefault(int(match.group("number")), (when, match.group("app"), match.group("status")))
        return found

    def left_behind(self):
        """Processes still running from this run's temporary directory (a module, its shell)."""
        listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True).stdout
        return [line for line in listing.splitlines() if str(self.remote_tmp) in line]


def on_first_progress(action):
    """A line handler: ``action(run)`` once, at the first progress line (or NO_LINE_AFTER seconds in, if none)."""
    done = []

    def handler(run, when, line):
        if not done and (line.startswith(PROGRESS) or when > NO_LINE_AFTER):
            done.append(when)
            action(run)
        if not done and len(run.lines) == 1:  # a run that never prints a progress line still gets the action
            timer = threading.Timer(NO_LINE_AFTER, lambda: done or (done.append(NO_LINE_AFTER), action(run)))
            timer.daemon = True
            timer.start()
    return handler


def report_of(path):
    return json.loads(path.read_text()) if path.exists() else None


def test_stage_playbook_names_and_reports_every_import_before_the_wait_and_shows_progress(emulator, tmp_path):
    report = tmp_path / "report.json"
    seen = {}

    def when_waiting(run):
        seen["report"] = report_of(report)  # what the report says while the wait goes on
        emulator.set_worker(paused=False, build_seconds=0.5)

    run = Run(emulator, STAGE, {"applications": ", ".join(APPS), "wait": "true", "report_path": str(report)},
              tmp_path, on_first_progress(when_waiting))
    run.process.wait(timeout=60)
    text = run.text()
    assert run.process.returncode == 0, text
    named = run.named(STAGED_LINE)
    progress = run.progress()
    assert sorted(app for dummy, app, dummy in named.values()) == sorted(APPS), text
    assert progress and progress[-1][1].startswith(PROGRESS + "done after "), text
    # every import named (Pending, as staged) before the wait began, and the wait took seconds more
    assert all(status == "Pending" for dummy, dummy, status in named.values()), text
    assert max(when for when, dummy, dummy in named.values()) < progress[0][0] <= progress[-1][0] - 2.0, text
    assert progress[0][1].startswith(PROGRESS + "waiting 0m00s for 3 import(s): "), text
    # the report, read during the wait, already listed every import as staged, and said the wait was going on
    during = seen["report"]
    assert during is not None, text
    assert sorted(row["number"] for row in during["results"]) == sorted(named), during
    assert all(row["status"] == "Pending" and row["import_id"] for row in during["results"]), during
    assert during["error"].startswith("waiting for the imports to end"), during
    # rewritten when the wait ended: the final statuses, no error
    after = report_of(report)
    assert [row["status"] for row in after["results"]] == ["Finished"] * 3 and after["error"] is None, after
    assert after["summary"]["finished"] == 3 and after["summary"]["failed"] == 0, after
    assert "HR Portal: import #{0} Finished".format(
        next(number for number, (dummy, app, dummy) in named.items() if app == "HR Portal")) in text, text


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_wait_leaves_every_import_named_and_reported(emulator, tmp_path, signum):
    report = tmp_path / "report.json"  # the build job stays paused: nothing ends during the test
    run = Run(emulator, STAGE, {"applications": ", ".join(APPS), "wait": "true", "report_path": str(report)},
              tmp_path, on_first_progress(lambda run: threading.Timer(0.5, run.send, [signum]).start()))
    run.process.wait(timeout=30)  # it exits, promptly
    text = run.text()
    assert run.signaled is not None and run.process.returncode != 0, text
    assert run.lines[-1][0] - run.signaled < 10, text
    named = run.named(STAGED_LINE)
    assert sorted(app for dummy, app, dummy in named.values()) == sorted(APPS), text
    assert all(when < run.signaled for when, dummy, dummy in named.values()), text
    assert run.progress() and run.progress()[0][0] < run.signaled, text  # it was waiting
    data = report_of(report)
    assert data is not None, text
    assert {row["number"]: (row["application_name"], row["status"]) for row in data["results"]} == {
        number: (app, status) for number, (dummy, app, status) in named.items()}, data
    assert all(row["import_id"] and row["status"] == "Pending" for row in data["results"]), data
    assert data["error"].startswith("waiting for the imports to end"), data
    assert not run.left_behind()


def test_cancel_playbook_names_and_reports_every_import_before_the_wait(emulator, tmp_path):
    first = running(emulator, "HR Portal", cancel_seconds=3)  # a cancel takes 3 s to end Canceled
    ids = [first["id"]] + [stage_directly(emulator, name)["id"] for name in APPS[1:]]
    report = tmp_path / "cancel.json"
    seen = {}
    run = Run(emulator, CANCEL, {"import_ids": ",".join(ids), "wait": "true", "report_path": str(report)}, tmp_path,
              on_first_progress(lambda run: seen.setdefault("report", report_of(report))))
    run.process.wait(timeout=60)
    text = run.text()
    assert run.process.returncode == 0, text
    named = run.named(CANCELED_LINE)
    progress = run.progress()
    assert sorted(app for dummy, app, dummy in named.values()) == sorted(APPS), text
    assert all(status == "Canceling" for dummy, dummy, status in named.values()), text
    assert progress and progress[-1][1].startswith(PROGRESS + "done after "), text
    assert max(when for when, dummy, dummy in named.values()) < progress[0][0] <= progress[-1][0] - 2.0, text
    during = seen["report"]
    assert during is not None, text
    assert [row["import_id"] for row in during["results"]] == ids, during
    assert all(row["status"] == "Canceling" for row in during["results"]), during
    assert during["error"].startswith("waiting for the imports to end Canceled"), during
    after = report_of(report)
    assert [row["status"] for row in after["results"]] == ["Canceled"] * 3 and after["error"] is None, after
    assert after["summary"]["confirmed_canceled"] == 3, after

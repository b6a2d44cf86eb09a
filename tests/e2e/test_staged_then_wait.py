"""Staged first, then waited for (issue 11, points 1 and 4): the playbooks, through ansible-playbook, read line by line
with timestamps.

The imports are named (one line per application or import) and written to the report before the wait begins;
progress lines come while the role waits; the report is rewritten when the wait ends. SIGINT or SIGTERM during the
wait (what AWX sends on cancel) leaves the output naming every import, a report listing each with its last-seen
status, and no process behind.
"""

import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from ansible.release import __version__ as ansible_core

from pa_testlib import BIN, REPO, ansible_env, default_signals, running, stage_directly

STAGE = REPO / "playbooks" / "stage_imports.yml"
CANCEL = REPO / "playbooks" / "cancel_imports.yml"
PROGRESS = "pa_import_wait [localhost]: "
APPS = ["HR Portal", "Payments Gateway", "Treasury Management"]
STAGED_LINE = re.compile(r'"(?P<app>[^":]+): import #(?P<number>\d+) (?P<status>\w+), staged"')
CANCELED_LINE = re.compile(r'"import #(?P<number>\d+) of (?P<app>[^":]+): (?P<status>\w+), canceled"')
NO_LINE_AFTER = 30  # seconds: a run that prints no progress line (main) is stopped anyway, and its test fails


class Run:
    """ansible-playbook started in the background; ``lines`` are (seconds since start, line), read as printed.

    ``on_line(run, when, line)`` sees each line as it comes. Every process of the run (ansible-playbook, its workers,
    the modules) carries a mark in its environment, so one left behind is found, and ended, by ``left_behind``/``end``.
    """

    def __init__(self, emulator, playbook, extra_vars, tmp_path, on_line=lambda run, when, line: None):
        self.mark = str(tmp_path)
        env = ansible_env(emulator, PA_TEST_RUN=self.mark, ANSIBLE_REMOTE_TMP=tmp_path / "remote-tmp",
                          ANSIBLE_LOCAL_TEMP=tmp_path / "local-tmp")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook),
             "-e", json.dumps(extra_vars)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            preexec_fn=default_signals)
        self.lines = []
        self.signaled = self.exited = None
        # read in a thread: a process left behind would hold the pipe open after ansible-playbook exited
        self.reader = threading.Thread(target=self._read, args=(on_line,), daemon=True)
        self.reader.start()

    def _read(self, on_line):
        for line in self.process.stdout:
            when = time.monotonic() - self.started
            self.lines.append((when, line.rstrip("\n")))
            on_line(self, when, line)

    def wait(self, timeout):
        self.process.wait(timeout=timeout)
        self.exited = time.monotonic() - self.started
        self.reader.join(5)

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
        """The pids of this run's processes still running (a worker, a module)."""
        pids = []
        for environ in Path("/proc").glob("[0-9]*/environ"):
            try:
                if ("PA_TEST_RUN=" + self.mark + "\0").encode() in environ.read_bytes():
                    pids.append(int(environ.parent.name))
            except OSError:
                continue
        return pids

    def end(self):
        for pid in self.left_behind():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


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


def assert_named_before_the_wait(run, line, status):
    """The run succeeded, named each of APPS's imports with ``status`` before its first progress line, and waited on."""
    text = run.text()
    assert run.process.returncode == 0, text
    named = run.named(line)
    progress = run.progress()
    assert sorted(app for dummy, app, dummy in named.values()) == sorted(APPS), text
    assert all(seen == status for dummy, dummy, seen in named.values()), text
    assert progress and progress[-1][1].startswith(PROGRESS + "done after "), text
    # named first, then the progress lines (an order of events, not a duration: a busy machine may print the first
    # progress line late)
    assert max(when for when, dummy, dummy in named.values()) < progress[0][0] <= progress[-1][0], text
    return named


def test_stage_playbook_names_and_reports_every_import_before_the_wait_and_shows_progress(emulator, tmp_path):
    report = tmp_path / "report.json"
    seen = {}

    def when_waiting(run):
        seen["report"] = report_of(report)  # what the report says while the wait goes on
        emulator.set_worker(paused=False, build_seconds=0.5)

    run = Run(emulator, STAGE, {"applications": ", ".join(APPS), "wait": "true", "report_path": str(report)},
              tmp_path, on_first_progress(when_waiting))
    run.wait(60)
    text = run.text()
    # every import named (Pending, as staged) before the wait began, and the wait took seconds more
    named = assert_named_before_the_wait(run, STAGED_LINE, "Pending")
    progress = run.progress()
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


# ansible-core 2.16 passes neither SIGINT nor SIGTERM on to its workers and their modules (started in sessions of
# their own): the module running the wait's current slice outlives ansible-playbook until that slice ends (at most the
# role's progress interval, 60 s), and after a SIGTERM the worker too, which pa_import_wait's action plugin then
# stops before another slice (its parent is gone). From 2.17 on, they all end with ansible-playbook.
SIGNALS_REACH_WORKERS = tuple(int(part) for part in ansible_core.split(".")[:2]) >= (2, 17)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_wait_leaves_every_import_named_and_reported(emulator, tmp_path, signum):
    report = tmp_path / "report.json"  # the build job stays paused: nothing ends during the test
    run = Run(emulator, STAGE, {"applications": ", ".join(APPS), "wait": "true", "report_path": str(report)},
              tmp_path, on_first_progress(lambda run: threading.Timer(0.5, run.send, [signum]).start()))
    try:
        run.wait(30 + NO_LINE_AFTER)  # it exits, promptly (checked below)
        text = run.text()
        assert run.signaled is not None and run.process.returncode != 0, text
        assert run.exited - run.signaled < 10, text
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
        if SIGNALS_REACH_WORKERS:
            deadline = time.monotonic() + 5
            while run.left_behind() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not run.left_behind(), text
    finally:
        run.end()


def test_cancel_playbook_names_and_reports_every_import_before_the_wait(emulator, tmp_path):
    first = running(emulator, "HR Portal", cancel_seconds=5)  # a cancel takes 5 s to end Canceled
    ids = [first["id"]] + [stage_directly(emulator, name)["id"] for name in APPS[1:]]
    report = tmp_path / "cancel.json"
    seen = {}
    run = Run(emulator, CANCEL, {"import_ids": ",".join(ids), "wait": "true", "report_path": str(report)}, tmp_path,
              on_first_progress(lambda run: seen.setdefault("report", report_of(report))))
    run.wait(60)
    text = run.text()
    named = assert_named_before_the_wait(run, CANCELED_LINE, "Canceling")
    during = seen["report"]
    assert during is not None, text
    assert [row["import_id"] for row in during["results"]] == ids, during
    assert all(row["status"] == "Canceling" for row in during["results"]), during
    assert during["error"].startswith("waiting for the imports to end Canceled"), during
    after = report_of(report)
    assert [row["status"] for row in after["results"]] == ["Canceled"] * 3 and after["error"] is None, after
    assert after["summary"]["confirmed_canceled"] == 3, after

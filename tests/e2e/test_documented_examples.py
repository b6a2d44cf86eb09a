"""Every example a user can copy runs, as written, against a fresh emulator (issue 10, point 1).

The examples are extracted from the files that show them by tests/doc_examples.py (which documents the markers and
the placeholder rule); here each file's examples run: its YAML examples in one ansible-playbook run, in order (so
``register``ed results chain), then each of its shell examples with bash. State-changing examples run for real.
"""

import json
import os
import signal
import subprocess
import time

import pytest

from doc_examples import (PLACEHOLDER_IMPORT_APPLICATION, PLACEHOLDER_IMPORT_ID, build_playbook, examples_of,
                          source_files, substitute)
from pa_testlib import BIN, TOKEN, ansible_env, start_emulator, stage_directly

FILES = source_files()


def tail(text, lines=40):
    return "\n".join(text.splitlines()[-lines:])


def run_yaml_examples(emulator, examples, values, workdir):
    """Run the YAML examples of one file in one playbook; return a failure message per failed example."""
    record_dir = workdir / "records"
    record_dir.mkdir()
    plays, steps = build_playbook(examples, values, record_dir)
    playbook = workdir / "examples.yml"
    playbook.write_text(json.dumps(plays, indent=2))  # JSON is YAML
    extra_vars = {}
    for example in examples:
        extra_vars.update(example.extra_vars)
    cmd = [str(BIN / "ansible-playbook"), str(playbook)]  # no inventory: the implicit localhost, as users run them
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    process = subprocess.run(cmd, env=ansible_env(emulator), cwd=str(workdir), capture_output=True, text=True,
                             timeout=900, check=False)
    output = process.stdout + process.stderr
    failures = []
    for step, (label, kind) in steps.items():
        record = record_dir / (step + ".json")
        if record.exists():
            failed = json.loads(record.read_text())
            failures.append("{0} failed at task {1!r}: {2}".format(label, failed["task"], failed["msg"]))
        elif kind == "playbook" and process.returncode != 0 and not (record_dir / (step + ".reached")).exists():
            failures.append("{0} failed (ansible-playbook exited {1}); the examples after it did not run:\n{2}"
                            .format(label, process.returncode, tail(output)))
            break
    if process.returncode != 0 and not failures:
        failures.append("ansible-playbook exited {0} running {1}:\n{2}".format(
            process.returncode, ", ".join(label for label, dummy in steps.values()), tail(output)))
    return failures


def run_shell_example(emulator, example, values, workdir):
    assert not example.after and not example.extra_vars, example.label + ": markers after/extra-vars are for YAML"
    script = workdir / "example-{0}.sh".format(example.index)
    script.write_text(substitute(example.commands(), values))
    env = ansible_env(emulator)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    if example.own_connection:
        del env["PA_URL"], env["PA_TOKEN"]
    process = subprocess.run(["bash", "-e", "-o", "pipefail", str(script)], env=env, cwd=str(workdir),
                             capture_output=True, text=True, timeout=900, check=False)
    if process.returncode != 0:
        return ["{0} failed: bash exited {1}:\n{2}".format(example.label, process.returncode,
                                                           tail(process.stdout + process.stderr))]
    return []


def run_rulebook_example(emulator, example, values, workdir):
    """Run a rulebook with ansible-rulebook until its sources polled the emulator once; a rulebook runs until stopped.

    Passes when ansible-rulebook is still running after that first poll and logged no error.
    """
    assert not example.after and not example.extra_vars, example.label + ": markers after/extra-vars are for playbooks"
    rulebook = workdir / "rulebook-{0}.yml".format(example.index)
    rulebook.write_text(substitute(example.text, values))
    inventory = workdir / "inventory.yml"
    inventory.write_text(json.dumps({"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}))
    env = ansible_env(emulator)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    if example.own_connection:
        env.update(PA_URL="http://127.0.0.1:9", PA_TOKEN="not-this-one")
    polls = emulator.stats()["requests"].get("GET /api/application-imports", 0)
    log = workdir / "rulebook-{0}.log".format(example.index)
    with open(log, "w") as output:
        process = subprocess.Popen([str(BIN / "ansible-rulebook"), "--rulebook", str(rulebook), "--inventory",
                                    str(inventory)], env=env, cwd=str(workdir), stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180  # a hang guard: ansible-rulebook starts its rules engine (Java) first
        while process.poll() is None and time.monotonic() < deadline and \
                emulator.stats()["requests"].get("GET /api/application-imports", 0) <= polls:
            time.sleep(0.2)
        time.sleep(1)  # the poll's answer is handled: an error would be logged now
        running = process.poll() is None
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(60)
    text = log.read_text()
    if not running or " - ERROR - " in text:
        return ["{0} failed: ansible-rulebook {1}:\n{2}".format(
            example.label, "exited {0}".format(process.returncode) if not running else "logged an error", tail(text))]
    return []


@pytest.mark.parametrize("source, required", FILES, ids=[source for source, dummy in FILES])
def test_documented_examples_run(source, required, tmp_path):
    examples = examples_of(source)
    if required:
        assert examples, "{0}: no example extracted; expected its EXAMPLES / code blocks".format(source)
    runnable = [example for example in examples if not example.not_run]
    for example in runnable:
        assert example.kind != "other", (
            "{0}: neither a playbook, a task list, a rulebook nor shell; mark it '# example: not-run (reason)'"
            .format(example.label))
    if not runnable:
        return
    emulator = start_emulator(build_seconds=0.3)
    try:
        values = {"pa_url": emulator.url, "pa_token": TOKEN, "workdir": str(tmp_path), "import_id": "(none staged)"}
        if any(PLACEHOLDER_IMPORT_ID in example.text for example in runnable):
            values["import_id"] = stage_directly(emulator, PLACEHOLDER_IMPORT_APPLICATION)["id"]
        failures = []
        yaml_examples = [example for example in runnable if example.kind in ("tasks", "playbook")]
        if yaml_examples:
            failures += run_yaml_examples(emulator, yaml_examples, values, tmp_path)
        for example in runnable:
            if example.kind == "shell":
                failures += run_shell_example(emulator, example, values, tmp_path)
            elif example.kind == "rulebook":
                failures += run_rulebook_example(emulator, example, values, tmp_path)
    finally:
        emulator.stop()
    assert not failures, "\n\n".join(failures)


def test_examples_not_run_say_why():
    """Lists every example that is not run, with its reason (``pytest -rP`` shows the list)."""
    not_run = [(example.label, example.not_run) for source, dummy in FILES for example in examples_of(source)
               if example.not_run]
    for label, reason in not_run:
        print("not run: {0}: {1}".format(label, reason))
        assert reason.strip(), label

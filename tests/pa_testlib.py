"""Shared test helpers: the emulator in-process, and running the installed collection through ansible."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "emulator"))

from pa_emulator import Emulator  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = "pa_test_0123456789abcdef"
TOKEN_NAME = "Collection Tests"
BIN = Path(sys.executable).parent


def start_emulator(**kwargs):
    kwargs.setdefault("tokens", {TOKEN: TOKEN_NAME})
    kwargs.setdefault("build_seconds", 0.3)
    emulator = Emulator(**kwargs)
    emulator.start()
    return emulator


def api_get(emulator, path, **params):
    response = requests.get(emulator.url + "/api" + path, params=params,
                            headers={"Authorization": "Bearer " + TOKEN}, timeout=10, verify=False)
    response.raise_for_status()
    return response.json()


def application_id(emulator, name, archived=False):
    page = 1
    while True:
        envelope = api_get(emulator, "/applications", page=page)
        for app in envelope["items"]:
            if app["name"] == name and app["isArchived"] == archived:
                return app["id"]
        if page >= envelope["totalPages"]:
            raise LookupError(name)
        page += 1


def imports_of(emulator, app_id):
    rows, page = [], 1
    while True:
        envelope = api_get(emulator, "/application-imports", applicationId=app_id, page=page)
        rows.extend(envelope["items"])
        if page >= envelope["totalPages"]:
            return rows
        page += 1


def default_signals():
    """A ``preexec_fn``: the child starts with SIGINT and SIGQUIT at their default action, as AWX starts a job.

    A command started in the background of a non-interactive shell (``make test &``, a CI step) has both ignored, and
    its children inherit that. Python leaves an ignored SIGINT ignored, and ansible-core 2.16 sets no handler of its
    own, so a test that sends SIGINT to ansible-playbook would wait for a process that never sees it.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def ansible_env(emulator, **extra):
    env = dict(os.environ)
    env.update({
        "PA_URL": emulator.url,
        "PA_TOKEN": TOKEN,
        "ANSIBLE_COLLECTIONS_PATH": str(REPO / "build" / "collections"),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
    })
    env.update({key: str(value) for key, value in extra.items()})
    return env


class ModuleRun:
    def __init__(self, result, process):
        self.result = result
        self.rc = process.returncode
        self.output = process.stdout + process.stderr

    def __getitem__(self, key):
        return self.result[key]

    def get(self, key, default=None):
        return self.result.get(key, default)

    def warned(self, text):
        """True when one of the module's warnings contains ``text``."""
        return any(text in warning for warning in self.result.get("warnings") or [])


def run_module(emulator, module, args, check=False, env=None, verbosity=0):
    """Run one module of the installed collection with the ansible CLI; return its result.

    The result is the module's own, warnings and invocation included, written by tests/callback_plugins/pa_result.py
    beside the normal console output (``ModuleRun.output``).
    """
    with tempfile.TemporaryDirectory() as results:
        cmd = [str(BIN / "ansible"), "localhost", "-c", "local", "-i", "localhost,",
               "-m", "sycorr.permission_assist." + module]
        if args:
            cmd += ["-a", json.dumps(args)]
        if check:
            cmd.append("--check")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        # ANSIBLE_INJECT_INVOCATION: ansible-core 2.21 leaves invocation out of results unless asked.
        callback = {"ANSIBLE_CALLBACK_PLUGINS": REPO / "tests" / "callback_plugins", "ANSIBLE_LOAD_CALLBACK_PLUGINS": 1,
                    "ANSIBLE_CALLBACKS_ENABLED": "pa_result", "PA_RESULT_DIR": results, "ANSIBLE_INJECT_INVOCATION": 1}
        process = subprocess.run(cmd, env=ansible_env(emulator, **dict(callback, **(env or {}))), capture_output=True,
                                 text=True, timeout=300, check=False)
        result_file = Path(results) / "localhost"
        if not result_file.exists():
            raise AssertionError("no result from ansible:\n" + process.stdout + process.stderr)
        return ModuleRun(json.loads(result_file.read_text()), process)


def include_role(role, **role_vars):
    """A task including one of the collection's roles (``stage_imports``, ``cancel_imports``) with ``role_vars``."""
    return {"ansible.builtin.include_role": {"name": "sycorr.permission_assist." + role}, "vars": role_vars}


def role_playbook(*tasks):
    """The text of a one-play localhost playbook running ``tasks`` (task dicts, e.g. from include_role).

    JSON is YAML, so no YAML writer is needed; Jinja in values ("{{ apps }}") is templated as usual.
    """
    return json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}], indent=2)


def run_playbook(emulator, playbook, extra_vars=None, env=None, check=False):
    cmd = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)]
    if extra_vars:
        cmd += ["-e", json.dumps(extra_vars)]
    if check:
        cmd.append("--check")
    return subprocess.run(cmd, env=ansible_env(emulator, **(env or {})), capture_output=True, text=True,
                          timeout=600, check=False)


# Imports in a given state, for the tests of waits and cancels (the build job of the emulator is paused at first)

def api_post(emulator, path, payload):
    response = requests.post(emulator.url + "/api" + path, json=payload, headers={"Authorization": "Bearer " + TOKEN},
                             timeout=10)
    response.raise_for_status()
    return response.json()


def stage_directly(emulator, name):
    return api_post(emulator, "/application-imports/stage", {"applicationId": application_id(emulator, name)})


def status_of(emulator, import_id):
    return api_get(emulator, "/application-imports/" + import_id)["status"]


def wait_until(predicate, timeout=15.0):
    """Poll ``predicate`` until it returns something true, and return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not reached within {0}s".format(timeout))


def running(emulator, name, **worker):
    """Stage an import for ``name`` and let the build job start it (a 60 s build, so it stays Running)."""
    staged = stage_directly(emulator, name)
    emulator.set_worker(paused=False, build_seconds=60, **worker)
    wait_until(lambda: status_of(emulator, staged["id"]) == "Running")
    return staged


def run_role_report(emulator, tmp_path, role_task, results, summary, extra_vars=None):
    """Run one role task and write ``results``/``summary`` (variable names) to a JSON report, even on failure."""
    report = tmp_path / "report.json"
    playbook = tmp_path / "play.yml"
    playbook.write_text(role_playbook({
        "block": [role_task],
        "always": [{"ansible.builtin.copy": {
            "content": "{{ {'results': (" + results + "), 'summary': (" + summary + ")} | to_json }}",
            "dest": str(report), "mode": "0600"}}]}))
    process = run_playbook(emulator, playbook, extra_vars)
    return process, json.loads(report.read_text())

"""The in-process module harness: run a module's main() in the test process, as ansible would run it.

``run_module_in_process(emulator, "pa_import_stage", {...}, check=True, diff=True)`` hands the arguments to
AnsibleModule the way AnsiballZ does (``ansible.module_utils.basic._ANSIBLE_ARGS``, plus ``_ANSIBLE_PROFILE`` from
ansible-core 2.19 on), with the connection options in the environment (PA_URL, PA_TOKEN: their documented
fallbacks), and captures what ``exit_json``/``fail_json`` print: the result is the module's own, after ansible's
no_log filtering, warnings and deprecations included (as their texts, on every ansible-core line). It returns a
``pa_testlib.ModuleRun`` like the CLI runner, so a table can move from the end-to-end layer to here unchanged.
Anything but the module's own exit (an uncaught exception: a traceback in a real run) propagates and fails the test.

It works on ansible-core 2.16 to 2.21 (``make matrix`` runs in-process tables on each line); the private names it
sets are checked by ``check_private_names()``, called before every run, so a release that moves them fails with one
clear message naming the one that moved.
"""

import contextlib
import importlib
import io
import json
import os
from types import SimpleNamespace
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings

try:  # ansible-core 2.19 and later: True once anything of the controller is imported (the lookups' tests, the plugin
    # loader), and then module.warn() prints through Display instead of returning the warning in the result
    from ansible.module_utils import _internal as module_internals
except ImportError:
    module_internals = None

from pa_testlib import TOKEN, ModuleRun

COLLECTION = "sycorr.permission_assist"
MODULES = "ansible_collections.sycorr.permission_assist.plugins.modules."
CONNECTION_ENVIRONMENT = ("PA_URL", "PA_TOKEN", "PA_VALIDATE_CERTS", "PA_CA_PATH", "PA_REQUEST_TIMEOUT",
                          "PA_REQUEST_RETRIES")


def check_private_names():
    """The ansible-core internals this harness sets exist (it would otherwise read stdin or report nothing)."""
    for owner, name in ((basic, "_ANSIBLE_ARGS"), (ansible_warnings, "_global_warnings"),
                        (ansible_warnings, "_global_deprecations")):
        if not hasattr(owner, name) or (name.startswith("_global") and not hasattr(getattr(owner, name), "clear")):
            raise AssertionError("tests/pa_modulelib.py: ansible-core moved {0}.{1}; the in-process harness needs "
                                 "updating".format(owner.__name__, name))


def module_args(module, args, check=False, diff=False, verbosity=0):
    """What the controller sends a module: its arguments and the internal ``_ansible_*`` ones."""
    internal = {"_ansible_check_mode": check, "_ansible_diff": diff, "_ansible_verbosity": verbosity,
                "_ansible_module_name": COLLECTION + "." + module, "_ansible_no_log": False,
                "_ansible_debug": False}
    return dict(args, **internal)


def _set_arguments(payload):
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": payload}).encode()
    if hasattr(basic, "_ANSIBLE_PROFILE"):  # ansible-core 2.19 and later: how the arguments are encoded
        basic._ANSIBLE_PROFILE = "legacy"


def _forget_warnings():
    """Warnings and deprecations are process-wide in module_utils (one module per process in a real run)."""
    for name in ("_global_warnings", "_global_deprecations"):
        getattr(ansible_warnings, name).clear()


def run_module_in_process(emulator, module, args, check=False, diff=False, env=None, verbosity=0):
    """Run ``main()`` of one of the collection's modules; return its result as a ``ModuleRun``.

    ``emulator`` gives PA_URL (and PA_TOKEN the test token); ``env`` adds or overrides environment variables for the
    run (None as a value removes one). ``rc`` is the module's exit status: 0 for exit_json, 1 for fail_json.
    """
    environment = {name: None for name in CONNECTION_ENVIRONMENT}
    environment.update({"PA_URL": emulator.url, "PA_TOKEN": TOKEN})
    environment.update(env or {})
    check_private_names()
    imported = importlib.import_module(MODULES + module)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = None
    _set_arguments(module_args(module, args, check=check, diff=diff, verbosity=verbosity))
    _forget_warnings()
    try:
        with _environment(environment), _module_side(), contextlib.redirect_stdout(stdout), \
                contextlib.redirect_stderr(stderr):
            imported.main()
    except SystemExit as exited:
        code = exited.code
    else:
        raise AssertionError("{0}.main() returned without exit_json or fail_json".format(module))
    finally:
        _set_arguments({})
        _forget_warnings()
    printed = stdout.getvalue()
    try:
        result = json.loads(printed)
    except ValueError:
        raise AssertionError("{0} printed no JSON result:\n{1}{2}".format(
            module, printed, stderr.getvalue())) from None
    # As ansible's task executor completes a result that does not say (it has no "rc" here).
    result.setdefault("changed", False)
    result.setdefault("failed", False)
    for key in ("warnings", "deprecations"):
        if key in result:
            result[key] = [_message(entry) for entry in result[key]]
    process = SimpleNamespace(returncode=code or 0, stdout=printed, stderr=stderr.getvalue())
    return ModuleRun(result, process)


def _message(entry):
    """A warning's or deprecation's text as the controller shows it (2.19 sends summaries: {"event": {"msg": ...}})."""
    if isinstance(entry, dict):
        return entry.get("event", entry).get("msg")
    return entry


@contextlib.contextmanager
def _environment(variables):
    with mock.patch.dict(os.environ):
        for name, value in variables.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = str(value)
        yield


@contextlib.contextmanager
def _module_side():
    """ansible-core's module side, as in a module's own process: warnings go into the result."""
    if module_internals is None or not hasattr(module_internals, "is_controller"):
        yield
        return
    with mock.patch.object(module_internals, "is_controller", False):
        yield

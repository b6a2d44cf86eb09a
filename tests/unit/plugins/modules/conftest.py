"""``run_module`` for the in-process module tests: a module's main() in this process against the emulator."""

import pytest

from pa_modulelib import run_module_in_process


@pytest.fixture
def run_module(emulator):
    """``run_module("pa_import_stage", {...}, check=False, diff=False, env=None)`` -> ``pa_testlib.ModuleRun``.

    Against this test's (reset) emulator; pass ``server=`` to run against another one (a TLS or proxied emulator).
    """
    def run(module, args, check=False, diff=False, env=None, server=None, verbosity=0):
        return run_module_in_process(server or emulator, module, args, check=check, diff=diff, env=env,
                                     verbosity=verbosity)
    return run

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs pa_import_wait in slices and prints a progress line between two of them.

The module waits for at most ``progress_interval`` seconds (less when an import changes status), returns
``done: false`` with the state of the wait, and is run again from that state until it returns ``done: true``: its
result is then the task's. The line goes through ``Display.display``, which a worker process hands to the main
process, so it appears in ``ansible-playbook`` output at default verbosity and, under ansible-runner (AWX), as a
``verbose`` event in the job output. Under ``async`` the module runs once, without progress lines.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

display = Display()

MODULE = "sycorr.permission_assist.pa_import_wait"
STATE = "_wait_state"
SLICE_LIMIT = 100000  # a guard against a module that never says done


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        wrap_async = self._task.async_val and not self._connection.has_native_async
        args = dict(self._task.args)
        if self._task.async_val or not _positive(args.get("progress_interval", 60)):
            args.pop(STATE, None)
            result = merge_hash(result, _without_state(self._execute_module(
                module_name=MODULE, module_args=args, task_vars=task_vars, wrap_async=wrap_async)))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        prefix = "pa_import_wait [{0}]: ".format(self._host_label(task_vars))
        state = {}
        playbook_pid = os.getppid()
        try:
            for dummy in range(SLICE_LIMIT):
                if state and os.getppid() != playbook_pid:
                    # The ansible-playbook process that started this worker is gone: ansible-core 2.16 does not pass a
                    # SIGTERM on to its workers, so without this the orphan would go on waiting (and polling).
                    sliced = dict(failed=True, msg="stopped: ansible-playbook ended during the wait", done=True)
                    break
                args[STATE] = state
                sliced = self._execute_module(module_name=MODULE, module_args=dict(args), task_vars=task_vars)
                if sliced.get("progress"):
                    display.display(prefix + sliced["progress"])
                if sliced.get("done", True) or sliced.get("failed") or STATE not in sliced:
                    break
                state = sliced.pop(STATE)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return merge_hash(result, _without_state(sliced))

    def _host_label(self, task_vars):
        host = (task_vars or {}).get("inventory_hostname") or "localhost"
        delegated = self._task.delegate_to
        return "{0} -> {1}".format(host, delegated) if delegated and delegated != host else host


def _without_state(result):
    """The module's result without the internal state of the wait, in the result or its invocation: the result
    already holds all of it."""
    result.pop(STATE, None)
    module_args = (result.get("invocation") or {}).get("module_args")
    if isinstance(module_args, dict):
        module_args.pop(STATE, None)
    return result


def _positive(value):
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return True  # the module says what is wrong with it

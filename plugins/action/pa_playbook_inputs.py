# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pa_playbook_inputs: reads and checks a ready playbook's inputs on the controller (no module is run).

The work is plugin_utils/playbook_inputs.py; this only hands it the task's arguments, the names of the host's
variables (for the misspelling check: extra vars and inventory variables alike), the play's hosts (a report_path
they would share) and check mode; and, for the stage playbook's patterns and priority, runs the applications lookup
with the host's variables (its connection: pa_url, pa_token, ... else PA_*), read-only, in check mode too.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader

from ansible_collections.sycorr.permission_assist.plugins.module_utils.secrets import scrub
from ansible_collections.sycorr.permission_assist.plugins.plugin_utils.playbook_inputs import (
    PLAYBOOKS, nothing_selected, read_inputs, report_shared, selected)

ARGUMENT_SPEC = dict(
    playbook=dict(type="str", required=True, choices=sorted(PLAYBOOKS)),
    inputs=dict(type="dict", required=True),
)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        unknown = sorted(set(args["inputs"]) - set(PLAYBOOKS[args["playbook"]].inputs))
        if unknown:
            return dict(result, failed=True, msg="inputs: {0} not an input of {1}.yml; its inputs are {2}".format(
                ", ".join(unknown), args["playbook"], ", ".join(PLAYBOOKS[args["playbook"]].inputs)))
        values, error = read_inputs(args["playbook"], args["inputs"], host_variables(task_vars),
                                    bool(self._task.check_mode))
        error = error or report_shared(values.get("report_path"), task_vars["inventory_hostname"],
                                       task_vars.get("ansible_play_hosts_all") or [])
        if not error and values.get("select"):
            error = self.select(values, task_vars)
        # What was given is returned and may end in the report and on screen: never the token (a name templated from
        # it), which the modules and the lookup scrub from their own output too.
        return scrub(dict(result, changed=False, inputs=values, error=error), self.tokens(task_vars))

    def tokens(self, task_vars):
        """The API tokens this host's tasks use: the variable ``pa_token`` (templated: it may be vaulted or an
        expression) and the environment's ``PA_TOKEN``."""
        token = task_vars.get("pa_token")
        if token is not None:
            token = str(self._templar.copy_with_new_env(available_variables=task_vars).template(token))
        return [token, os.environ.get("PA_TOKEN")]

    def select(self, values, task_vars):
        """Resolve ``values['select']`` (names and patterns, with ``priority``) with the applications lookup, into
        ``values['applications']``; the one-line problem, or ""."""
        lookup = lookup_loader.get("sycorr.permission_assist.applications", loader=self._loader, templar=self._templar)
        try:
            records = lookup.run(values["select"], variables=task_vars, priority=values.get("priority"))
        except AnsibleError as exc:
            return "applications: {0}".format(str(exc.message if hasattr(exc, "message") else exc).splitlines()[0])
        if not records:
            return nothing_selected(values["select"], values.get("priority"))
        values["applications"] = selected(values["applications"], values["select"], records)
        return ""


def host_variables(task_vars):
    """The names of the host's variables, as ``hostvars[inventory_hostname]`` has them (extra vars, inventory
    variables, facts; not the play's own ``vars``)."""
    return list(task_vars["hostvars"][task_vars["inventory_hostname"]].keys())

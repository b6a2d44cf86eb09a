# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""pa_playbook_inputs: reads and checks a ready playbook's inputs on the controller (no module is run).

The work is plugin_utils/playbook_inputs.py; this only hands it the task's arguments, the names of the host's
variables (for the misspelling check: extra vars and inventory variables alike) and check mode.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.sycorr.permission_assist.plugins.plugin_utils.playbook_inputs import PLAYBOOKS, read_inputs

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
        return dict(result, changed=False, inputs=values, error=error)


def host_variables(task_vars):
    """The names of the host's variables, as ``hostvars[inventory_hostname]`` has them (extra vars, inventory
    variables, facts; not the play's own ``vars``)."""
    return list(task_vars["hostvars"][task_vars["inventory_hostname"]].keys())

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: pa_playbook_inputs
short_description: Read and check the inputs of the collection's ready playbooks
version_added: 1.0.0
description:
  - Reads the extra vars of C(playbooks/stage_imports.yml) or C(playbooks/cancel_imports.yml) as a survey or C(-e)
    gives them (strings), checks them, and returns them read (RV(inputs)) with the first problem, if any, in one line
    that names the input (RV(error)). The playbooks write their report and fail with that line; nothing is sent to
    the server.
  - "A host variable that is not an input but looks like one is taken for a misspelled input - the same letters
    ignoring case, C(_) and C(-); the start of an input, 4 letters or more (C(application), C(appl)); or one letter
    more or less with the same first five and last two letters (C(applicatons), C(wait_timout)). The check reads
    the host's variables (C(hostvars[inventory_hostname]): extra vars and inventory variables alike); C(ansible_*)
    variables are never taken. Inventory variables such as C(application_env), C(wait_for_db) or
    C(reporting_email) pass."
  - "Then, for C(stage_imports): C(applications) (a list, or one comma- or newline-separated string, of names,
    GUIDs or dicts) must name at least one application; C(wait_timeout) must be a number of seconds greater than 0;
    C(wait) and C(reuse_pending) must be true or false (C(true), C(false), C(yes), C(no), C(on), C(off), C(1),
    C(0) in any case, or a boolean)."
  - "C(priority) (for C(stage_imports)): empty, or any of C(None), C(Low), C(Moderate), C(High), C(Critical) in any
    case, as a list or one comma- or newline-separated string (an AWX multiple select). It narrows names and
    patterns only: given with a GUID or a dict item in C(applications), it is refused."
  - "When an item of C(applications) is a shell-style pattern (C(HR *), C(Core Bank?ng)) or C(priority) is given,
    the names and patterns are resolved with the lookup P(sycorr.permission_assist.applications#lookup) on the
    controller, with the host's variables (C(pa_url), C(pa_token), ...; else C(PA_URL), C(PA_TOKEN)): RV(inputs)
    then holds the selected application records first, then the GUIDs and dict items given. A selection that
    matches nothing is refused in one line naming the patterns and priority; an exact name that matches nothing
    fails naming the closest names. The lookup only reads, in check mode too."
  - "With several hosts in the play, a C(report_path) that does not hold the host's name is refused: every host
    would write the same file."
  - "For C(cancel_imports): C(results), when given (C(-e @report.json)), must be the results list of a report; the
    report of a check-mode run of C(stage_imports.yml) (its C(summary) has C(would_stage)) is refused outside
    check mode; C(wait_timeout) and C(wait) as above; and C(import_ids) (a list, or one comma- or
    newline-separated string, of GUIDs) must name one unless C(results) is given."
  - Runs on the controller as an action plugin; it starts no module.
author:
  - Sycorr collection maintainers (@sycorr)
options:
  playbook:
    description: Whose inputs these are.
    type: str
    required: true
    choices: [stage_imports, cancel_imports]
  inputs:
    description:
      - The playbook's inputs as the play has them, by name (C(applications), C(priority), C(reuse_pending), C(wait),
        C(wait_timeout), C(report_path); or C(import_ids), C(results), C(summary), C(wait), C(wait_timeout),
        C(report_path)). Leave out one that was not given (C(omit)).
      - A name that is not an input of O(playbook) fails the task.
    type: dict
    required: true
attributes:
  check_mode:
    description: Reads only (the applications lookup too); in check mode the report of a check-mode stage run is not
      refused.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
  action:
    description: Runs on the controller as an action plugin, without starting a module.
    support: full
  async:
    description: Not under C(async); it runs on the controller at once.
    support: none
seealso:
  - module: sycorr.permission_assist.pa_import_stage
  - module: sycorr.permission_assist.pa_import_cancel
"""

EXAMPLES = r"""
- name: Read the stage playbook's inputs, as a survey sends them
  sycorr.permission_assist.pa_playbook_inputs:
    playbook: stage_imports
    inputs:
      applications: "HR Portal, Payments Gateway"
      reuse_pending: "true"
      wait: "false"
      wait_timeout: "3600"
      report_path: ""
  register: read

- name: Show what was read
  ansible.builtin.debug:
    msg: "{{ read.inputs.applications }} ({{ read.error or 'no problem' }})"
"""

RETURN = r"""
inputs:
  description:
    - Each input of O(inputs), read - C(applications) (a list of strings and dicts; with patterns or C(priority),
      the selected application records, then the GUIDs and dict items), C(priority) (a list, or V(null) for any),
      C(select) (for C(stage_imports), the names and patterns the lookup resolved; empty when it was not needed),
      C(import_ids) (the import id of each entry
      of C(results) that has one, then the GUIDs given), C(wait) and C(reuse_pending) (booleans), C(wait_timeout) (a
      float), C(report_path) (a string).
    - An input that could not be read is V(null); the others are read all the same.
  returned: success
  type: dict
  sample: {"applications": ["HR Portal", "Payments Gateway"], "priority": null, "select": [], "reuse_pending": true,
           "wait": false,
           "wait_timeout": 3600.0, "report_path": ""}
error:
  description: The first problem found, naming the input; empty when there is none.
  returned: success
  type: str
  sample: "unknown extra var application (did you mean applications?); the inputs are applications, priority,
    reuse_pending, wait_timeout, report_path, wait"
"""

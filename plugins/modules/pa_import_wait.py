#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: pa_import_wait
short_description: Wait for Permission Assist application imports to end, showing progress
version_added: 1.0.0
description:
  - Waits until each of a set of imports reaches a final status (C(Finished), C(Failed) or C(Canceled)), within one
    O(wait_timeout) for all of them, and fails naming each import that did not end as O(expect) says. The
    counterpart of a stage (or cancel) task that did not wait, like C(awx.awx.job_wait) after C(awx.awx.job_launch).
  - The imports are given by id (O(import_ids)), by the results of an earlier task or role (O(results)), or as every
    import of an application that has not ended yet (O(application_id) or O(application_name)).
  - The wait is the one behind O(sycorr.permission_assist.pa_import_stage#module:wait) and
    O(sycorr.permission_assist.pa_import_cancel#module:wait). Each poll reads the unfiltered import list (one to
    three list requests per poll for up to 50 imports, not one request per import), and each import that ends is
    read once more for its full record (log, metrics); a wait for a single import with O(stall_warning=0) reads it
    by id instead (one request per poll, C(direct_requests)). The first poll is made at once; the next after
    O(poll_interval). It ends at most one O(request_timeout) after O(wait_timeout).
  - While it waits, the task prints a progress line at default verbosity, in C(ansible-playbook) output and in the
    job output of AWX (ansible-runner events), every time an import changes status and at least every
    O(progress_interval) seconds. The line says how many imports are C(Pending), C(Running), C(Finished), C(Failed)
    and C(Canceled), how long the task has waited, and which imports are still active (number, application and
    status, up to five); RV(progress) shows the last one.
  - The progress comes from the module's action plugin, which runs the module in slices of at most
    O(progress_interval) seconds and prints a line between two slices; each slice goes on from the state the one
    before returned (deadline, records, pacing), so the wait, its requests and its result are the same as in one
    run. Under C(async) the module runs once, without progress lines.
  - "When every import still waited for has been C(Pending) with nothing running for O(stall_warning) seconds, the
    progress line (and the failure message at the timeout) says so: C(no import has started for 10 min: is the
    build job running?)."
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.connection
  - sycorr.permission_assist.attributes
  - sycorr.permission_assist.wait
  - sycorr.permission_assist.wait.cancel_on_timeout
options:
  import_ids:
    description:
      - GUIDs of the imports to wait for.
      - Exactly one of O(import_ids), O(results), O(application_id) and O(application_name) is required.
    type: list
    elements: str
  results:
    description:
      - The results of an earlier task or role whose imports to wait for, such as C(stage_imports_results),
        C(cancel_imports_results), or the RV(sycorr.permission_assist.pa_import_stage#module:application_results)
        or RV(sycorr.permission_assist.pa_import_cancel#module:import_results) of a registered task.
      - Each entry is a dict; its C(import_id) is waited for. Entries without one (an application that failed to
        stage, a check-mode prediction) are skipped. An import GUID as a string is accepted too.
      - Entries that failed (C(failed=true)) are skipped, and so are entries whose import had already ended when that
        task ran and were left alone (C(changed=false) and a final C(status) other than C(Canceled), as
        pa_import_cancel reports an import there was nothing to cancel for), as the
        O(sycorr.permission_assist.pa_import_cancel#module:wait) of pa_import_cancel waits only for imports that
        were still active.
      - The module returns these entries updated with how each import ended, as RV(results).
      - When an entry carries the import's record (C(application_import)) the wait starts from it, so an import
        whose record has already ended is judged from that record without another read.
    type: list
    elements: raw
  application_id:
    description:
      - GUID of an application whose imports that have not ended yet (C(Pending), C(Running), C(Canceling)) are
        waited for; every page of its import list is read once to find them.
    type: str
  application_name:
    description:
      - Name of an application whose imports that have not ended yet are waited for; it must match exactly one
        application that is not archived.
    type: str
  expect:
    description:
      - What counts as success.
      - V(finished) (after a stage) succeeds when an import ends C(Finished); C(Failed) and C(Canceled) fail it.
      - V(canceled) (after a cancel, a roll-back) succeeds when an import ends C(Canceled); one that ended
        C(Finished) or C(Failed) had its build complete before the cancel took effect, and fails.
      - V(ended) succeeds on any final status; only a timeout or a failed read fails.
    type: str
    choices: [finished, canceled, ended]
    default: finished
  poll_interval:
    description:
      - Seconds between two polls; grows by a quarter after each poll, up to 30 seconds (or O(poll_interval) if
        larger). Each poll reads the import list for all the imports together (by id for a single import with
        O(stall_warning=0)).
  cancel_on_timeout:
    description:
      - Cancel each import still active when O(wait_timeout) passes (the task still fails, each such import with
        C(timed_out=true); its C(msg) says what the cancel did). In check mode the cancel is reported, not sent.
  progress_interval:
    description:
      - Longest time in seconds between two progress lines; a line is also printed whenever an import changes
        status, when the wait starts and when it ends.
      - Each line costs one module start (about half a second on the controller, no request to the API).
      - V(0) prints no progress and runs the module once, as under C(async).
    type: float
    default: 60
  stall_warning:
    description:
      - Seconds after which imports that all stay C(Pending) while nothing runs (none of them, and no import on the
        list pages a poll reads, is C(Running) or C(Canceling)) are reported as a stalled build job, in the progress
        line and in the message of a timeout. V(0) turns the warning off.
    type: float
    default: 600
  _wait_state:
    description:
      - Internal, set by the module's action plugin; do not set it. The state of the wait so far, handed from one
        slice of the wait to the next.
      - Without it the module waits to the end in one run.
    type: dict
attributes:
  check_mode:
    description:
      - Reads only, so it waits the same way in check mode. With O(cancel_on_timeout) the cancel it would send is
        reported in the import's C(msg) and not sent.
    support: full
  async:
    description: Runs under C(async), in one run, without progress lines.
    support: full
notes:
  - The task's progress lines are printed by the controller between two module runs; under C(delegate_to) the
    module runs on the delegated host as usual.
seealso:
  - module: sycorr.permission_assist.pa_import_stage
  - module: sycorr.permission_assist.pa_import_cancel
  - module: sycorr.permission_assist.pa_import_info
"""

EXAMPLES = r"""
- name: Stage for every application, without waiting
  sycorr.permission_assist.pa_import_stage:
    applications: [Core Banking, HR Portal, Payments Gateway]
  register: staged

- name: Wait for the builds, with a progress line at least every minute
  sycorr.permission_assist.pa_import_wait:
    results: "{{ staged.application_results }}"
    wait_timeout: 3600
  register: waited

- name: Stage with the stage_imports role, then wait; cancel what is still running after an hour
  block:
    - name: Stage
      ansible.builtin.include_role:
        name: sycorr.permission_assist.stage_imports
      vars:
        stage_imports_applications: [Treasury Management]

    - name: Wait
      sycorr.permission_assist.pa_import_wait:
        results: "{{ stage_imports_results }}"
        wait_timeout: 3600
        cancel_on_timeout: true

- name: "Roll back: cancel, then make sure every canceled import ended Canceled"
  block:
    - name: Cancel what the first task staged (imports that already ended are left alone)
      sycorr.permission_assist.pa_import_cancel:
        import_ids: "{{ staged.application_results | map(attribute='import_id') | select | list }}"
      register: canceled

    - name: Wait until they are Canceled
      sycorr.permission_assist.pa_import_wait:
        results: "{{ canceled.import_results }}"
        expect: canceled
        wait_timeout: 900

- name: Wait for whatever Core Banking has queued or running, whatever its outcome
  sycorr.permission_assist.pa_import_wait:
    application_name: Core Banking
    expect: ended

- name: Wait for imports by id, warning after 5 minutes without a start
  sycorr.permission_assist.pa_import_wait:
    import_ids: "{{ staged.application_results | map(attribute='import_id') | select | list }}"
    stall_warning: 300
"""

RETURN = r"""
import_results:
  description: One entry per import waited for, in the order given (an import named twice appears once).
  returned: always
  type: list
  elements: dict
  contains:
    import_id:
      description: GUID of the import.
      type: str
    number:
      description: Number of the import.
      type: int
    application_id:
      description: GUID of its application.
      type: str
    application_name:
      description: Name of its application.
      type: str
    status:
      description: The status the wait ended on (after O(cancel_on_timeout), what the cancel answered).
      type: str
    wait:
      description:
        - How the wait for this import ended, as with O(sycorr.permission_assist.pa_import_stage#module:wait).
        - V(finished), V(failed_build), V(canceled) (the final status), V(timed_out) (still active at
          O(wait_timeout)) or V(wait_error) (a read failed mid-wait, or the import does not exist).
      type: str
      choices: [finished, failed_build, canceled, timed_out, wait_error]
    failed:
      description: Whether the import did not end as O(expect) says.
      type: bool
    timed_out:
      description: Whether the import was still active when O(wait_timeout) passed.
      type: bool
    msg:
      description: How it ended; for a failed one, why (and, when stalled at the timeout, that no import started).
      type: str
    log_tail:
      description: The last lines of the import log, when it ended C(Failed) or C(Canceled); else empty.
      type: list
      elements: str
    application_import:
      description:
        - The import's last record; once it ended, the full record (log, files, metrics).
        - Same fields as RV(sycorr.permission_assist.pa_import_stage#module:application_import).
      type: dict
  sample:
    - import_id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
      number: 131
      application_id: 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3
      application_name: Core Banking
      status: Finished
      wait: finished
      failed: false
      timed_out: false
      msg: "import #131 (5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57) of Core Banking finished"
      log_tail: []
      application_import: {}
results:
  description:
    - With O(results), the entries given, in their order, each one whose import was waited for updated as the task
      that produced it would have done with its own wait - with O(expect=finished) (stage results) its C(status),
      C(number), C(application_import), C(wait), C(failed), C(log_tail) (C(Failed) or C(Canceled)), C(timed_out), and
      how the import ended appended to its C(msg); with O(expect=canceled) (cancel results) its C(status),
      C(timed_out), and C(failed) with C(msg) saying why when it did not end C(Canceled) (else C(msg) gains
      C(it is Canceled)); with O(expect=ended) its C(status), C(application_import), C(wait), C(timed_out), C(failed)
      and C(msg). A bare import GUID is replaced by its RV(import_results) entry.
    - Entries not waited for (see O(results)) are returned unchanged (with O(expect=canceled) but for C(timed_out),
      V(false) where the entry has none, as pa_import_cancel's own wait gives every result), so a role can register
      this list in place of the one it passed.
  returned: when O(results) is given
  type: list
  elements: raw
  sample: [{"application_name": "HR Portal", "import_id": "6f1c2e0a-3b7d-4c55-9a08-2d4e6b1f7c93", "number": 112,
            "status": "Finished", "wait": "finished", "failed": false,
            "msg": "staged import #112; import #112 finished"}]
summary:
  description:
    - Counts over RV(import_results) - C(requested) (imports waited for), one count per value of C(wait), and
      C(failed) (imports that did not end as O(expect) says).
    - With O(results) and O(expect=finished) (the results of a stage), counts over RV(results) instead, as
      RV(sycorr.permission_assist.pa_import_stage#module:summary) with O(sycorr.permission_assist.pa_import_stage#module:wait)
      has them - C(requested) (entries), C(staged), C(reused), C(failed) (entries that failed, before the wait or in
      it), C(not_attempted), and one count per value of C(wait).
    - With O(results) and O(expect=canceled) (the results of a cancel), counts over RV(results) as
      RV(sycorr.permission_assist.pa_import_cancel#module:summary) with
      O(sycorr.permission_assist.pa_import_cancel#module:wait) has them - C(requested), C(canceled), C(unchanged),
      C(failed), C(not_attempted), C(confirmed_canceled), C(overtaken) and C(timed_out).
    - "The task's C(msg) says it in words, as 'all 4 import(s) finished' or '1 of 4 import(s) did not end Finished:
      ...'; with stage results as pa_import_stage says it ('staged 3, reused 0 of 3; finished 2, failed build 1,
      canceled 0, timed out 0; 1 of 3 application(s) failed: Data Warehouse: ...'); with cancel results as the
      P(sycorr.permission_assist.cancel_imports#role) role does ('canceled 3, unchanged 0 of 3; 3 confirmed
      Canceled', or '1 of 3 import(s) failed: ...'). An entry that failed before the wait is named in C(msg) and
      counted in C(failed), but only the wait's own verdicts fail the task."
  returned: always
  type: dict
  sample: {"requested": 4, "finished": 3, "failed_build": 1, "canceled": 0, "timed_out": 0, "wait_error": 0,
           "failed": 1}
lines:
  description:
    - "One line per import of RV(import_results) saying how it ended - C(import #131 of Core Banking: Finished), and
      for one that did not end as O(expect) says, C(, failed: why)."
    - "With O(results), one line per entry of RV(results) instead, as the role that waits for them prints it - for
      O(expect=finished), as the P(sycorr.permission_assist.stage_imports#role) role (C(Core Banking: import #131
      Finished), C(..., failed: why) with the import's own RV(import_results[].msg), C(failed: why) for an entry that
      failed before the wait, C(not waited for)); for O(expect=canceled), as the
      P(sycorr.permission_assist.cancel_imports#role) role (C(import #131 of Core Banking: Canceled))."
  returned: always
  type: list
  elements: str
  sample: ["import #131 of Core Banking: Finished",
           "import #132 of Data Warehouse: Failed, failed: import #132 (...) of Data Warehouse failed: ..."]
wait_stats:
  description:
    - What the wait cost - C(waited) seconds, C(polls), C(list_requests) (import list pages read),
      C(fallback_requests) (imports read one by one because no page read showed them), C(final_record_requests)
      (one per import that ended during the wait), C(direct_requests) (polls that read the only import waited for by
      id, which a wait for one import does when O(stall_warning=0)).
  returned: always
  type: dict
  sample: {"waited": 125.3, "polls": 9, "list_requests": 11, "fallback_requests": 0, "final_record_requests": 4,
           "direct_requests": 0}
progress:
  description: The last progress line (how the wait ended).
  returned: always
  type: str
  sample: "done after 2m05s for 4 import(s): 0 Pending, 0 Running, 3 Finished, 1 Failed, 0 Canceled"
done:
  description: Always true in the task result; V(false) only between two slices of the wait, for the action plugin.
  returned: always
  type: bool
  sample: true
timed_out:
  description: Whether an import was still active when O(wait_timeout) passed.
  returned: failure
  type: bool
  sample: false
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import wait_argument_spec
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import run_module
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait_slices import (
    active_imports, check_options, parse_targets, run_wait)

ARGUMENT_SPEC = dict(
    import_ids=dict(type="list", elements="str"),
    results=dict(type="list", elements="raw"),
    application_id=dict(type="str"),
    application_name=dict(type="str"),
    expect=dict(type="str", default="finished", choices=["finished", "canceled", "ended"]),
    progress_interval=dict(type="float", default=60),
    stall_warning=dict(type="float", default=600),
    _wait_state=dict(type="dict"),
    **wait_argument_spec(wait=False)
)


def run(module, api):
    params = module.params
    check_options(params)
    targets = parse_targets(params)
    if targets is None and not params["_wait_state"]:
        targets = active_imports(api, params)
    return run_wait(api, params, module.check_mode, targets)


def main():
    run_module(ARGUMENT_SPEC, run,
               mutually_exclusive=[("import_ids", "results", "application_id", "application_name")],
               required_one_of=[("import_ids", "results", "application_id", "application_name")])


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: pa_import_cancel
short_description: Cancel Permission Assist application imports
version_added: 0.1.0
description:
  - Cancels one import by id, or every active import of an application (O(all_active=true)), through
    C(POST /api/application-imports/cancel).
  - The module reads the import first. C(Pending) and C(Running) imports are canceled (C(changed=true)); the API then
    reports them C(Canceling) until the build job stops them and marks them C(Canceled).
  - An import that is already C(Canceling) or C(Canceled) is left alone with C(changed=false).
  - An import that already C(Finished) or C(Failed) cannot be canceled; the task reports C(changed=false) and says so,
    or fails when O(fail_if_not_cancelable=true).
  - A cancel that races with the end of the import (HTTP 409) is treated like the state it raced into.
  - The batch forms (O(import_ids), and O(all_active=true)) cancel import after import and report each in
    RV(import_results) with a RV(summary). One import's failure (an unknown id, a 409, a server error on its cancel)
    never stops the others; the task fails at the end naming each failed import. A failure that every import would
    meet alike (HTTP 401 or 403, or no request reaching the server, as when the connection is refused or DNS, TLS
    or the connect times out)
    stops the batch at once with one message; the imports after it are reported failed and not attempted.
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.connection
  - sycorr.permission_assist.attributes
  - sycorr.permission_assist.wait
  - sycorr.permission_assist.wait.wait_option
attributes:
  diff_mode:
    description:
      - Returns RV(diff), one line per import before and after, such as an import going from C(Running) to
        C(Canceling).
    support: full
options:
  import_id:
    description:
      - GUID of the import to cancel, such as the C(id) of
        RV(sycorr.permission_assist.pa_import_stage#module:application_import).
      - Exactly one of O(import_id), O(import_ids), O(application_id) and O(application_name) is required.
      - Empty (null or V("")) is what a check-mode P(sycorr.permission_assist.pa_import_stage#module) returns for an
        import it only predicts. In check mode the task then reports what a real run would do (cancel that new
        import, so C(changed=true)) and reads nothing; outside check mode it fails naming O(import_id).
    type: str
  import_ids:
    description:
      - GUIDs of several imports to cancel in one module run (one HTTP session), the form the
        P(sycorr.permission_assist.cancel_imports#role) role uses.
      - Every id is checked before any request. One import's failure never stops the others (except a failure every
        import would meet, see above); the task fails at the end when any failed, and RV(import_results) still holds
        every outcome.
      - In check mode an empty entry (a predicted import) is reported as would-be canceled; outside check mode it fails
        naming it.
    type: list
    elements: str
  application_id:
    description:
      - GUID of an application whose active (C(Pending) and C(Running)) imports are all canceled.
      - Requires O(all_active=true).
    type: str
  application_name:
    description:
      - Name of an application whose active imports are all canceled; it must match exactly one application that is
        not archived. Requires O(all_active=true).
    type: str
  all_active:
    description:
      - Confirms that every C(Pending) and C(Running) import of the application is to be canceled (the roll-back case).
        Walks every page of the application's import list.
      - The active imports are then canceled like O(import_ids), every one is attempted even if one fails, and the
        result has RV(import_results) and RV(summary) besides RV(application_imports) and RV(canceled_import_ids).
    type: bool
    default: false
  fail_if_not_cancelable:
    description:
      - Fail when the import already C(Finished) or C(Failed) instead of reporting that there was nothing to cancel.
      - Ignored with O(all_active=true), which only looks at active imports.
    type: bool
    default: false
  wait:
    description:
      - Wait until each canceled import reaches C(Canceled). How long an import stays C(Canceling) is not documented
        by the API; the wait polls through it.
      - The API does not say whether a C(Canceling) import can still end C(Finished) or C(Failed) (its build completed
        before the cancel took effect). If it does, the task fails with C(changed=true) (the cancel was sent), a
        message naming the import that says it C(finished before the cancel took effect) (or C(failed before ...)),
        the final record and RV(log_tail).
      - With O(all_active=true) every cancel is sent before the wait, and the imports are waited for together through
        the import list (page 1 and the last page per poll, not one read per import); the task fails at the end
        naming each import that was not canceled, because its build won the race or because it was still active
        when O(wait_timeout) passed (then RV(timed_out) is true).
      - With O(import_ids) likewise every cancel is sent first; then the imports whose cancel was accepted (and those
        already C(Canceling)) are waited for together through the import list. Each entry of RV(import_results) gets
        its final C(status); one that did not end C(Canceled) is C(failed) with the reason in C(msg) (and
        C(timed_out=true) when it was still active at the deadline), and the task fails at the end.
  wait_timeout:
    default: 600
  poll_interval:
    default: 2
notes:
  - In check mode the imports are read and the result predicts C(changed), but no cancel is sent.
  - In check mode the documented chain of a check-mode P(sycorr.permission_assist.pa_import_stage#module) and a
    cancel of O(import_id) set to C({{ staged.application_import.id }}) runs. The stage predicts an import without an
    id, and the cancel reports C(changed=true), as the real run would change it, with the message that the import is
    only predicted by a check-mode stage and that a real run would cancel it.
seealso:
  - module: sycorr.permission_assist.pa_import_stage
  - module: sycorr.permission_assist.pa_import_info
"""

EXAMPLES = r"""
# example: after plugins/modules/pa_import_stage.py#1,3 (registers staged and batch)
- name: Cancel the import staged earlier
  sycorr.permission_assist.pa_import_cancel:
    import_id: "{{ staged.application_import.id }}"

- name: Cancel and wait until the build job has stopped it
  sycorr.permission_assist.pa_import_cancel:
    import_id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
    wait: true

- name: "Roll back: cancel every pending or running import of an application"
  sycorr.permission_assist.pa_import_cancel:
    application_name: Core Banking
    all_active: true
  register: rollback

- name: "Change-window roll back: cancel the staged imports and make sure each ended Canceled"
  sycorr.permission_assist.pa_import_cancel:
    import_ids: "{{ batch.application_results | map(attribute='import_id') | select | list }}"
    wait: true
    wait_timeout: 900
  register: rollback_many

- name: Fail if the import already ended
  sycorr.permission_assist.pa_import_cancel:
    import_id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
    fail_if_not_cancelable: true
"""

RETURN = r"""
application_import:
  description:
    - The import record after the call (the cancel answer, or the read when nothing was sent, or the last read of a wait).
    - Same fields as RV(sycorr.permission_assist.pa_import_stage#module:application_import).
    - V(null) in check mode for an import a check-mode stage only predicted (empty O(import_id)).
  returned: success with O(import_id), and on failure once the import was read
  type: dict
  sample:
    id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
    kind: Application Import
    number: 112
    type: API
    status: Canceling
    createdBy: API Token - Nightly Ops
    buildStart: null
    buildEnd: null
    log: null
    files: []
    metrics: null
    application:
      id: 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3
      kind: Application
      name: Core Banking
      priority: High
      isArchived: false
      lastUpdated: "2026-03-02T06:40:00Z"
application_imports:
  description:
    - The records of the imports that were active, after the cancel (or as read, in check mode); with O(wait), the
      last read of each. An import whose cancel failed is listed as the import list showed it.
    - In the order of RV(import_results).
  returned: with O(all_active=true), on success and on failure once the import list was read
  type: list
  elements: dict
  sample: []
canceled_import_ids:
  description: Ids of the imports this run canceled (or would cancel, in check mode).
  returned: with O(all_active=true), on success and on failure once the import list was read
  type: list
  elements: str
  sample: ["5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57"]
import_results:
  description:
    - One entry per item of O(import_ids), in input order; with O(all_active=true), one per active import of the
      application, in the order of the import list.
  returned: with O(import_ids) or O(all_active=true), on success and on failure once the imports were known
  type: list
  elements: dict
  contains:
    import_id:
      description: GUID of the import; V(null) for a check-mode entry that was empty (a predicted import).
      type: str
    application_id:
      description: GUID of its application, when read.
      type: str
    application_name:
      description: Name of its application, when read.
      type: str
    number:
      description: Number of the import.
      type: int
    status:
      description: Status after the call; with O(wait=true), the status the wait ended on.
      type: str
    changed:
      description: Whether a cancel was sent (or would be, in check mode).
      type: bool
    failed:
      description:
        - Whether this import failed (for example, unknown id).
        - With O(wait=true), also when a canceled import did not end C(Canceled) (its build completed first, or it
          was still active when O(wait_timeout) passed).
        - Also for every import not attempted (RV(import_results[].attempted=false)).
      type: bool
    attempted:
      description:
        - Whether the import was read or canceled at all. V(false) when an earlier import met a failure every import
          would meet (HTTP 401 or 403, or no request reached the server) and the batch stopped there; C(msg) then says
          C(not attempted) and why.
      type: bool
    timed_out:
      description: Whether the import was still active when O(wait_timeout) passed.
      type: bool
      returned: with O(wait=true), except in check mode and when the batch stopped before the wait
    msg:
      description: What happened; for a failed import, why.
      type: str
  sample:
    - import_id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
      application_id: 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3
      application_name: Core Banking
      number: 112
      status: Canceling
      changed: true
      failed: false
      attempted: true
      msg: "cancel requested for import #112"
summary:
  description:
    - Counts by outcome over RV(import_results). C(canceled) counts the cancels sent (none in check mode, where
      C(would_cancel) counts those a real run would send), C(unchanged) the imports left
      alone that did not fail, C(failed) every import that failed (a wait failure and an import not attempted
      included), C(not_attempted) those of them the batch did not get to because it stopped at a failure every import
      would meet.
    - A batch that stopped is not waited for.
    - With O(wait=true) (not in check mode) also C(confirmed_canceled), the imports waited for that ended C(Canceled);
      C(overtaken), those that ended C(Finished) or C(Failed) because their build completed before the cancel took
      effect; and C(timed_out), those still active when O(wait_timeout) passed.
  returned: with O(import_ids) or O(all_active=true), on success and on failure once the imports were known
  type: dict
  sample: {"requested": 3, "canceled": 2, "unchanged": 1, "failed": 0, "not_attempted": 0, "confirmed_canceled": 2,
           "overtaken": 0, "timed_out": 0}
lines:
  description:
    - "One line per entry of RV(import_results), in its order, saying what was done for that import, as the
      P(sycorr.permission_assist.cancel_imports#role) role prints them - its number and application (else its id),
      its status, and C(canceled), C(unchanged) or C(would cancel) (check mode); C(, failed: why) for a failed one,
      C(failed: why) alone when the import could not be read, C(not attempted) after a failure that stopped the batch."
    - With O(wait=true) (when the imports were waited for), the status the wait ended on instead, and why for an
      import that did not end C(Canceled).
  returned: with O(import_ids) or O(all_active=true), on success and on failure once the imports were known
  type: list
  elements: str
  sample: ["import #112 of Core Banking: Canceling, canceled", "import #98 of HR Portal: Finished, unchanged"]
diff:
  description:
    - With C(--diff) (also in check mode, showing what a real run would do), the import's status before and after,
      one line each (the import's number and status), under a header naming the import, its id and its
      application.
    - With O(import_id), one diff (C(before) and C(after) the same when nothing changed); a predicted import
      (check mode, empty O(import_id)) shows C(new import) going from C(Pending) to C(Canceling).
    - With O(import_ids) or O(all_active=true), a list of diffs, one per import canceled (or that would be).
  returned: with C(--diff)
  type: raw
  sample:
    before_header: "import #112 (5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57) of Core Banking"
    after_header: "import #112 (5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57) of Core Banking"
    before: "import #112: Running\n"
    after: "import #112: Canceling\n"
cancelable:
  description: Whether the import was still active or already being canceled (false when it had already ended).
  returned: success with O(import_id)
  type: bool
  sample: true
log_tail:
  description: The last lines of the import log, when a canceled import ended C(Finished) or C(Failed) instead.
  returned: failure of a wait with O(import_id), when the build completed before the cancel took effect
  type: list
  elements: str
  sample: ["Validating rows...", "Applying changes...", "Import finished."]
timed_out:
  description: Whether the task failed because O(wait_timeout) passed before an import ended.
  returned: failure of a wait
  type: bool
  sample: true
status:
  description: HTTP status of the failed API call.
  returned: failure caused by an API error, and a batch stopped by an HTTP 401 or 403
  type: int
  sample: 404
correlation_id:
  description: The API's C(correlationId) of the failed call.
  returned: failure caused by an API error
  type: str
  sample: 6c1d8e3f0a2b47c59d7e1f3a5b7c9d0e
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import check_wait_options, guid, wait_argument_spec
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import (
    cancel_one, cancel_predicted, import_id_or_predicted, is_empty)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel_batch import cancel_all_active, cancel_many
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import run_module

ARGUMENT_SPEC = dict(
    import_id=dict(type="str"),
    import_ids=dict(type="list", elements="str"),
    application_id=dict(type="str"),
    application_name=dict(type="str"),
    all_active=dict(type="bool", default=False),
    fail_if_not_cancelable=dict(type="bool", default=False),
    **wait_argument_spec(wait_timeout=600, poll_interval=2, cancel_on_timeout=False)
)


def run(module, api):
    params = module.params
    check_wait_options(params)
    if params["all_active"] and params["application_id"] is None and params["application_name"] is None:
        raise InputError("all_active", "only applies with application_id or application_name")
    if params["import_ids"] is not None:
        import_ids = [import_id_or_predicted("import_ids[{0}]".format(index), value, module.check_mode)
                      for index, value in enumerate(params["import_ids"])]
        return cancel_many(api, import_ids, params, module.check_mode, module._diff)
    if is_empty(params["import_id"]) and params["application_id"] is None and params["application_name"] is None:
        # One of cancel.IDS was given (Ansible's required_one_of counts a key set to null), but empty: the id of an
        # import that a check-mode pa_import_stage only predicted, or a mistake.
        import_id_or_predicted("import_id", params["import_id"], module.check_mode)
        return cancel_predicted(module._diff)
    if params["import_id"] is not None:
        return cancel_one(api, guid("import_id", params["import_id"]), params, module.check_mode, module._diff)
    if not params["all_active"]:
        raise InputError("all_active", "must be true to cancel by application: it cancels every Pending and "
                                       "Running import of the application")
    application_id, application = ApplicationResolver(api).resolve(params["application_id"], params["application_name"])
    return cancel_all_active(api, application_id, application, params, module.check_mode, module._diff)


def main():
    run_module(ARGUMENT_SPEC, run,
               mutually_exclusive=[("import_id", "import_ids", "application_id", "application_name")],
               required_one_of=[("import_id", "import_ids", "application_id", "application_name")])


if __name__ == "__main__":
    main()

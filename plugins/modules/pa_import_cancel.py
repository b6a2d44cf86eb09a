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
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.connection
  - sycorr.permission_assist.attributes
options:
  import_id:
    description:
      - GUID of the import to cancel, such as the C(id) of
        RV(sycorr.permission_assist.pa_import_stage#module:application_import).
      - Exactly one of O(import_id), O(import_ids), O(application_id) and O(application_name) is required.
    type: str
  import_ids:
    description:
      - GUIDs of several imports to cancel in one module run (one HTTP session), the form the
        P(sycorr.permission_assist.cancel_imports#role) role uses.
      - Every id is checked before any request. One import's failure never stops the others; the task fails at the end
        when any failed, and RV(import_results) still holds every outcome.
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
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true); with O(all_active=true) or O(import_ids), for all the imports together.
        The wait ends at most one O(request_timeout) later.
    type: float
    default: 600
  poll_interval:
    description:
      - Seconds between two reads while waiting; grows by a quarter each time up to 30 seconds. With O(import_ids)
        or O(all_active=true) each read is of the import list, for all the imports together.
    type: float
    default: 2
notes:
  - In check mode the imports are read and the result predicts C(changed), but no cancel is sent.
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
      last read of each.
  returned: with O(all_active=true), on success and when a wait fails
  type: list
  elements: dict
  sample: []
canceled_import_ids:
  description: Ids of the imports this run canceled (or would cancel, in check mode).
  returned: with O(all_active=true), on success and when a wait fails
  type: list
  elements: str
  sample: ["5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57"]
import_results:
  description: One entry per item of O(import_ids), in input order.
  returned: with O(import_ids)
  type: list
  elements: dict
  contains:
    import_id:
      description: GUID of the import.
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
      type: bool
    timed_out:
      description: Whether the import was still active when O(wait_timeout) passed.
      type: bool
      returned: with O(wait=true), except in check mode
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
      msg: "cancel requested for import #112"
summary:
  description:
    - Counts by outcome over O(import_ids). C(canceled) counts the cancels sent, C(unchanged) the imports left alone
      that did not fail, C(failed) every import that failed (a wait failure included).
    - With O(wait=true) (not in check mode) also C(confirmed_canceled), the imports waited for that ended C(Canceled);
      C(overtaken), those that ended C(Finished) or C(Failed) because their build completed before the cancel took
      effect; and C(timed_out), those still active when O(wait_timeout) passed.
  returned: with O(import_ids)
  type: dict
  sample: {"requested": 3, "canceled": 2, "unchanged": 1, "failed": 0, "confirmed_canceled": 2, "overtaken": 0,
           "timed_out": 0}
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
  returned: failure caused by an API error
  type: int
  sample: 404
correlation_id:
  description: The API's C(correlationId) of the failed call.
  returned: failure caused by an API error
  type: str
  sample: 6c1d8e3f0a2b47c59d7e1f3a5b7c9d0e
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import ACTIVE_STATUSES, status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel_batch import (
    cancel_each, summarize, wait_for_cancels)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.canceling import cancel_import
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError, OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import run_module
from ansible_collections.sycorr.permission_assist.plugins.module_utils.outcomes import (
    check_wait_options, wait_for_canceled_import, wait_for_canceled_imports)

ARGUMENT_SPEC = dict(
    import_id=dict(type="str"),
    import_ids=dict(type="list", elements="str"),
    application_id=dict(type="str"),
    application_name=dict(type="str"),
    all_active=dict(type="bool", default=False),
    fail_if_not_cancelable=dict(type="bool", default=False),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="float", default=600),
    poll_interval=dict(type="float", default=2),
)


def run(module, api):
    params = module.params
    check_wait_options(params)
    if params["all_active"] and params["application_id"] is None and params["application_name"] is None:
        raise InputError("all_active", "only applies with application_id or application_name")
    if params["import_ids"] is not None:
        return cancel_many(module, api, [guid("import_ids[{0}]".format(index), value)
                                         for index, value in enumerate(params["import_ids"])])
    if params["import_id"] is not None:
        return cancel_one(module, api, guid("import_id", params["import_id"]))
    if not params["all_active"]:
        raise InputError("all_active", "must be true to cancel by application: it cancels every Pending and "
                                       "Running import of the application")
    application_id, dummy = ApplicationResolver(api).resolve(params["application_id"], params["application_name"])
    return cancel_all_active(module, api, application_id)


def cancel_one(module, api, import_id):
    params = module.params
    outcome = cancel_import(api, import_id, module.check_mode)
    if not outcome.cancelable and params["fail_if_not_cancelable"]:
        raise OperationError(outcome.msg, application_import=outcome.record, cancelable=False)
    record = outcome.record
    if params["wait"] and outcome.cancelable and not module.check_mode:
        record = _wait_canceled(api, record, params, outcome.changed)
    return dict(changed=outcome.changed, msg=outcome.msg, application_import=record, cancelable=outcome.cancelable)


def cancel_all_active(module, api, application_id):
    params = module.params
    active = [row for row in api.list_imports(application_id) if status_of(row) in ACTIVE_STATUSES]
    # Every cancel is sent before any wait, so a wait that fails never leaves the other imports uncanceled.
    outcomes = [cancel_import(api, row["id"], module.check_mode) for row in active]
    records = [outcome.record for outcome in outcomes]
    canceled_ids = [outcome.record["id"] for outcome in outcomes if outcome.changed]
    msg = "canceled {0} of {1} active import(s) of application {2}".format(len(canceled_ids), len(records), application_id)
    if params["wait"] and not module.check_mode:
        waited = wait_for_canceled_imports(api, outcomes, params)
        records = waited.records
        problems = [problem for problem in waited.verdicts.values() if problem]
        if problems:
            raise OperationError("{0}; {1} of them not canceled: {2}".format(msg, len(problems), " | ".join(problems)),
                                 changed=bool(canceled_ids), application_imports=records, canceled_import_ids=canceled_ids,
                                 timed_out=waited.timed_out)
    return dict(changed=bool(canceled_ids), msg=msg, application_imports=records, canceled_import_ids=canceled_ids)


def _wait_canceled(api, record, params, changed):
    """A failed wait still reports the cancel already sent (changed)."""
    try:
        return wait_for_canceled_import(api, record, params)
    except OperationError as exc:
        exc.details.setdefault("changed", changed)
        exc.details.setdefault("cancelable", True)
        raise


def cancel_many(module, api, import_ids):
    params = module.params
    results, canceled = cancel_each(api, import_ids, module.check_mode)
    wait_counts = None
    if params["wait"] and not module.check_mode:
        wait_counts = wait_for_cancels(api, results, canceled, params)
    summary = summarize(results, wait_counts)
    msg = "canceled {canceled}, unchanged {unchanged} of {requested}".format(**summary)
    extra = {}
    if wait_counts is not None:
        msg += "; {0} confirmed Canceled".format(wait_counts["confirmed_canceled"])
        extra["timed_out"] = wait_counts["timed_out"] > 0
    changed = summary["canceled"] > 0
    failed = [result for result in results if result["failed"]]
    if failed:
        raise OperationError("{0} of {1} import(s) failed: {2}".format(
            len(failed), len(results), " | ".join("{0}: {1}".format(r["import_id"], r["msg"]) for r in failed)),
            changed=changed, import_results=results, summary=summary, **extra)
    return dict(changed=changed, msg=msg, import_results=results, summary=summary)


def main():
    run_module(ARGUMENT_SPEC, run,
               mutually_exclusive=[("import_id", "import_ids", "application_id", "application_name")],
               required_one_of=[("import_id", "import_ids", "application_id", "application_name")])


if __name__ == "__main__":
    main()

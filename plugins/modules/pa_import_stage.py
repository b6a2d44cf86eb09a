#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: pa_import_stage
short_description: Stage a Permission Assist application import
version_added: 0.1.0
description:
  - Stages an import for one application through C(POST /api/application-imports/stage). The import reads its files
    from the application's configured import schedule when the server's build job runs it.
  - The API's stage call is not idempotent. With O(reuse_pending=true) (the default) the module first looks for an
    import of the application that is still C(Pending) and returns it unchanged instead of queuing a duplicate.
  - A C(2xx) from the API means queued, not done. Use O(wait) to block until the import ends.
  - When the answer to the stage request is lost (timeout, dropped connection, gateway error) the request is not sent
    again; the module looks for the import that request created and adopts it, or fails saying the outcome is unknown
    and which imports to inspect.
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.connection
  - sycorr.permission_assist.attributes
attributes:
  diff_mode:
    description: Returns RV(diff), the import of each application before and after the task.
    support: full
options:
  application_id:
    description:
      - GUID of the application, as shown in the address bar of its page in Permission Assist.
      - Exactly one of O(application_id), O(application_name) and O(applications) is required.
    type: str
  application_name:
    description:
      - Name of the application. It must match exactly one application that is not archived (an exact match is
        preferred; otherwise the comparison ignores case). Resolving a name reads the list of applications.
    type: str
  applications:
    description:
      - Stage for many applications in one module run (one HTTP session, no per-application module start), the
        form the P(sycorr.permission_assist.stage_imports#role) role uses.
      - Each item is a string or a dict. A string that is a GUID (8-4-4-4-12 hexadecimal digits, either case) is an
        application id; any other string is an application name, matched as for O(application_name). A dict has
        C(id) (a GUID) or C(name), and optionally C(reuse_pending) and C(files).
      - A dict may also be an application record as the API returns it (C(kind=Application), with C(id)), for example
        from the P(sycorr.permission_assist.applications#lookup) lookup; it is staged by its C(id), its C(name) is
        only shown, and its other keys are ignored.
      - An item with C(files) uploads files instead of staging, with the logic and checks of
        M(sycorr.permission_assist.pa_import_upload) - C(files) maps a file group (GUID, or name where the server
        shows the connector) to the path of a file on the host that runs the module; every path is checked before
        any request; an identical upload still C(Pending) is reused unless the item's C(reuse_pending) is V(false)
        (the upload's C(force)). Its entry in RV(application_results) has C(uploaded_files), and RV(summary) counts it
        with C(staged) (or C(reused)).
      - Every item is checked before any request. The names of the whole list are resolved with one read of the
        application list. A name that matches nothing fails that item; when it looks like a mistyped GUID (in braces,
        without hyphens, a digit short) the message says so.
      - One application's own failure (the API refuses it as archived or without an import schedule, an unknown
        name) never stops the others; the task fails at the end when any failed, and RV(application_results) still
        holds every outcome.
      - A failure that every application would meet alike stops the list at once (HTTP 401 or 403, or a request
        that never reached the server because the connection was refused, DNS or TLS failed, or connecting timed
        out). The task fails
        with that error once; the items after it are in RV(application_results) with C(attempted=false).
      - With O(wait), O(wait_timeout) and O(poll_interval) apply to the whole list; see O(wait).
    type: list
    elements: raw
  reuse_pending:
    description:
      - Return an import of the application that is still C(Pending) (of any type) instead of staging another one.
        A C(Pending) import reads the files present when it starts, so a second one would only repeat the work.
      - A C(Running) import does not count; it has already read its files.
      - With V(false) every run stages a new import.
      - With O(applications), the C(Pending) imports of every application are learned at once from the
        never-started end of the unfiltered import list (C(Pending) imports have no build start, so they sort
        together at one end), walking pages from that end until a started import shows, when that costs at most
        half a request per application that reuses; otherwise (a few applications, or very many C(Pending) imports
        of other applications) each application's own list is read (its first and last page).
        RV(reuse_lookup) says which way it went. Either way, an import is reused only if a read of it just before
        the decision still shows it C(Pending); one that started in between is not reused and a new import is staged.
    type: bool
    default: true
  wait:
    description:
      - Wait until the import reaches a final status. C(Finished) succeeds; C(Failed) and C(Canceled) fail the task,
        with the import record and the end of its log.
      - With O(applications), waits for every staged or reused import within one O(wait_timeout). Each poll reads
        the unfiltered import list (C(GET /api/application-imports), 50 per page), not each import; it reads page 1 (the
        newest build starts), then, while imports are still missing, the last page (where never-started imports
        sort), and further pages only while they can still hold the missing ones; an import found on none of them
        is read by itself. For up to 50 applications that is one to three list requests per poll, growing by about
        one page per 50 outstanding imports beyond that.
      - The list does not carry C(log) or C(metrics), so each import that ends is also read by itself once, for its
        full record (one single-import request per import over the whole wait).
      - A wait for a single import (without O(applications), or when every application shares one reused import)
        reads it by id instead - one request per poll, which is also its full record.
      - An application whose import ends C(Failed) or C(Canceled) (with C(log_tail)), whose import is still running
        at the timeout (C(timed_out=true)), or whose wait stopped on a read that failed (with the reason in C(msg))
        fails; the others keep their final record. Applications that failed to stage are not waited on. In check
        mode nothing is staged and nothing is waited for.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true) (for all of O(applications) together). The wait ends at most one
        O(request_timeout) later.
    type: float
    default: 3600
  poll_interval:
    description:
      - Seconds between two reads of the import (with O(applications), two polls of the list) while waiting; grows
        by a quarter each time up to 30 seconds.
    type: float
    default: 5
  cancel_on_timeout:
    description:
      - When the wait times out, cancel the import before failing.
      - Not with O(applications); to roll back a batch, pass RV(application_results) to the
        P(sycorr.permission_assist.cancel_imports#role) role.
    type: bool
    default: false
notes:
  - In check mode only reads are sent. When an import would be reused it is returned; otherwise RV(application_import)
    is a predicted record with C(id=null) and RV(predicted=true). The check also fails, as the API would, for an
    unknown or archived application. With O(applications) the message says C(would stage N) and RV(summary) has
    C(would_stage); C(staged) stays 0.
  - With C(--diff), RV(diff) shows each application's import before and after the task (C(no import), or the reused
    one, then the staged or predicted import with its status).
seealso:
  - module: sycorr.permission_assist.pa_import_cancel
  - module: sycorr.permission_assist.pa_import_info
"""

EXAMPLES = r"""
- name: Stage an import for Core Banking (connection from PA_URL and PA_TOKEN)
  sycorr.permission_assist.pa_import_stage:
    application_id: 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3
  register: staged

- name: Stage by name and wait for the build to finish
  sycorr.permission_assist.pa_import_stage:
    application_name: Core Banking
    wait: true
    wait_timeout: 1800
    cancel_on_timeout: true

- name: Stage for several applications in one task (a GUID is an id, any other text a name)
  sycorr.permission_assist.pa_import_stage:
    applications:
      - 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3
      - HR Portal
      - name: Payments Gateway
        reuse_pending: false
  register: batch

- name: Stage for several applications and wait for all of them, polling the import list
  sycorr.permission_assist.pa_import_stage:
    applications: [HR Portal, Payments Gateway]
    wait: true
    wait_timeout: 3600
  register: waited

- name: Set the connection once for every module of the collection
  module_defaults:
    group/sycorr.permission_assist.all:
      pa_url: https://pa.example.com
      pa_token: "{{ vault_pa_token }}"
  block:
    - name: Always queue a new import, even if one is pending
      sycorr.permission_assist.pa_import_stage:
        application_name: HR Portal
        reuse_pending: false
"""

RETURN = r"""
application_import:
  description:
    - The import record as the API returned it (stage, or the single-import read when reused or after a wait).
    - The API's stage reference shows no C(application) in the stage answer. When the answer has none, the module
      fills it in from the application it already read (by name, or in the import list read for O(reuse_pending)),
      else reads the application once more; if that read fails it warns and leaves C(application) out.
    - In check mode without a reusable import, a predicted record whose C(id) and C(number) are null.
  returned: success, and on failure once an import exists
  type: dict
  sample:
    id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
    kind: Application Import
    number: 112
    type: API
    status: Pending
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
application_results:
  description: One entry per item of O(applications), in input order.
  returned: with O(applications)
  type: list
  elements: dict
  contains:
    application_id:
      description: GUID of the application (resolved from the name when a name was given and found).
      type: str
    application_name:
      description: Name of the application, when known.
      type: str
    import_id:
      description: GUID of the staged or reused import; null when the item failed or in a check-mode prediction.
      type: str
    number:
      description: Number of the import.
      type: int
    status:
      description: Status of the import as returned.
      type: str
    changed:
      description: Whether an import was (or, in check mode, would be) staged.
      type: bool
    failed:
      description: Whether this application failed (a not attempted one counts as failed).
      type: bool
    attempted:
      description:
        - Whether the module tried this application. V(false) when an earlier item met a failure that every
          application would meet alike (HTTP 401 or 403, connection refused, DNS, TLS, connection timeout) and the
          list stopped there; C(failed) is then V(true) and C(msg) says C(not attempted) and why in a few words.
      type: bool
    msg:
      description:
        - "What happened, or why it failed. With O(wait), what the wait ended on; a failed build adds its cause, the
          last meaningful line of the import log, as in
          C(staged import #165; import #165 (...) of Data Warehouse failed: the user extract has 0 rows)."
      type: str
    application_import:
      description:
        - The full import record, as for a single application. With O(wait), the record read when the import
          ended; for an import that did not end, or that the list showed ended when the wait stopped before that
          read, the staged record with the status and build times last seen in the list.
      type: dict
    uploaded_files:
      description:
        - For an item with C(files), one entry per file, as RV(sycorr.permission_assist.pa_import_upload#module:uploaded_files)
          (C(key), C(path), C(name), C(size), C(file_group_id), C(file_group)).
      returned: for items with C(files)
      type: list
      elements: dict
    wait:
      description: How the wait for this import ended.
      returned: with O(wait), for applications whose import was staged or reused
      type: str
      choices: [finished, failed_build, canceled, timed_out, wait_error]
    timed_out:
      description: Whether O(wait_timeout) passed before this import ended.
      returned: with O(wait), when it did
      type: bool
    log_tail:
      description: The last lines of the import log, when the import ended C(Failed) or C(Canceled).
      returned: with O(wait), when the import failed or was canceled
      type: list
      elements: str
  sample:
    - application_id: 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3
      application_name: Core Banking
      import_id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
      number: 112
      status: Pending
      changed: true
      failed: false
      attempted: true
      msg: "staged import #112"
lines:
  description:
    - "One line per entry of RV(application_results), in input order, saying what was done for that application, as
      the P(sycorr.permission_assist.stage_imports#role) role prints them - its name (else its id), the import's
      number and status, and C(staged), C(uploaded), C(reused), or C(would stage) or C(would upload) (check mode);
      C(, failed: why) when the import was obtained but the application failed; C(failed: why) alone without an
      import; C(not attempted) after a failure that stopped the batch."
    - "With O(wait) (when the imports were waited for), how each import ended instead - C(HR Portal: import #112
      Finished), C(, failed: why) for one that did not finish, C(not waited for) for one without an import to wait for."
  returned: with O(applications)
  type: list
  elements: str
  sample: ["Core Banking: import #112 Pending, staged", "HR Portal: import #108 Pending, reused",
           "Card Issuing: failed: POST /application-imports/stage failed: HTTP 422 ..."]
reuse_lookup:
  description:
    - With O(applications), how the batch learned which applications have a C(Pending) import to reuse.
    - C(method) is V(import_list) (from the never-started end of the unfiltered import list, C(list_pages) pages),
      V(per_application) (each application's own list, as without O(applications); C(list_pages) counts the pages a
      walk read before it gave up) or V(none) (no application reuses); C(reason) says why in words.
  returned: with O(applications)
  type: dict
  sample: {"method": "import_list", "list_pages": 7,
           "reason": "7 page(s) of the import list named every Pending import, for 1000 application(s) that reuse"}
summary:
  description:
    - Counts by outcome over O(applications). C(staged) and C(reused) count the imports obtained (C(staged) only
      those really staged, so 0 in check mode), C(failed) the applications that failed (to stage, not attempted, or
      with O(wait) because their import did not finish), C(not_attempted) those left out after a failure every
      application would meet (see RV(application_results[].attempted)).
    - In check mode, also C(would_stage), the imports a real run would stage.
    - With O(wait), also C(finished), C(failed_build), C(canceled), C(timed_out) and C(wait_error) (the wait stopped on
      a read that failed, or the import disappeared), as in RV(application_results[].wait).
    - "The task's C(msg) says the same in words, for example C(staged 2, reused 1 of 3; finished 2, failed build 1,
      canceled 0, timed out 0) (with C(, wait error N) when N is not 0), or C(would stage 2, reuse 1 of 3 (check
      mode: nothing was staged))."
  returned: with O(applications)
  type: dict
  sample: {"requested": 3, "staged": 2, "reused": 1, "failed": 1, "not_attempted": 0, "finished": 2,
           "failed_build": 1, "canceled": 0, "timed_out": 0, "wait_error": 0}
diff:
  description:
    - "What changed, as Ansible's C(--diff) shows it; each diff has C(before_header) and C(after_header) (the
      application's name, else its id), C(before) and C(after) (one line each, C(no import), C(import #112: Pending)
      or C(new import: Pending) for a check-mode prediction)."
    - Without O(applications), one diff; C(before) is C(no import), or the reused import (then C(after) is the same).
      C(after) is the import as the task ends (after O(wait), its final status).
    - With O(applications), a list with one diff per application whose import was (or in check mode would be)
      staged, in input order; empty when nothing changed.
  returned: in diff mode (C(--diff)); with O(applications) also when an application failed
  type: raw
  sample:
    before_header: Core Banking
    after_header: Core Banking
    before: "no import\n"
    after: "import #112: Pending\n"
wait_stats:
  description: What the wait for O(applications) cost.
  returned: with O(applications) and O(wait), not in check mode
  type: dict
  contains:
    waited:
      description: Seconds waited.
      type: float
    polls:
      description: Number of polls.
      type: int
    list_requests:
      description: Pages of the import list read, over all polls.
      type: int
    fallback_requests:
      description: Imports read by themselves because they were on none of the pages read.
      type: int
    final_record_requests:
      description: Imports read by themselves once they ended, for their full record.
      type: int
    direct_requests:
      description:
        - Polls that read the import by id instead of the list, as a wait for a single import does (one request
          per poll, which is also its full record).
      type: int
  sample: {"waited": 31.4, "polls": 6, "list_requests": 9, "fallback_requests": 0, "final_record_requests": 3,
           "direct_requests": 0}
reused:
  description: Whether an existing C(Pending) import was returned instead of staging one.
  returned: success without O(applications)
  type: bool
  sample: false
predicted:
  description: Whether RV(application_import) is a check-mode prediction rather than a record from the server.
  returned: success without O(applications)
  type: bool
  sample: false
log_tail:
  description: The last lines of the import log, when a waited-for import ended C(Failed) or C(Canceled).
  returned: when O(wait=true) and the import failed or was canceled
  type: list
  elements: str
  sample: ["Import started.", "Error: file users.csv not found"]
timed_out:
  description: Whether the task failed because O(wait_timeout) passed before the import ended.
  returned: failure of a wait
  type: bool
  sample: true
status:
  description: HTTP status of the failed API call.
  returned: failure caused by an API error
  type: int
  sample: 400
correlation_id:
  description: The API's C(correlationId) of the failed call, for the vendor's support.
  returned: failure caused by an API error
  type: str
  sample: 9d2e4a7c0b1f48e6a3c5d7e9f1a2b4c6
field_errors:
  description: The API's field-level validation errors.
  returned: failure caused by an API validation error
  type: list
  elements: dict
  sample: [{"field": "applicationId", "message": "Application is archived"}]
candidate_import_ids:
  description: When the outcome of a stage request is unknown, the imports to inspect before retrying.
  returned: failure with an unknown outcome
  type: list
  elements: str
  sample: []
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import run_module
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage import stage, stage_diff, wait_for_obtained
from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import run_batch
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import check_wait_options

ARGUMENT_SPEC = dict(
    application_id=dict(type="str"),
    application_name=dict(type="str"),
    applications=dict(type="list", elements="raw"),
    reuse_pending=dict(type="bool", default=True),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="float", default=3600),
    poll_interval=dict(type="float", default=5),
    cancel_on_timeout=dict(type="bool", default=False),
)


def run(module, api):
    params = module.params
    check_wait_options(params)
    if params["applications"] is not None:
        return run_batch(api, params, module.check_mode, diff=module._diff)
    application_id, application = ApplicationResolver(api).resolve(
        params["application_id"], params["application_name"])
    outcome = stage(api, application_id, params["reuse_pending"], module.check_mode, application)
    for warning in outcome.warnings:
        module.warn(warning)
    record = outcome.record
    if params["wait"] and not module.check_mode:
        record = wait_for_obtained(api, outcome, params)
    result = dict(changed=outcome.changed, msg=outcome.msg, application_import=record,
                  reused=outcome.reused, predicted=outcome.predicted)
    if module._diff:
        result["diff"] = stage_diff(application_id, outcome, record)
    return result


def main():
    run_module(ARGUMENT_SPEC, run,
               mutually_exclusive=[("application_id", "application_name", "applications")],
               required_one_of=[("application_id", "application_name", "applications")])


if __name__ == "__main__":
    main()

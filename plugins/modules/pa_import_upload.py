#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: pa_import_upload
short_description: Upload data files to Permission Assist as a new application import
version_added: 1.0.0
description:
  - Sends the data files themselves through C(POST /api/application-imports/upload) (C(multipart/form-data)) and so
    stages a new import from them, for applications whose connector is file-based (an HR export, an entitlement dump
    extracted by the job itself). Applications fed from a configured shared directory use
    M(sycorr.permission_assist.pa_import_stage) instead.
  - The files are read on the host that runs the module. For files on the controller, run the task with
    C(delegate_to=localhost) (or in a play on C(localhost)).
  - The files are streamed in chunks with a precomputed C(Content-Length), never held in memory, so a file of hundreds
    of megabytes costs no more memory than a small one.
  - Everything that can be checked is checked before the upload is sent. Before any request, each path must exist, be
    a readable regular file and not be empty. Then the application is read once; where the server shows its connector
    configuration (contract section 7), each key must name one of the connector's file groups (by GUID, or by name),
    no group may be given twice, every required group must be given, and the connector must be file-based. Each
    failure is one line naming the key or the path, and no upload is sent.
  - The upload call is not idempotent. Unless O(force=true), the module first looks for a C(Pending) import of the
    application with the same files, and returns it unchanged. I(The same files) means the same set of (file group,
    file name); the API exposes no checksum, so the content is not compared. A new extract under the same file name
    is therefore taken as identical while the earlier upload is still C(Pending); use O(force=true) (or date-stamped
    file names) when the content matters.
  - The upload is retried at once where the server refused it (the connection was refused, HTTP 429, or 503 with
    C(Retry-After)). When it fails without saying what it did (an HTTP 5xx without C(Retry-After), a dropped
    connection, no answer within O(request_timeout), an answer that cannot be read), the module looks at the
    application's imports first and adopts the one new import with these files. The files are sent again, at most
    O(request_retries) times, only when no new import of the application is in sight at all and the server can no
    longer act on the request (it answered; or it dropped the connection and a second look a second later still
    shows nothing). A new import with other files, several new imports, or a server that may still act (no answer in
    time, or a gateway's C(504)) fail the task with RV(outcome_unknown=true) and the imports to inspect, and nothing
    is sent again.
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.connection
  - sycorr.permission_assist.attributes
  - sycorr.permission_assist.wait
  - sycorr.permission_assist.wait.wait_option
  - sycorr.permission_assist.wait.cancel_on_timeout
attributes:
  diff_mode:
    description: Returns RV(diff), the application's import before and after the task.
    support: full
options:
  application_id:
    description:
      - GUID of the application.
      - Exactly one of O(application_id) and O(application_name) is required.
    type: str
  application_name:
    description:
      - Name of the application. It must match exactly one application that is not archived (an exact match is
        preferred; otherwise the comparison ignores case). Resolving a name reads the list of applications.
    type: str
  files:
    description:
      - The files to upload, one per file group of the application's connector. Each key is the file group's GUID,
        or, where the server shows the connector configuration, the group's name (an exact match is preferred;
        otherwise the comparison ignores case). Each value is the path of the file on the host that runs the module
        (C(~) is expanded; give absolute paths, a relative one is taken from the module's working directory there).
      - The API records each file under its base name (V(users_20260302.csv) for V(/data/users_20260302.csv)).
    type: dict
    required: true
  force:
    description:
      - Upload even when a C(Pending) import of the application has the same files (same file groups and file names).
      - With V(false) (the default) that import is returned with RV(reused=true) and C(changed=false).
    type: bool
    default: false
notes:
  - In check mode the files are checked and the application and its imports are read; nothing is uploaded.
    RV(application_import) is then the reusable import, or a predicted record with C(id=null), the files it would
    upload, and RV(predicted=true).
  - With C(--diff), RV(diff) shows C(no import), or the reused one, then the uploaded or predicted import with its
    status.
  - O(request_timeout) bounds each wait on the connection, including the wait for the answer once the last byte is
    sent. A server that stores or scans large files before it answers may need more; a timed-out upload is never
    sent again but looked for (see above), so raise O(request_timeout) for large files rather than re-running.
  - The P(sycorr.permission_assist.stage_imports#role) role uploads too, for items of C(stage_imports_applications)
    that carry C(files), in the same module run as the staged ones.
seealso:
  - module: sycorr.permission_assist.pa_application_info
    description: Read an application by id to see its connector's file groups (GUIDs, names, which are required).
  - module: sycorr.permission_assist.pa_import_stage
  - module: sycorr.permission_assist.pa_import_info
  - module: sycorr.permission_assist.pa_import_wait
"""

EXAMPLES = r"""
- name: Write tonight's extracts (here two small CSV files)
  ansible.builtin.copy:
    content: "{{ item.content }}"
    dest: "/var/tmp/{{ item.name }}"
    mode: "0600"
  loop:
    - {name: users_20260302.csv, content: "id,name\n1,Ann Example\n"}
    - {name: roles_20260302.csv, content: "id,role\n1,teller\n"}
  delegate_to: localhost

- name: Upload them for Card Issuing, keyed by file group GUID or by group name
  sycorr.permission_assist.pa_import_upload:
    application_name: Card Issuing
    files:
      3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38: /var/tmp/users_20260302.csv
      Roles: /var/tmp/roles_20260302.csv
  delegate_to: localhost   # the files are on the controller
  register: uploaded

- name: Run it again - the same files still Pending are reused (changed=false)
  sycorr.permission_assist.pa_import_upload:
    application_id: c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45
    files:
      Users: /var/tmp/users_20260302.csv
      Roles: /var/tmp/roles_20260302.csv
  delegate_to: localhost

- name: Upload again although an upload with these file names is Pending, and wait for the build
  sycorr.permission_assist.pa_import_upload:
    application_name: Card Issuing
    files:
      Users: /var/tmp/users_20260302.csv
      Roles: /var/tmp/roles_20260302.csv
    force: true
    wait: true
    wait_timeout: 1800
    cancel_on_timeout: true
  delegate_to: localhost
"""

RETURN = r"""
application_import:
  description:
    - The import record as the API returned it (the upload answer, or the single-import read when reused or after a
      wait), with C(files) as the server recorded them.
    - In check mode without a reusable import, a predicted record whose C(id) and C(number) are null and whose
      C(files) are the ones it would upload.
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
    files:
      - id: 4d9e2b70-6a15-4c83-9f2e-b1c07d58e3a9
        fileGroupId: 3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38
        fileGroup: Users
        name: users_20260302.csv
    metrics: null
    application:
      id: c8a5d2f9-1e46-4b73-b0d8-7f2a9c3e6b45
      kind: Application
      name: Card Issuing
      priority: High
      isArchived: false
      lastUpdated: "2026-03-02T06:40:00Z"
uploaded_files:
  description:
    - One entry per key of O(files) - what was (or, reused or in check mode, would have been) uploaded.
  returned: success
  type: list
  elements: dict
  contains:
    key:
      description: The key as given in O(files).
      type: str
    path:
      description: The absolute path of the file on the host that ran the module.
      type: str
    name:
      description: The file name sent (the base name of RV(uploaded_files[].path)).
      type: str
    size:
      description: Size of the file in bytes.
      type: int
    file_group_id:
      description: GUID of the file group the file fills.
      type: str
    file_group:
      description: Name of that file group; null where the server does not show the connector configuration.
      type: str
  sample:
    - key: Users
      path: /data/users_20260302.csv
      name: users_20260302.csv
      size: 18422311
      file_group_id: 3f9a2c71-5b8e-4d06-a1c4-7e2b9d5f0a38
      file_group: Users
reused:
  description: Whether a C(Pending) import with the same files was returned instead of uploading.
  returned: success
  type: bool
  sample: false
predicted:
  description: Whether RV(application_import) is a check-mode prediction rather than a record from the server.
  returned: success
  type: bool
  sample: false
diff:
  description:
    - "What changed, as Ansible's C(--diff) shows it: C(before_header) and C(after_header) (the application's name),
      C(before) (C(no import), or the reused import) and C(after) (the import as the task ends, for example
      C(import #112: Pending), or C(new import: Pending) in check mode)."
  returned: in diff mode (C(--diff))
  type: dict
  sample:
    before_header: Card Issuing
    after_header: Card Issuing
    before: "no import\n"
    after: "import #112: Pending\n"
log_tail:
  description: The last lines of the import log, when a waited-for import ended C(Failed) or C(Canceled).
  returned: when O(wait=true) and the import failed or was canceled
  type: list
  elements: str
  sample: ["Import started.", "Error: the user extract has 0 rows; import stopped."]
timed_out:
  description: Whether the task failed because O(wait_timeout) passed before the import ended.
  returned: failure of a wait
  type: bool
  sample: true
field:
  description: The option (and key) at fault, for a bad input.
  returned: failure caused by a bad input
  type: str
  sample: files.Roles
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
  description: The API's field-level validation errors (for the upload, C(field) is the part name, a file group GUID).
  returned: failure caused by an API validation error
  type: list
  elements: dict
  sample: [{"field": "c47e1b92-0d6a-4f35-8b29-5a1e3c7d9f64", "message": "File is empty"}]
outcome_unknown:
  description:
    - Whether the upload failed and the module cannot tell whether it created an import (see the description).
      C(false) when every attempt failed and the looks after them showed that nothing was uploaded.
  returned: failure of an upload that was looked for
  type: bool
  sample: true
attempts:
  description: How many times the files were sent before the module gave up, each failure followed by a look that
    found nothing uploaded (1 + O(request_retries)).
  returned: failure after the re-sends of a failed upload were used up
  type: int
  sample: 4
candidate_import_ids:
  description: When the outcome of the upload is unknown, the imports to inspect before retrying.
  returned: failure with an unknown outcome
  type: list
  elements: str
  sample: []
"""

from functools import partial

from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import check_wait_options, wait_argument_spec
from ansible_collections.sycorr.permission_assist.plugins.module_utils.cancel import cancel_on_timeout
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import run_module
from ansible_collections.sycorr.permission_assist.plugins.module_utils.obtained import obtained_diff, wait_for_obtained
from ansible_collections.sycorr.permission_assist.plugins.module_utils.upload import check_files, upload

ARGUMENT_SPEC = dict(
    application_id=dict(type="str"),
    application_name=dict(type="str"),
    files=dict(type="dict", required=True),
    force=dict(type="bool", default=False),
    **wait_argument_spec()
)


def run(module, api):
    params = module.params
    check_wait_options(params)
    uploads = check_files(params["files"])
    application_id, dummy = ApplicationResolver(api).resolve(params["application_id"], params["application_name"])
    outcome = upload(api, application_id, uploads, params["force"], module.check_mode)
    for warning in outcome.warnings:
        module.warn(warning)
    record = outcome.record
    if params["wait"] and not module.check_mode:
        record = wait_for_obtained(api, outcome, params, partial(cancel_on_timeout, api, check_mode=False))
    result = dict(changed=outcome.changed, msg=outcome.msg, application_import=record, reused=outcome.reused,
                  predicted=outcome.predicted, uploaded_files=[item.result() for item in uploads])
    if module._diff:
        result["diff"] = obtained_diff(application_id, outcome, record)
    return result


def main():
    run_module(ARGUMENT_SPEC, run,
               mutually_exclusive=[("application_id", "application_name")],
               required_one_of=[("application_id", "application_name")])


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: pa_import_info
short_description: Read Permission Assist application imports
version_added: 0.1.0
description:
  - Reads one import by id (the full record, with C(log), C(files) and C(metrics)), or lists imports, walking every
    page, optionally only those of one application and of some statuses.
  - Listed imports carry the list representation of the API (C(id), C(kind), C(number), C(type), C(status),
    C(buildStart), C(buildEnd), C(application)), newest build first with never-started imports at one end.
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.connection
  - sycorr.permission_assist.attributes
  - sycorr.permission_assist.attributes.info_module
options:
  import_id:
    description:
      - GUID of one import to read. Mutually exclusive with the list filters.
    type: str
  application_id:
    description:
      - List only the imports of this application (GUID).
      - The application is read first (one more request), so an unknown id fails with a message naming
        O(application_id) instead of listing nothing, as the API's list would for an id it does not know.
    type: str
  application_name:
    description:
      - List only the imports of the one non-archived application with this name.
    type: str
  status:
    description:
      - List only imports in these statuses, any of C(Pending), C(Running), C(Finished), C(Failed), C(Canceled),
        C(Canceling), compared ignoring case. The API has no status filter, so every page is still read.
    type: list
    elements: str
"""

EXAMPLES = r"""
# example: after plugins/modules/pa_import_stage.py#1 (registers staged)
- name: Read one import
  sycorr.permission_assist.pa_import_info:
    import_id: "{{ staged.application_import.id }}"
  register: one

- name: List what is still queued or running for Core Banking
  sycorr.permission_assist.pa_import_info:
    application_name: Core Banking
    status: [Pending, Running]
  register: active

- name: Show the numbers
  ansible.builtin.debug:
    msg: "{{ active.application_imports | map(attribute='number') | list }}"
"""

RETURN = r"""
application_import:
  description: The full import record, with O(import_id).
  returned: success with O(import_id)
  type: dict
  sample:
    id: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
    kind: Application Import
    number: 112
    type: API
    status: Finished
application_imports:
  description: The listed imports, in the API's order.
  returned: success without O(import_id)
  type: list
  elements: dict
  sample:
    - id: a40c7e19-2d5b-4f83-b6e1-0c9d3f7a2e58
      kind: Application Import
      number: 111
      type: Scheduled
      status: Finished
      buildStart: "2026-03-01T02:00:05Z"
      buildEnd: "2026-03-01T02:11:47Z"
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import IMPORT_STATUSES, read_import, status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver, fetch_application
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import run_module

ARGUMENT_SPEC = dict(
    import_id=dict(type="str"),
    application_id=dict(type="str"),
    application_name=dict(type="str"),
    status=dict(type="list", elements="str"),
)


def run(module, api):
    params = module.params
    wanted = _wanted_statuses(params["status"])
    if params["import_id"] is not None:
        return dict(changed=False, application_import=read_import(api, guid("import_id", params["import_id"])))
    application_id = None
    if params["application_name"] is not None:
        application_id, dummy = ApplicationResolver(api).resolve(application_name=params["application_name"])
    elif params["application_id"] is not None:
        # The API lists nothing for an id it does not know: a mistyped GUID must fail, not read as "no imports".
        application_id = guid("application_id", params["application_id"])
        fetch_application(api, application_id)
    rows = api.list_imports(application_id)
    if wanted:
        rows = [row for row in rows if status_of(row) in wanted]
    return dict(changed=False, application_imports=rows)


def _wanted_statuses(values):
    wanted = set(value.strip().lower() for value in values or [])
    unknown = sorted(wanted - set(status.lower() for status in IMPORT_STATUSES))
    if unknown:
        raise InputError("status", "unknown status {0}; use any of {1}".format(", ".join(unknown), ", ".join(IMPORT_STATUSES)))
    return wanted


def main():
    run_module(ARGUMENT_SPEC, run, mutually_exclusive=[
        ("import_id", "application_id", "application_name"), ("import_id", "status")])


if __name__ == "__main__":
    main()

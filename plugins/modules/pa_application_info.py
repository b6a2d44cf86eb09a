#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: pa_application_info
short_description: Read Permission Assist applications
version_added: 0.1.0
description:
  - Reads one application by id, the applications with a given name, or every application (walking every page).
  - Archived applications are left out of name and list results unless O(include_archived=true).
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.connection
  - sycorr.permission_assist.attributes
  - sycorr.permission_assist.attributes.info_module
options:
  application_id:
    description:
      - GUID of one application to read, archived or not.
    type: str
  name:
    description:
      - Return the applications with this exact name (several may share it).
    type: str
  include_archived:
    description:
      - Also return archived applications when listing or matching a name.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Every active application
  sycorr.permission_assist.pa_application_info:
  register: apps

- name: Look up an application's id by its name
  sycorr.permission_assist.pa_application_info:
    name: Core Banking
  register: core

- name: Stage an import for it
  sycorr.permission_assist.pa_import_stage:
    application_id: "{{ core.applications[0].id }}"
"""

RETURN = r"""
applications:
  description:
    - The applications found, in the API's order (by name), as the API returns them.
    - Read by O(application_id), an application may also carry C(connector) (C(name), C(fileBased), C(fileGroups) with
      C(id), C(name) and C(required)) where the server shows the connector configuration; the file groups are what
      M(sycorr.permission_assist.pa_import_upload) takes as keys of its C(files).
  returned: success
  type: list
  elements: dict
  sample:
    - id: 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3
      kind: Application
      name: Core Banking
      priority: High
      isArchived: false
      lastUpdated: "2026-03-02T06:40:00Z"
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import fetch_application
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import guid, non_empty
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import run_module

ARGUMENT_SPEC = dict(
    application_id=dict(type="str"),
    name=dict(type="str"),
    include_archived=dict(type="bool", default=False),
)


def run(module, api):
    params = module.params
    if params["application_id"] is not None:
        return dict(changed=False, applications=[fetch_application(api, guid("application_id", params["application_id"]))])
    name = non_empty("name", params["name"])
    applications = api.list_applications()
    if name is not None:
        applications = [app for app in applications if app.get("name") == name]
    if not params["include_archived"]:
        applications = [app for app in applications if not app.get("isArchived")]
    return dict(changed=False, applications=applications)


def main():
    run_module(ARGUMENT_SPEC, run, mutually_exclusive=[("application_id", "name")])


if __name__ == "__main__":
    main()

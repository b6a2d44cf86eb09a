# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
name: imports
short_description: Read Permission Assist application imports by id, application and status
version_added: 1.0.0
description:
  - Returns import records. With terms, each term is an import id and its full record is returned (with C(createdBy),
    C(log), C(files), C(metrics)), in the order given; an unknown id fails, naming it.
  - Without terms, returns the rows of the import list (C(id), C(kind), C(number), C(type), C(status),
    C(buildStart), C(buildEnd), C(application)), every page of it, in the API's order (newest build first); only
    those of O(application) when given.
  - O(status) keeps the imports in those statuses, either way. The API has no status filter, so the whole list is
    still read.
author:
  - Sycorr collection maintainers (@sycorr)
extends_documentation_fragment:
  - sycorr.permission_assist.lookup_connection
seealso:
  - ref: ansible_collections.sycorr.permission_assist.docsite.guide_inventory
    description: Several Permission Assist servers from one inventory, each host reading its own server.
options:
  _terms:
    description:
      - Import ids (GUIDs). Not together with O(application).
    type: list
    elements: str
    required: false
  application:
    description:
      - List only the imports of this application, given by its GUID or by its name (matched as the
        P(sycorr.permission_assist.applications#lookup) lookup matches an exact name). An archived application's
        imports are listed too; where an active and an archived application share the name, the active one's.
      - An unknown GUID or name fails instead of listing nothing.
    type: str
  status:
    description:
      - Keep only imports in these statuses, any of C(Pending), C(Running), C(Finished), C(Failed), C(Canceled),
        C(Canceling), compared ignoring case. One value or a list (a comma-separated string is a list).
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: The numbers of the imports of Core Banking still queued or running
  ansible.builtin.debug:
    msg: "{{ query('sycorr.permission_assist.imports', application='Core Banking', status=['Pending', 'Running'])
             | map(attribute='number') }}"

- name: Every failed import of any application, with its application's name
  ansible.builtin.debug:
    msg: "{{ item.application.name }}: import #{{ item.number }} failed"
  loop: "{{ query('sycorr.permission_assist.imports', status='Failed') }}"

# example: after plugins/modules/pa_import_stage.py#1 (registers staged)
- name: One import's full record by its id, with its build log
  ansible.builtin.debug:
    msg: "{{ lookup('sycorr.permission_assist.imports', staged.application_import.id) }}"
"""

RETURN = r"""
_list:
  description:
    - The import records; full records for ids given as terms, list rows otherwise.
  type: list
  elements: dict
  contains:
    id:
      description: GUID of the import.
      type: str
      sample: 5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57
    number:
      description: Sequential import number.
      type: int
      sample: 112
    type:
      description: How the import was started (C(Scheduled), C(Manual), C(API)).
      type: str
    status:
      description: One of C(Pending), C(Running), C(Finished), C(Failed), C(Canceled), C(Canceling).
      type: str
      sample: Pending
    buildStart:
      description: When the build began (ISO 8601), or null while C(Pending).
      type: str
    buildEnd:
      description: When the build ended (ISO 8601), or null.
      type: str
    application:
      description: The application's summary (C(id), C(name), C(priority), C(isArchived), ...).
      type: dict
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import IMPORT_STATUSES
from ansible_collections.sycorr.permission_assist.plugins.module_utils.selection import choices, find_imports
from ansible_collections.sycorr.permission_assist.plugins.plugin_utils.lookup import PermissionAssistLookup


class LookupModule(PermissionAssistLookup):

    def select(self, api, terms):
        return find_imports(api, terms, application=self.get_option("application"),
                            statuses=choices("status", self.get_option("status"), IMPORT_STATUSES))

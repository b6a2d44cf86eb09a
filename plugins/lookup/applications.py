# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
name: applications
short_description: Select Permission Assist applications by name, pattern, priority and connector
version_added: 1.0.0
description:
  - Returns the Permission Assist applications named by the terms, as the API returns them (C(id), C(name),
    C(priority), C(isArchived), ...).
  - Each term is an exact application name or a shell-style pattern (C(*), C(?), C([seq]), C([!seq])). No term selects
    every application.
  - The records can be given as they are to the C(applications) of M(sycorr.permission_assist.pa_import_stage) and to
    the C(stage_imports_applications) of the role R(sycorr.permission_assist.stage_imports,ansible_collections.sycorr.permission_assist.stage_imports_role).
  - Whatever the number of terms, one call reads the application list once (one request per page of 50
    applications), plus one request per selected application with O(file_based).
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
      - Application names or shell-style patterns.
      - A pattern matches names as the shell does, case included (C(HR *) matches C(HR Portal), not C(hr portal)); a
        pattern that matches nothing selects nothing.
      - An exact name matches that name, else the same name in another case, as the modules' C(application_name)
        does. An exact name that matches no application fails, naming the closest names; one whose applications are
        all archived fails unless O(include_archived=true).
      - A term is a pattern as soon as it holds C(*), C(?) or C([); write C([[]) for a literal C([).
      - Each application is returned once, in the order of the terms (each term's matches ordered by name).
    type: list
    elements: str
    required: false
  priority:
    description:
      - Keep only applications of these priorities, any of C(None), C(Low), C(Moderate), C(High), C(Critical),
        compared ignoring case. One value or a list (a comma-separated string is a list).
      - Quote C('None') in Jinja; an unquoted C(None) is no filter at all.
    type: list
    elements: str
  include_archived:
    description:
      - Also select archived applications, which cannot be staged or uploaded to.
    type: bool
    default: false
  file_based:
    description:
      - V(true) keeps only applications whose connector is file-based (those M(sycorr.permission_assist.pa_import_upload)
        uploads to); V(false) keeps only the others. Not set, the connector does not matter.
      - Reads the details of each application selected by the other criteria (one request each), and returns those
        details, which carry C(connector) (C(name), C(fileBased), C(fileGroups)).
      - Fails when the server does not show the connector configuration.
    type: bool
"""

EXAMPLES = r"""
- name: Stage an import for every Critical application whose name starts with "Payments "
  ansible.builtin.include_role:
    name: sycorr.permission_assist.stage_imports
  vars:
    stage_imports_applications: "{{ query('sycorr.permission_assist.applications', 'Payments *', priority='Critical') }}"

- name: The names of every High or Critical application
  ansible.builtin.debug:
    msg: "{{ query('sycorr.permission_assist.applications', priority=['High', 'Critical']) | map(attribute='name') }}"

- name: Applications that take uploaded files, with their file groups
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.connector.fileGroups | map(attribute='name') | join(', ') }}"
  loop: "{{ query('sycorr.permission_assist.applications', file_based=true) }}"

- name: One application by its exact name, with lookup() (a list only with wantlist=true)
  ansible.builtin.debug:
    msg: "{{ lookup('sycorr.permission_assist.applications', 'Core Banking', wantlist=true) | first }}"

- name: Read another server than the environment's (the keywords win over the variables pa_url and pa_token)
  ansible.builtin.debug:
    msg: "{{ query('sycorr.permission_assist.applications', 'Trading*', pa_url=server, pa_token=token) | length }}"
  vars:
    server: https://pa.example.com
    token: "{{ vault_pa_token }}"
"""

RETURN = r"""
_list:
  description:
    - The selected application records, as the API's application list returns them (with O(file_based), as its
      application details return them, with C(connector)).
  type: list
  elements: dict
  contains:
    id:
      description: GUID of the application.
      type: str
      sample: 9e4a7b13-2c6d-4f85-a9b0-3d1e5f7c2a98
    kind:
      description: Always C(Application).
      type: str
    name:
      description: Name of the application.
      type: str
      sample: Payments Gateway
    priority:
      description: One of C(None), C(Low), C(Moderate), C(High), C(Critical).
      type: str
      sample: Critical
    isArchived:
      description: Whether the application is archived.
      type: bool
      sample: false
    lastUpdated:
      description: When the application last changed (ISO 8601).
      type: str
      sample: "2026-03-02T06:40:00Z"
    connector:
      description: The connector configuration (with O(file_based) only, where the server shows it).
      type: dict
      returned: with O(file_based)
"""

from ansible_collections.sycorr.permission_assist.plugins.module_utils.selection import PRIORITIES, choices, find_applications
from ansible_collections.sycorr.permission_assist.plugins.plugin_utils.lookup import PermissionAssistLookup


class LookupModule(PermissionAssistLookup):

    def select(self, api, terms):
        return find_applications(api, terms, priorities=choices("priority", self.get_option("priority"), PRIORITIES),
                                 include_archived=self.get_option("include_archived"),
                                 file_based=self.get_option("file_based"))

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The lookups' connection: the modules' options and environment variables (doc fragment connection), plus the
    # inventory variables, since module_defaults do not reach lookups. Keep in step with plugins/module_utils/arguments.py.
    DOCUMENTATION = r"""
options:
  pa_url:
    description:
      - Base URL of the Permission Assist server, for example V(https://pa.example.com), as the modules'
        O(sycorr.permission_assist.pa_import_stage#module:pa_url).
      - Taken from the lookup's own keyword, else the variable C(pa_url) (a host variable of the inventory, so each
        host reads its own server), else the environment variable E(PA_URL).
    type: str
    env:
      - name: PA_URL
    vars:
      - name: pa_url
  pa_token:
    description:
      - API token (Bearer) created in Permission Assist under System Configuration.
      - Taken from the lookup's own keyword, else the variable C(pa_token) (vault it), else the environment variable
        E(PA_TOKEN).
      - The value is never logged, shown in an error or returned.
    type: str
    env:
      - name: PA_TOKEN
    vars:
      - name: pa_token
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Turning it off is accepted with a warning.
    type: bool
    default: true
    env:
      - name: PA_VALIDATE_CERTS
    vars:
      - name: pa_validate_certs
  ca_path:
    description:
      - PEM file of the CA certificate(s) to trust instead of the system bundle.
    type: path
    env:
      - name: PA_CA_PATH
    vars:
      - name: pa_ca_path
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: float
    default: 30
    env:
      - name: PA_REQUEST_TIMEOUT
  request_retries:
    description:
      - How many times a read is retried on connection errors, timeouts, HTTP 429, 502, 503 and 504.
    type: int
    default: 3
    env:
      - name: PA_REQUEST_RETRIES
notes:
  - C(module_defaults) do not reach lookups. The lookups read the same environment variables as the modules, and the
    inventory variables C(pa_url), C(pa_token), C(pa_validate_certs) and C(pa_ca_path), which set the modules'
    options too when the group's C(module_defaults) name them (see the inventory guide of this collection).
  - The lookup runs on the controller, once per host it is templated for; each call reads the application list once.
requirements:
  - requests >= 2.25 on the controller
"""

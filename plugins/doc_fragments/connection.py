# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # Keep in step with plugins/module_utils/arguments.py.
    DOCUMENTATION = r"""
options:
  pa_url:
    description:
      - Base URL of the Permission Assist server, for example V(https://pa.example.com).
      - The collection appends C(/api/...) to it, so a server published behind a reverse proxy with a path prefix
        works as V(https://proxy.example.com/pa).
      - Plain V(http://) to a host other than the loopback interface is accepted with a warning.
      - If not set, the value of the E(PA_URL) environment variable is used.
    type: str
    required: true
  pa_token:
    description:
      - API token (Bearer) created in Permission Assist under System Configuration.
      - If not set, the value of the E(PA_TOKEN) environment variable is used.
      - The value is never logged or returned.
    type: str
    required: true
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Turning it off is accepted with a warning; prefer O(ca_path) for a private CA.
      - If not set, the value of the E(PA_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificate(s) to trust instead of the system bundle.
      - If not set, the value of the E(PA_CA_PATH) environment variable is used.
    type: path
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer.
      - If not set, the value of the E(PA_REQUEST_TIMEOUT) environment variable is used.
    type: float
    default: 30
  request_retries:
    description:
      - How many times a request is retried when a retry is safe.
      - Reads are retried on connection errors, timeouts, HTTP 429, 502, 503 and 504, with exponential backoff,
        honouring C(Retry-After) up to 30 seconds.
      - A stage or upload request is retried at once only when the server cannot have acted on it (the connection was
        refused, HTTP 429, or 503 with C(Retry-After)). After any other failure the module first looks for the import
        it may have created, and sends the request again only when none is in sight and the server can no longer
        act on it, at most this many times more.
      - If not set, the value of the E(PA_REQUEST_RETRIES) environment variable is used.
    type: int
    default: 3
notes:
  - All modules of this collection belong to the action group C(sycorr.permission_assist.all), so the connection
    options can be set once with C(module_defaults).
requirements:
  - requests >= 2.25 on the host that runs the module
"""

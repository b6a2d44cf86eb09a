# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of options shared by every module, and the checks Ansible's type system cannot do."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import ipaddress
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError

# Keep in step with plugins/doc_fragments/connection.py.
CONNECTION_ARGUMENT_SPEC = dict(
    pa_url=dict(type="str", required=True, fallback=(env_fallback, ["PA_URL"])),
    pa_token=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["PA_TOKEN"])),
    validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["PA_VALIDATE_CERTS"])),
    ca_path=dict(type="path", fallback=(env_fallback, ["PA_CA_PATH"])),
    request_timeout=dict(type="float", default=30.0, fallback=(env_fallback, ["PA_REQUEST_TIMEOUT"])),
    request_retries=dict(type="int", default=3, fallback=(env_fallback, ["PA_REQUEST_RETRIES"])),
)

GUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
LOOPBACK_HOSTS = ("localhost", "::1")


def connection_argument_spec():
    return copy.deepcopy(CONNECTION_ARGUMENT_SPEC)


def guid(field, value):
    """Return the GUID in canonical lower-case form, or raise InputError naming the field."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or not GUID_PATTERN.match(text):
        raise InputError(field, "{0!r} is not a GUID (expected 8-4-4-4-12 hexadecimal digits, "
                                "for example 7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3)".format(value))
    return text.lower()


def non_empty(field, value):
    if value is not None and not value.strip():
        raise InputError(field, "must not be empty")
    return value


def check_connection(params):
    """Validate the connection options; return the warnings worth showing the user."""
    warnings = []
    url = params["pa_url"]
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("pa_url", "{0!r} is not an absolute http(s) URL such as https://pa.example.com "
                                   "(the server, optionally with a reverse-proxy path prefix; without /api)".format(url))
    if parts.query or parts.fragment:
        raise InputError("pa_url", "must not carry a query string or fragment")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        warnings.append("pa_url uses plain http: the API token crosses the network unencrypted; use https")
    if not params["pa_token"].strip():
        raise InputError("pa_token", "must not be empty")
    if params["request_timeout"] <= 0:
        raise InputError("request_timeout", "must be greater than 0 seconds")
    if params["request_retries"] < 0:
        raise InputError("request_retries", "must be 0 or more")
    if not params["validate_certs"] and parts.scheme == "https":
        warnings.append("validate_certs is false: the server's TLS certificate is not checked")
    return warnings


def _is_loopback(host):
    """Only a loopback address or localhost: "127.attacker.example" is a remote name that merely starts with 127."""
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Keep in step with plugins/doc_fragments/wait.py.
def check_wait_options(params):
    """Called before any request, so a bad value never leaves a half-done change behind."""
    for field in ("wait_timeout", "poll_interval"):
        if params[field] <= 0:
            raise InputError(field, "must be greater than 0 seconds")


def wait_argument_spec(wait_timeout=3600, poll_interval=5, wait=True, cancel_on_timeout=True):
    """The wait options of a module, with its defaults: ``wait`` (unless the module always waits), ``wait_timeout``,
    ``poll_interval``, and ``cancel_on_timeout`` where a timed-out import can be canceled."""
    spec = dict(wait_timeout=dict(type="float", default=wait_timeout),
                poll_interval=dict(type="float", default=poll_interval))
    if wait:
        spec["wait"] = dict(type="bool", default=False)
    if cancel_on_timeout:
        spec["cancel_on_timeout"] = dict(type="bool", default=False)
    return spec

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module's main() does: build the module and client, run, report errors as failed tasks."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PermissionAssistApi
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import (
    check_connection, connection_argument_spec)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.client import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, Client, RetryPolicy)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import PermissionAssistError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.secrets import SecretScrubbingModule


def api_from_params(params):
    client = Client(
        params["pa_url"].strip(),
        params["pa_token"].strip(),
        validate_certs=params["validate_certs"],
        ca_path=params["ca_path"],
        timeout=params["request_timeout"],
        retry_policy=RetryPolicy(retries=params["request_retries"]),
    )
    return PermissionAssistApi(client)


def run_module(argument_spec, run, **module_kwargs):
    """``run(module, api)`` returns the result dict or raises PermissionAssistError."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    module = SecretScrubbingModule(argument_spec=spec, supports_check_mode=True, **module_kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
    try:
        for warning in check_connection(module.params):
            module.warn(warning)
        api = api_from_params(module.params)
        try:
            result = run(module, api)
        finally:
            api.client.close()
    except PermissionAssistError as exc:
        module.fail_json(**exc.fail_kwargs())
    module.exit_json(**result)

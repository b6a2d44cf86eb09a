# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every lookup of the collection shares: its connection options (doc fragment lookup_connection) turned into
the modules' API client, and the collection's errors turned into one-line lookup errors."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.plugins import get_plugin_class
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import check_connection
from ansible_collections.sycorr.permission_assist.plugins.module_utils.client import HAS_REQUESTS
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, PermissionAssistError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.module import api_from_params
from ansible_collections.sycorr.permission_assist.plugins.module_utils.secrets import scrub

display = Display()

CONNECTION_OPTIONS = ("pa_url", "pa_token", "validate_certs", "ca_path", "request_timeout", "request_retries")
SOURCES = {"pa_url": "PA_URL", "pa_token": "PA_TOKEN"}


class PermissionAssistLookup(LookupBase):
    """A lookup that reads the API: subclasses implement ``select(api, terms)`` and read their own options with
    ``get_option``."""

    def select(self, api, terms):
        raise NotImplementedError

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=self.option_variables(variables), direct=kwargs)
        params = self.connection_params()
        try:
            for warning in check_connection(params):
                display.warning(warning)
            api = api_from_params(params)
            try:
                return self.select(api, self._flatten(terms or []))
            finally:
                api.client.close()
        except PermissionAssistError as exc:
            # ``from None``: the error says it all; a chained cause would only add a traceback.
            # The token is scrubbed: a message may quote what it was given (a term templated from it).
            raise AnsibleLookupError(scrub(self.describe(exc, params["pa_url"]), [params["pa_token"]])) from None

    def option_variables(self, variables):
        """The variables this lookup's options read (their ``vars:`` entries), templated: Ansible hands a lookup its
        variables as written (``pa_url: "https://{{ inventory_hostname }}"``, a vaulted token)."""
        definitions = C.config.get_configuration_definitions(get_plugin_class(self), self._load_name)
        names = set(entry["name"] for option in definitions.values() for entry in option.get("vars") or [])
        found = dict((name, variables[name]) for name in names if variables and name in variables)
        if not found or self._templar is None:
            return found
        return self._templar.copy_with_new_env(available_variables=variables).template(found)

    def connection_params(self):
        if not HAS_REQUESTS:
            raise AnsibleLookupError("the Python library requests is required on the controller (pip install "
                                     "requests)")
        params = dict((name, self.get_option(name)) for name in CONNECTION_OPTIONS)
        for name, variable in SOURCES.items():
            if not isinstance(params[name], str) or not params[name].strip():
                raise AnsibleLookupError("{0}: not set; give {0}=..., set the variable {0}, or the environment "
                                         "variable {1}".format(name, variable))
        return params

    @staticmethod
    def describe(error, url):
        """An API or transport error names the server: with an inventory of several, the message says which."""
        if isinstance(error, (ApiError, TransportError)):
            return "{0} (Permission Assist at {1})".format(error, url.strip())
        return str(error)

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's own no_log values (the API token) kept out of everything it returns, on every ansible-core line.

Up to ansible-core 2.21, AnsibleModule replaced no_log values inside module results. 2.22 masks them only where it
displays them (``$REDACTED$``), so a token that reached a result (an application name templated from it, echoed in a
message) went in clear into registered variables and every file written from them, such as a ready playbook's report.
Each module therefore scrubs its no_log values itself before it returns, whatever the line does after that.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

PLACEHOLDER = "********"


def scrub(value, secrets):
    """``value`` with every occurrence of each secret replaced by PLACEHOLDER, in every string it holds (dict keys too).

    Secrets that are not strings, or blank, are ignored; each is matched without its surrounding whitespace (the
    client strips the token before use), the longest first, so a secret that contains another is replaced whole.
    """
    words = sorted({secret.strip() for secret in secrets if isinstance(secret, str) and secret.strip()},
                   key=len, reverse=True)
    return _scrub(value, words) if words else value


def _scrub(value, words):
    if isinstance(value, str):
        for word in words:
            value = value.replace(word, PLACEHOLDER)
        return value
    if isinstance(value, dict):
        return dict((_scrub(key, words), _scrub(item, words)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub(item, words) for item in value)
    return value


class SecretScrubbingModule(AnsibleModule):
    """An AnsibleModule whose results, failures and warnings never carry its no_log values."""

    def warn(self, warning, **kwargs):
        super(SecretScrubbingModule, self).warn(self._scrubbed(warning), **kwargs)

    def exit_json(self, **kwargs):
        self._scrub_params()
        super(SecretScrubbingModule, self).exit_json(**self._scrubbed(kwargs))

    def fail_json(self, msg, **kwargs):
        self._scrub_params()
        super(SecretScrubbingModule, self).fail_json(self._scrubbed(msg), **self._scrubbed(kwargs))

    def _scrubbed(self, value):
        # no_log_values is filled while the arguments are validated, which may fail before it exists
        return scrub(value, getattr(self, "no_log_values", ()))

    def _scrub_params(self):
        # The result's `invocation` block, which ansible-core adds after these methods run, is made from self.params.
        if isinstance(getattr(self, "params", None), dict):
            self.params = self._scrubbed(self.params)

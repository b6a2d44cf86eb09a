# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes each host's task result, unabridged (warnings, invocation), as JSON to a file.

The tests' replacement for the deprecated ``tree`` callback, whose files lose warnings and invocation since
ansible-core 2.19. It runs beside the normal stdout callback, so the console output stays what users see.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: pa_result
type: notification
short_description: write each host's task result as JSON to the directory in PA_RESULT_DIR (tests only)
description:
  - Enabled by the collection's tests through ANSIBLE_CALLBACKS_ENABLED.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "pa_result"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, result, failed):
        # 2.19+ hands callbacks a CallbackTaskResult (.result, .host; the underscored names go in 2.23), older
        # lines a TaskResult (._result, ._host). 2.19+ also turns warnings into plain strings here.
        modern = hasattr(type(result), "result")
        data = dict(result.result if modern else result._result)
        data.setdefault("failed", failed)
        data.pop("deprecations", None)
        if data.get("exception") == "(traceback unavailable)":
            # 2.19+ gives every failure an error summary, shown as this text unless tracebacks are enabled: it is
            # not an exception the module raised or reported, which is what tests look for under this key.
            del data["exception"]
        host = result.host if modern else result._host
        with open(os.path.join(os.environ["PA_RESULT_DIR"], host.get_name()), "w") as handle:
            json.dump(data, handle, default=str)

    def v2_runner_on_ok(self, result):
        self._write(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, True)

    def v2_runner_on_unreachable(self, result):
        self._write(result, True)

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The wait options; keep in step with wait_argument_spec in plugins/module_utils/arguments.py. A module whose
    # defaults differ (pa_import_cancel) or that has more to say about one option gives that key in its own
    # documentation; the other keys come from here.
    DOCUMENTATION = r"""
options:
  wait_timeout:
    description:
      - Seconds to wait, for all the imports of the task together. The wait ends at most one O(request_timeout) later.
    type: float
    default: 3600
  poll_interval:
    description:
      - Seconds between two polls while waiting; grows by a quarter after each poll, up to 30 seconds (or
        O(poll_interval) if larger).
      - A wait for one import reads it by id, one request per poll that is also its full record. A wait for several
        reads the unfiltered import list for all of them together (a few pages per poll, whatever their number), and
        each import that ends once more, for its full record.
    type: float
    default: 5
"""

    # The switch of a module that can also return without waiting (pa_import_stage, pa_import_upload,
    # pa_import_cancel).
    WAIT_OPTION = r"""
options:
  wait:
    description:
      - Wait until the import reaches a final status. C(Finished) succeeds; C(Failed) and C(Canceled) fail the task,
        with the import record and the end of its log; an import still active when O(wait_timeout) passes fails it
        with C(timed_out=true).
      - In check mode nothing is waited for.
    type: bool
    default: false
"""

    CANCEL_ON_TIMEOUT = r"""
options:
  cancel_on_timeout:
    description:
      - When the wait times out, cancel the import before failing.
    type: bool
    default: false
"""

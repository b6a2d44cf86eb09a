# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a stage or an upload obtained (one outcome type for both), its ``--diff``, and the wait for it.

stage.py and upload.py each return an Obtained; neither imports the other. The wait is verdicts.wait_for_one with
``expect`` ``finished``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.diffs import import_diff
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import OperationError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import wait_for_one


class Obtained:
    """The import a stage or an upload obtained: staged or uploaded (``changed``), an existing one ``reused``, or,
    in check mode, one ``predicted``; ``msg`` says which, ``warnings`` what the module should warn about."""

    def __init__(self, record, changed, msg, reused=False, predicted=False, warnings=None):
        self.record = record
        self.changed = changed
        self.msg = msg
        self.reused = reused
        self.predicted = predicted
        self.warnings = warnings or []


def obtained_diff(application_id, outcome, record):
    """``--diff`` for one application: no import before, the staged (or predicted) one after; a reused import on
    both sides. ``record`` is the import as the task ends (after a wait, its final record)."""
    subject = (record.get("application") or {}).get("name") or application_id
    return import_diff(subject, record if outcome.reused else None, record)


def wait_for_obtained(api, outcome, params, cancel=None):
    """``wait:`` of pa_import_stage and pa_import_upload: the obtained import's final record, or OperationError
    saying how the wait ended; a wait that fails still reports the import as obtained (``changed`` as the stage or
    upload said). With ``cancel_on_timeout``, ``cancel(record)`` (cancel.cancel_on_timeout) cancels an import still
    active at the deadline, from the record the wait last saw."""
    try:
        return wait_for_one(api, outcome.record, params, "finished", cancel if params.get("cancel_on_timeout") else None)
    except OperationError as exc:
        exc.details.setdefault("changed", outcome.changed)
        raise

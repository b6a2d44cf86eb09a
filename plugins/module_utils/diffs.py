# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``--diff`` shows for stage and cancel: one text line per import, before and after."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

NO_IMPORT = "no import"


def describe_import(record):
    """``import #112: Pending``; a check-mode prediction has no number yet (``new import: Pending``)."""
    if not record:
        return NO_IMPORT
    number = record.get("number")
    label = "import #{0}".format(number) if number is not None else "new import"
    return "{0}: {1}".format(label, record.get("status"))


def import_diff(subject, before, after):
    """A diff for one import of ``subject`` (an application or import name); ``before``/``after`` are records or None."""
    return {
        "before_header": subject,
        "after_header": subject,
        "before": describe_import(before) + "\n",
        "after": describe_import(after) + "\n",
    }

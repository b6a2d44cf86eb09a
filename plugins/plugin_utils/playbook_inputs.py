# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inputs of the collection's ready playbooks (playbooks/stage_imports.yml and cancel_imports.yml): each read from
what a survey or ``-e`` gives (a survey's answers are strings), checked, and the first problem said in one line that
names the input. Runs on the controller, for the action plugin pa_playbook_inputs.

A playbook is a row of PLAYBOOKS: its input names (the order a misspelling is matched in, and the order the message
lists them) and a function that reads them with a Reader. One more input is one more name there and one more
``reader.<kind>(name)`` line in that function (and its default in the playbook's ``vars``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from collections import namedtuple

from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import GUID_PATTERN
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.selection import PRIORITIES, choices, is_pattern

SECONDS = re.compile(r"^[0-9]+(\.[0-9]+)?$")
BOOLEANS = ("true", "false", "yes", "no", "on", "off", "1", "0")
TRUE = ("true", "yes", "on", "1")


class Reader:
    """Reads one playbook's inputs (``given``: name -> value as the play has it); ``values`` holds each one read (None
    when it could not be), ``problems`` what is wrong, in the order found."""

    def __init__(self, given):
        self.given = given
        self.values = {}
        self.problems = []

    def problem(self, name, text):
        self.problems.append("{0}: {1}".format(name, text))

    def text(self, name):
        value = self.given.get(name)
        self.values[name] = "" if value is None else str(value)
        return self.values[name]

    def seconds(self, name):
        """A number of seconds greater than 0 (``60``, ``"60"``, ``"2.5"``), as a float."""
        value = self.given.get(name)
        if SECONDS.match(str(value).strip()) and float(value) > 0:
            self.values[name] = float(value)
        else:
            self.values[name] = None
            self.problem(name, "'{0}' is not a number of seconds greater than 0".format(value))
        return self.values[name]

    def boolean(self, name):
        """A boolean, or what a survey or ``-e`` spells one as (``"true"``, ``"no"``, ``"1"``, any case)."""
        value = self.given.get(name)
        if isinstance(value, bool):
            self.values[name] = value
        elif str(value).strip().lower() in BOOLEANS:
            self.values[name] = str(value).strip().lower() in TRUE
        else:
            self.values[name] = None
            self.problem(name, "'{0}' is not true or false".format(value))
        return self.values[name]

    def items(self, name, mappings=False):
        """A list, or one comma- or newline-separated string (a survey's textarea), of strings: each trimmed, empty
        ones dropped. With ``mappings``, a dict item (or a single dict) is kept as it is."""
        value = self.given.get(name)
        if isinstance(value, str):
            value = value.replace("\n", ",").split(",")
        elif isinstance(value, dict):
            value = [value] if mappings else []
        elif not value:
            value = []
        items = []
        for item in value:
            if mappings and isinstance(item, dict):
                items.append(item)
            elif str(item).strip():
                items.append(str(item).strip())
        self.values[name] = items
        return items

    def choices(self, name, allowed):
        """None when not given (``""``, ``[]``), else the canonical spellings of ``allowed`` (any case), from a list
        or a comma- or newline-separated string (a survey's multiple choice)."""
        items = self.items(name)
        try:
            self.values[name] = choices(name, items, allowed) if items else None
        except InputError as exc:
            self.values[name] = None
            self.problems.append(str(exc))
        return self.values[name]


def read_stage_imports(reader, check_mode):
    """``select`` (the value read): the names and shell-style patterns the applications lookup resolves, with
    ``priority``; empty when no item is a pattern and no priority is given (the modules then resolve the names)."""
    applications = reader.items("applications", mappings=True)
    priority = reader.choices("priority", PRIORITIES)
    if not applications:
        reader.problem("applications", "none given; pass application names or GUIDs, as a list or as one comma- or "
                                       "newline-separated string: -e \"applications='Core Banking, HR Portal'\"")
    names = [item for item in applications if isinstance(item, str) and not GUID_PATTERN.match(item)]
    others = [item for item in applications if item not in names]
    if priority and others:
        reader.problem("priority", "narrows application names and patterns only; {0} GUID or dict item(s) given "
                                   "with it (first: {1}); give their names instead, or leave priority out".format(
                                       len(others), describe(others[0])))
    reader.values["select"] = names if names and (priority or any(is_pattern(name) for name in names)) else []
    reader.seconds("wait_timeout")
    reader.boolean("wait")
    reader.boolean("reuse_pending")
    reader.text("report_path")


def describe(item):
    """An application item in a message: a GUID as it is, a dict item by its id or name."""
    if isinstance(item, dict):
        return repr(item.get("id") or item.get("name") or item)
    return repr(item)


def selected(applications, select, records):
    """The applications to stage once ``select`` was resolved to ``records`` (the applications lookup's): the records
    first, in the lookup's order, then the GUIDs and dict items in the order given."""
    return list(records) + [item for item in applications if not (isinstance(item, str) and item in select)]


def nothing_selected(select, priority):
    """The one line a selection that matched nothing fails with, naming the patterns and priority."""
    return "applications: nothing matches {0}{1}; no application to stage".format(
        ", ".join(repr(name) for name in select),
        " with priority {0}".format(" or ".join(priority)) if priority else "")


def report_shared(report_path, host, play_hosts):
    """The one line a report_path fails with when the play has several hosts and this host's path does not name it
    (each host would write over the others' report), or ""."""
    if report_path and len(set(play_hosts)) > 1 and host not in report_path:
        return ("report_path: {0!r} is the same file for each of the play's {1} hosts; put the host's name in it: "
                "-e \"report_path=/var/tmp/report-{{{{ inventory_hostname }}}}.json\"".format(report_path, len(set(play_hosts))))
    return ""


def read_cancel_imports(reader, check_mode):
    """``import_ids`` and the ``results`` of a report (``-e @report.json``, which also sets ``summary`` and ``error``):
    ``import_ids`` (the value read) lists the import id of each report entry that has one (its failed applications
    have none), then the GUIDs given."""
    given_ids = reader.items("import_ids")
    results = reader.given.get("results")
    if "results" in reader.given and not isinstance(results, (list, tuple)):
        reader.problem("results", "not the results list of a stage_imports.yml report")
        results = None
    summary = reader.given.get("summary")
    if not check_mode and isinstance(summary, dict) and "would_stage" in summary:
        reader.problem("results", "this report is from a check-mode run of stage_imports.yml (its summary has "
                                  "would_stage): that run staged nothing, and the imports it lists as reused were "
                                  "staged by others; roll back with the report of a real run (a check-mode run of "
                                  "this playbook may take it)")
    reader.seconds("wait_timeout")
    reader.boolean("wait")
    if not given_ids and "results" not in reader.given:
        reader.problem("import_ids", "none given; pass import GUIDs, as a list or as one comma- or newline-separated "
                                     "string (-e import_ids=5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57), or a "
                                     "stage_imports.yml report (-e @report.json)")
    entries = list(results or [])
    reader.values["import_ids"] = (
        [entry["import_id"] for entry in entries if isinstance(entry, dict)
         and isinstance(entry.get("import_id"), str)]
        + given_ids + [entry for entry in entries if isinstance(entry, str)])
    reader.text("report_path")


# ``inputs``: the names; ``read(reader, check_mode)`` reads each of them.
Playbook = namedtuple("Playbook", ["inputs", "read"])

# (`wait` last in each: a misspelling is matched against the longer names first; `summary` and `error` come with a
# report.)
PLAYBOOKS = {
    "stage_imports": Playbook(("applications", "priority", "reuse_pending", "wait_timeout", "report_path", "wait"),
                              read_stage_imports),
    "cancel_imports": Playbook(("import_ids", "results", "summary", "error", "wait_timeout", "report_path", "wait"),
                               read_cancel_imports),
}


def misspelling_of(name, inputs):
    """The input ``name`` looks like a misspelling of, or None: the same letters ignoring case, ``_`` and ``-``; else the
    start of an input, 4 letters or more (``application``, ``appl``); or one letter more or less with the same first
    five and last two letters (``applicatons``, ``wait_timout``). Kept that narrow so that inventory variables such as
    ``application_env``, ``wait_for_db`` or ``reporting_email`` pass."""
    typed = re.sub("[^a-z0-9]", "", name.lower())
    for known in inputs:
        if typed == known.replace("_", ""):
            return known
    for known in inputs:
        wanted = known.replace("_", "")
        if (len(typed) >= 4 and wanted.startswith(typed)) or (
                len(typed) >= 5 and abs(len(typed) - len(wanted)) <= 1 and typed[:5] == wanted[:5]
                and typed[-2:] == wanted[-2:]):
            return known
    return None


def misspelled(variables, inputs):
    """``application (did you mean applications?)`` for each variable (an extra var, or any other host variable:
    inventory variables are seen too) that is not an input but looks like one; ``ansible_*`` are never taken."""
    found = []
    for name in sorted(set(variables) - set(inputs)):
        known = None if name.startswith("ansible_") else misspelling_of(name, inputs)
        if known is not None:
            found.append("{0} (did you mean {1}?)".format(name, known))
    return found


def read_inputs(playbook, given, variables, check_mode):
    """(the inputs read, by name; the first problem in one line, or ""): a misspelled input first, then each input
    in the playbook's order."""
    spec = PLAYBOOKS[playbook]
    reader = Reader(given)
    spec.read(reader, check_mode)
    typos = misspelled(variables, spec.inputs)
    if typos:
        return reader.values, "unknown extra var {0}; the inputs are {1}".format(", ".join(typos), ", ".join(spec.inputs))
    return reader.values, reader.problems[0] if reader.problems else ""

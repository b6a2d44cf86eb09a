# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Selecting applications and imports by what they are: names and shell-style patterns, priority, archived, file-based,
status. Used by the lookup plugins; plain functions over the API's records, so modules can use them too.

Every function that reads reads the application list once (``api.list_applications``), whatever the number of terms.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import difflib
import fnmatch

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import GUID_PATTERN, guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, InputError, OperationError)

PRIORITIES = ("None", "Low", "Moderate", "High", "Critical")
PATTERN_CHARACTERS = "*?["
CLOSEST_NAMES = 3


def is_pattern(term):
    """A shell-style pattern (``HR *``, ``Core Bank?ng``, ``[A-C]*``) rather than one exact name."""
    return any(character in term for character in PATTERN_CHARACTERS)


def choices(field, values, allowed):
    """``values`` (None, one string or a list) as the canonical spellings of ``allowed``, compared ignoring case and
    surrounding spaces; an unknown value fails naming the field and the allowed values."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    canonical = dict((value.lower(), value) for value in allowed)
    chosen, unknown = [], []
    for value in values:
        text = value.strip().lower() if isinstance(value, str) else None
        if text in canonical:
            chosen.append(canonical[text])
        else:
            unknown.append(repr(value))
    if unknown:
        raise InputError(field, "unknown value {0}; use any of {1}".format(", ".join(unknown), ", ".join(allowed)))
    return chosen


def closest_names(name, names, count=CLOSEST_NAMES):
    """The names most like ``name`` (difflib, ignoring case), best first."""
    folded = {}
    for candidate in names:
        folded.setdefault(candidate.casefold(), candidate)
    return [folded[match] for match in difflib.get_close_matches(name.casefold(), list(folded), n=count)]


def name_terms(terms):
    """Check the terms: strings, not empty; return them stripped."""
    checked = []
    for position, term in enumerate(terms):
        if not isinstance(term, str) or not term.strip():
            raise InputError("terms[{0}]".format(position), "must be an application name or a shell-style pattern, "
                             "got {0!r}".format(term))
        checked.append(term.strip())
    return checked


def matching(applications, term):
    """The applications ``term`` names: a pattern matches names as the shell does (``fnmatchcase``: case matters,
    ``*``, ``?``, ``[seq]``); an exact name matches itself, else the same name in another case (as the modules'
    ``application_name`` does)."""
    if is_pattern(term):
        return [app for app in applications if fnmatch.fnmatchcase(app.get("name") or "", term)]
    matches = [app for app in applications if app.get("name") == term]
    if not matches:
        folded = term.casefold()
        matches = [app for app in applications if (app.get("name") or "").casefold() == folded]
    return matches


def select_applications(applications, terms, priorities=None, include_archived=False):
    """The applications the terms name, in term order (each term's matches in list order), each once.

    No terms selects every application. ``priorities`` (canonical values, see ``choices``) and ``include_archived``
    narrow the selection. An exact name that names no application fails, naming it and the closest names; an exact
    name whose applications are all archived fails too (unless ``include_archived``), as it could never be staged.
    A pattern that matches nothing selects nothing.
    """
    terms = name_terms(terms)
    pool = applications if include_archived else [app for app in applications if not app.get("isArchived")]
    selected, seen = [], set()
    for term in terms or [None]:
        matches = pool if term is None else matching(applications, term)
        if term is not None and not is_pattern(term):
            _check_exact_name(term, matches, pool, include_archived)
        for app in matches:
            if app.get("id") in seen or (app.get("isArchived") and not include_archived):
                continue
            if priorities is not None and app.get("priority") not in priorities:
                continue
            seen.add(app.get("id"))
            selected.append(app)
    return selected


def _check_exact_name(name, matches, pool, include_archived):
    if not matches:
        names = sorted(set(app.get("name") or "" for app in pool))
        close = closest_names(name, names)
        hint = "closest names: {0}".format(", ".join(repr(n) for n in close)) if close else \
            "no name is close to it among the {0} application(s)".format(len(pool))
        raise OperationError("no application is named {0!r}; {1}".format(name, hint))
    if not include_archived and all(app.get("isArchived") for app in matches):
        raise OperationError("every application named {0!r} is archived ({1}); include_archived=true selects "
                             "archived applications".format(name, ", ".join(app.get("id") or "?" for app in matches)))


def with_connector(api, applications, file_based):
    """Keep the applications whose connector is (``file_based=True``) or is not file-based: reads each one's details
    (one request per candidate) and returns those detail records, which carry ``connector``."""
    kept = []
    for app in applications:
        details = api.get_application(app["id"])
        connector = details.get("connector")
        if not isinstance(connector, dict) or not isinstance(connector.get("fileBased"), bool):
            raise OperationError("file_based: the server does not show the connector of {0} ({1}): GET "
                                 "/applications/{{id}} has no connector.fileBased; leave file_based out".format(
                                     app.get("name"), app.get("id")))
        if connector["fileBased"] == file_based:
            kept.append(details)
    return kept


def find_applications(api, terms, priorities=None, include_archived=False, file_based=None):
    """``select_applications`` over the application list (one walk of its pages), then ``with_connector`` when
    ``file_based`` is True or False."""
    selected = select_applications(api.list_applications(), terms, priorities, include_archived)
    if file_based is not None:
        selected = with_connector(api, selected, file_based)
    return selected


def one_application_id(api, value, field="application"):
    """The id of the application ``value`` names: a GUID (checked to exist: the import list lists nothing for an id
    it does not know), or the name of one application; an active one wins over archived ones of the same name."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(field, "must be an application name or GUID")
    text = value.strip()
    if GUID_PATTERN.match(text):
        application_id = guid(field, text)
        try:
            api.get_application(application_id)
        except ApiError as exc:
            if exc.status == 404:
                raise OperationError("{0}: no application with id {1}".format(field, application_id))
            raise
        return application_id
    try:
        matches = select_applications(api.list_applications(), [text], include_archived=True)
    except OperationError as exc:
        raise OperationError("{0}: {1}".format(field, exc))
    active = [app for app in matches if not app.get("isArchived")]
    if len(active or matches) > 1:
        raise OperationError("{0}: {1} {2}applications are named {3!r}; give one's id: {4}".format(
            field, len(active or matches), "active " if active else "archived ", text,
            ", ".join(app.get("id") or "?" for app in active or matches)))
    return (active or matches)[0]["id"]


def find_imports(api, import_ids=None, application=None, statuses=None):
    """Import records: the full record of each id (in the order given; an unknown id fails naming it), or the list
    rows of one application's imports or of every import (every page); ``statuses`` keeps those statuses."""
    wanted = set(status.lower() for status in statuses) if statuses is not None else None
    if import_ids:
        if application is not None:
            raise InputError("application", "give import ids or application, not both")
        records = [_one_import(api, position, import_id) for position, import_id in enumerate(import_ids)]
    else:
        application_id = one_application_id(api, application) if application is not None else None
        records = api.list_imports(application_id)
    if wanted is not None:
        records = [record for record in records if status_of(record) in wanted]
    return records


def _one_import(api, position, import_id):
    field = "terms[{0}]".format(position)
    if not isinstance(import_id, str):
        raise InputError(field, "must be an import id (GUID), got {0!r}".format(import_id))
    import_id = guid(field, import_id)
    try:
        return api.get_import(import_id)
    except ApiError as exc:
        if exc.status == 404:
            raise OperationError("no import with id {0}".format(import_id))
        raise

# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning what the user wrote (an application GUID or a name) into one application."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, InputError, OperationError, PermissionAssistError)

# Something GUID-like that is not a canonical GUID: braces, parentheses, urn:uuid:, missing hyphens, a digit short.
GUID_LIKE = re.compile(r"^[\s{(\[]*(?:urn:uuid:)?([0-9a-fA-F-]+)[\s})\]]*$", re.IGNORECASE)


def describe(application):
    state = "archived" if application.get("isArchived") else "active"
    return "{0} ({1}, {2})".format(application.get("name"), application.get("id"), state)


def fetch_application(api, application_id, field="application_id"):
    try:
        return api.get_application(application_id)
    except ApiError as exc:
        if exc.status == 404:
            raise OperationError("{0}: no application with id {1}".format(field, application_id),
                                 correlation_id=exc.correlation_id)
        raise


def match_by_name(applications, name, field="application_name"):
    """Exactly one non-archived application with that name (exact match, else case-insensitive)."""
    matches = [app for app in applications if app.get("name") == name]
    if not matches:
        folded = name.casefold()
        matches = [app for app in applications if (app.get("name") or "").casefold() == folded]
    active = [app for app in matches if not app.get("isArchived")]
    if len(active) == 1:
        return active[0]
    if not matches:
        raise OperationError("{0}: no application is named {1!r}{2}".format(field, name, _guid_hint(name, applications, field)))
    if not active:
        raise OperationError("{0}: every application named {1!r} is archived: {2}".format(
            field, name, ", ".join(describe(app) for app in matches)))
    raise OperationError("{0}: {1} active applications are named {2!r}; use application_id with one of: {3}".format(
        field, len(active), name, ", ".join(describe(app) for app in active)))


def _guid_hint(name, applications, field):
    """A name that looks like a mangled GUID (``{7c2e91d4-...}``) was most likely meant as an id: say how to write it."""
    match = GUID_LIKE.match(name)
    if not match:
        return ""
    digits = match.group(1).replace("-", "")
    if len(digits) == 32:
        canonical = "-".join((digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:])).lower()
        owner = next((app for app in applications if (app.get("id") or "").lower() == canonical), None)
        how = "write the bare GUID (8-4-4-4-12 hexadecimal digits) to give an id, any other text is taken as a name" \
            if field.startswith("applications[") else "pass it as application_id"
        return "; it looks like the application id {0}{1}: {2}".format(
            canonical, " ({0})".format(owner.get("name")) if owner else "", how)
    if match.group(1).count("-") >= 2 or len(digits) >= 24:
        return "; it is not a GUID either (expected 8-4-4-4-12 hexadecimal digits), so it was taken as a name"
    return ""


class ApplicationResolver:
    """Resolves ids and names; the application list is read at most once per module run.

    A failed read is remembered too: every later name of the run fails with that error instead of reading again.
    """

    def __init__(self, api):
        self.api = api
        self._all = None
        self._error = None

    def all(self):
        if self._error is not None:
            raise self._error
        if self._all is None:
            try:
                self._all = self.api.list_applications()
            except PermissionAssistError as exc:
                self._error = exc
                raise
        return self._all

    def by_name(self, name, field="application_name"):
        if not name or not name.strip():
            raise InputError(field, "must not be empty")
        return match_by_name(self.all(), name, field)

    def resolve(self, application_id=None, application_name=None):
        """Return (id, application or None): a name is looked up, a GUID is only checked for its form."""
        if application_name is not None:
            application = self.by_name(application_name)
            return application["id"], application
        return guid("application_id", application_id), None

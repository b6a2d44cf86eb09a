# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning what the user wrote (an application GUID or a name) into one application."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import ApiError, InputError, OperationError


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
        raise OperationError("{0}: no application is named {1!r}".format(field, name))
    if not active:
        raise OperationError("{0}: every application named {1!r} is archived: {2}".format(
            field, name, ", ".join(describe(app) for app in matches)))
    raise OperationError("{0}: {1} active applications are named {2!r}; use application_id with one of: {3}".format(
        field, len(active), name, ", ".join(describe(app) for app in active)))


class ApplicationResolver:
    """Resolves ids and names; the application list is read at most once per module run."""

    def __init__(self, api):
        self.api = api
        self._all = None

    def all(self):
        if self._all is None:
            self._all = self.api.list_applications()
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

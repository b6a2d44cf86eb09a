# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API's resources as calls: one method per documented endpoint, paging helpers, no decisions."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import ApiError, OperationError

IMPORT_STATUSES = ("Pending", "Running", "Finished", "Failed", "Canceled", "Canceling")
ACTIVE_STATUSES = ("pending", "running")
TERMINAL_STATUSES = ("finished", "failed", "canceled")
PAGE_LIMIT = 10000  # a guard against a server that never reports the last page


def status_of(record):
    """Enum values are compared case-insensitively: the vendor pages disagree on casing."""
    return (record.get("status") or "").lower()


def is_terminal(record):
    return status_of(record) in TERMINAL_STATUSES


def instant(value):
    """A timestamp as an aware datetime (no offset: UTC, contract 2); None when it cannot be read."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.timezone.utc)


class PermissionAssistApi:
    def __init__(self, client):
        self.client = client

    # Application imports
    def stage_import(self, application_id):
        return self.client.post("/application-imports/stage", {"applicationId": application_id})

    def upload_import(self, body):
        """``body``: a multipart.MultipartBody with the applicationId field and one file part per file."""
        return self.client.post_multipart("/application-imports/upload", body)

    def cancel_import(self, import_id):
        return self.client.post("/application-imports/cancel", {"applicationImportId": import_id})

    def get_import(self, import_id, deadline=None):
        return self.client.get("/application-imports/{0}".format(import_id), deadline=deadline)

    def list_imports_page(self, application_id=None, page=1, deadline=None):
        params = {"page": page}
        if application_id:
            params["applicationId"] = application_id
        return self.client.get("/application-imports", params=params, deadline=deadline)

    def list_imports(self, application_id=None):
        return self._walk(lambda page: self.list_imports_page(application_id, page))

    # Applications
    def get_application(self, application_id):
        return self.client.get("/applications/{0}".format(application_id))

    def list_applications(self):
        return self._walk(lambda page: self.client.get("/applications", params={"page": page}))

    @staticmethod
    def _walk(fetch_page):
        items = []
        page = 1
        while page <= PAGE_LIMIT:
            envelope = fetch_page(page)
            rows = envelope.get("items") or []
            items.extend(rows)
            if not rows or page >= (envelope.get("totalPages") or 0):
                break
            page += 1
        return items


def read_import(api, import_id):
    """One import by id; an unknown id fails naming the ``import_id`` field."""
    try:
        return api.get_import(import_id)
    except ApiError as exc:
        if exc.status == 404:
            raise OperationError("import_id: no import with id {0} was found".format(import_id),
                                 correlation_id=exc.correlation_id, application_import=None)
        raise

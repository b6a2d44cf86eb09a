# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Uploading as the user means it: check the files first, reuse an identical Pending upload, upload at most once,
settle a failed upload (settle.py; contract 6.7).

What it returns is an obtained.Obtained, as a stage's; stage_batch uploads an item that has ``files``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import describe, fetch_application
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import GUID_PATTERN
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (
    ApiError, InputError, OperationError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_list import ImportSnapshot
from ansible_collections.sycorr.permission_assist.plugins.module_utils.multipart import FilePart, MultipartBody
from ansible_collections.sycorr.permission_assist.plugins.module_utils.obtained import Obtained
from ansible_collections.sycorr.permission_assist.plugins.module_utils.settle import Look, settle


class UploadFile:
    """One entry of ``files``: the key as written, the file on this host, and the file group it fills."""

    def __init__(self, field, key, path, size):
        self.field = field  # files.KEY, or applications[N].files.KEY
        self.key = key
        self.path = path
        self.size = size
        self.name = os.path.basename(path)  # what the API records as the original file name
        self.group_id = key.lower() if GUID_PATTERN.match(key) else None
        self.group_name = None

    def result(self):
        return {"key": self.key, "path": self.path, "name": self.name, "size": self.size,
                "file_group_id": self.group_id, "file_group": self.group_name}


# Before any request: the mapping and the files on this host

def check_files(files, field="files"):
    """Every key and path of ``files`` (key -> path), checked on this host; a list of UploadFile, or InputError naming
    the key and the path."""
    if not isinstance(files, dict) or not files:
        raise InputError(field, "must be a mapping of file group (GUID or name) to a file path, with one entry or more")
    uploads = []
    for key, path in files.items():
        if not isinstance(key, str) or not key.strip():
            raise InputError(field, "has an empty key; each key is a file group GUID or name")
        key = key.strip()
        where = "{0}.{1}".format(field, key)
        if not isinstance(path, str) or not path.strip():
            raise InputError(where, "must be the path of a file")
        path = os.path.abspath(os.path.expanduser(path.strip()))
        uploads.append(UploadFile(where, key, path, _readable_size(where, path)))
    return uploads


def _readable_size(where, path):
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(where, "{0}: {1}".format(path, exc.strerror or "cannot be read")) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(where, "{0} is not a regular file".format(path))
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise InputError(where, "{0} cannot be read: {1}".format(path, exc.strerror or exc)) from None
    if info.st_size == 0:
        raise InputError(where, "{0} is empty; the API refuses empty files".format(path))
    return info.st_size


# After reading the application: the file groups of its connector

def connector_groups(application):
    """The application's file groups as the server shows them (contract 7, [inferred]), or None when it does not."""
    connector = application.get("connector")
    if not isinstance(connector, dict) or not isinstance(connector.get("fileGroups"), list):
        return None
    return [group for group in connector["fileGroups"] if isinstance(group, dict) and group.get("id")]


def resolve_groups(application, uploads, field="files"):
    """Give each upload its file group; InputError for a key that names no group, two keys naming one group, or a
    required group left out (where the connector is readable). OperationError when the connector is not file-based."""
    connector = application.get("connector")
    if isinstance(connector, dict) and connector.get("fileBased") is False:
        raise OperationError("application {0}: its connector ({1}) is not file-based, so it takes no uploads (the API "
                             "would answer 422)".format(describe(application), connector.get("name") or "unnamed"))
    groups = connector_groups(application)
    if groups is None:
        for upload in uploads:
            if upload.group_id is None:
                raise InputError(upload.field, "is not a file group GUID, and the server does not show the connector "
                                 "of {0}, so a group name cannot be resolved; use the file group's GUID".format(
                                     application.get("name") or application.get("id")))
        return
    by_id = dict((str(group["id"]).lower(), group) for group in groups)
    taken = {}
    for upload in uploads:
        group = by_id.get(upload.group_id) if upload.group_id else _group_named(groups, upload.key)
        if group is None:
            raise InputError(upload.field, "names no file group of the connector of {0}; its groups are: {1}".format(
                application.get("name"), _list_groups(groups)))
        upload.group_id = str(group["id"]).lower()
        upload.group_name = group.get("name")
        if upload.group_id in taken:
            raise InputError(upload.field, "names the same file group ({0}) as {1}; one file per group".format(
                upload.group_name, taken[upload.group_id]))
        taken[upload.group_id] = upload.field
    missing = [group for group in groups if group.get("required") and str(group["id"]).lower() not in taken]
    if missing:
        raise InputError(field, "the connector of {0} requires file group(s) {1}, not given".format(
            application.get("name"), _list_groups(missing)))


def _group_named(groups, name):
    exact = [group for group in groups if group.get("name") == name]
    if not exact:
        exact = [group for group in groups if (group.get("name") or "").casefold() == name.casefold()]
    return exact[0] if len(exact) == 1 else None


def _list_groups(groups):
    return ", ".join("{0} ({1}{2})".format(group.get("name"), group.get("id"), ", required" if group.get("required")
                                           else "") for group in groups)


# The upload

def file_set(record):
    """What makes two uploads identical: the set of (file group, file name); the API exposes no checksum."""
    return set((str(item.get("fileGroupId") or "").lower(), item.get("name"))
               for item in record.get("files") or [] if isinstance(item, dict))


def upload(api, application_id, uploads, force=False, check_mode=False, field="files"):
    """Upload ``uploads`` (checked UploadFile) as a new import of ``application_id``; an Obtained. ``field`` is
    where the files were given, for errors about the whole mapping."""
    application = fetch_application(api, application_id)  # its connector (7) says which file groups it takes
    if application.get("isArchived"):
        raise OperationError("application {0} is archived; uploading would fail".format(describe(application)))
    resolve_groups(application, uploads, field)
    wanted = set((item.group_id, item.name) for item in uploads)
    before = ImportSnapshot(api, application_id)  # for reuse, and to settle a failed upload
    if not force:
        identical = _identical_pending(api, before, wanted)
        if identical is not None:
            return Obtained(identical, False, "reused Pending import #{0}: it has the same files ({1})".format(
                identical.get("number"), _names(uploads)), reused=True)
    if check_mode:
        return Obtained(_predicted(application, uploads), True, "check mode: would upload {0} ({1}) for {2}".format(
            _count(uploads), _names(uploads), describe(application)), predicted=True)
    body = MultipartBody([("applicationId", application_id)],
                         [FilePart(item.group_id, item.name, item.path, item.size) for item in uploads])
    warnings = []
    try:
        record = api.upload_import(body)
    except (ApiError, TransportError) as exc:
        # The files are sent again only when a look shows no new import of the application at all (settle.py).
        settled = settle(exc, lambda: api.upload_import(body), _look(api, application_id, before.known(), wanted),
                         api.client.retry_policy.retries, application_id, what="upload",
                         watch_seconds=api.client.timeout, backoff=api.client.retry_policy.delay)
        if settled.adopted is not None:
            return _adopted(settled)
        record, warnings = settled.answer, settled.warnings
    if not record.get("application"):
        record = dict(record, application=_summary(application))
    return Obtained(record, True, "uploaded import #{0}: {1} ({2})".format(
        record.get("number"), _count(uploads), _names(uploads)), warnings=warnings)


def _identical_pending(api, snapshot, wanted):
    """The newest Pending import with exactly these files, or None. The list has no files: each Pending one is read."""
    for row in snapshot.pending_newest_first():
        record = api.get_import(row["id"])
        if status_of(record) == "pending" and file_set(record) == wanted:
            return record
    return None


def _look(api, application_id, before, wanted):
    """One look after a failed upload: each new import is read for its files. Only one with exactly these files may
    be ours; a new import with other files is someone else's, or an import this upload left half made: either way the
    server did something, so the files are not sent again (settle.decide)."""
    def look():
        new, undecidable, conclusive = ImportSnapshot(api, application_id).since(before)
        records = [api.get_import(row["id"]) for row in new]
        return Look(ours=[record for record in records if file_set(record) == wanted],
                    others=[record for record in records if file_set(record) != wanted],
                    undecidable=undecidable, conclusive=conclusive)
    return look


def _adopted(settled):
    record = settled.adopted
    return Obtained(record, True, "uploaded import #{0} (answer lost: {1}; found it in the list)".format(
        record.get("number"), settled.lost), warnings=settled.warnings + [
        "the upload answer was lost ({0}); adopted import {1}, the only new import of the application with these "
        "files".format(settled.lost, record["id"])])


def _predicted(application, uploads):
    return {
        "id": None, "kind": "Application Import", "number": None, "type": "API", "status": "Pending",
        "buildStart": None, "buildEnd": None, "log": None, "metrics": None, "application": _summary(application),
        "files": [{"id": None, "fileGroupId": item.group_id, "fileGroup": item.group_name, "name": item.name}
                  for item in uploads],
    }


def _summary(application):
    return dict((key, value) for key, value in application.items() if key != "connector")


def _count(uploads):
    total = sum(item.size for item in uploads)
    return "{0} file(s), {1} bytes".format(len(uploads), total)


def _names(uploads):
    return ", ".join("{0}={1}".format(item.group_name or item.group_id, item.name) for item in uploads)

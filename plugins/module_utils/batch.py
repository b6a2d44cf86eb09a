# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Staging across many applications in one module run: one session, one result per application."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import ApplicationResolver
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import InputError, PermissionAssistError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.staging import stage

ITEM_KEYS = ("id", "name", "reuse_pending")


class BatchItem:
    def __init__(self, position, application_id, application_name, reuse_pending):
        self.position = position
        self.application_id = application_id
        self.application_name = application_name
        self.reuse_pending = reuse_pending


def parse_items(values, default_reuse):
    """Check every item before any request: a GUID string, or a dict with id or name and options."""
    items = []
    for position, value in enumerate(values):
        field = "applications[{0}]".format(position)
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(ITEM_KEYS))
            if unknown:
                raise InputError(field, "unknown key(s) {0}; allowed: {1}".format(", ".join(unknown), ", ".join(ITEM_KEYS)))
            if ("id" in value) == ("name" in value):
                raise InputError(field, "needs exactly one of id and name")
            reuse = value.get("reuse_pending", default_reuse)
            if not isinstance(reuse, bool):
                raise InputError(field + ".reuse_pending", "must be a boolean")
            if "id" in value:
                items.append(BatchItem(position, guid(field + ".id", value["id"]), None, reuse))
            else:
                name = value["name"]
                if not isinstance(name, str) or not name.strip():
                    raise InputError(field + ".name", "must be a non-empty string")
                items.append(BatchItem(position, None, name, reuse))
        elif isinstance(value, str):
            items.append(BatchItem(position, guid(field, value), None, default_reuse))
        else:
            raise InputError(field, "must be an application GUID or a dict with id or name")
    return items


def stage_many(api, items, check_mode):
    """Stage each item; a failure is recorded for that item and never stops the others."""
    resolver = ApplicationResolver(api)
    results = []
    for item in items:
        result = {"application_id": item.application_id, "application_name": item.application_name,
                  "import_id": None, "number": None, "status": None, "changed": False, "failed": False,
                  "msg": "", "application_import": None}
        try:
            application = None
            if item.application_name is not None:
                application = resolver.by_name(item.application_name, "applications[{0}].name".format(item.position))
                result["application_id"] = application["id"]
            outcome = stage(api, result["application_id"], item.reuse_pending, check_mode, application)
        except PermissionAssistError as exc:
            result.update(failed=True, msg=str(exc))
            results.append(result)
            continue
        record = outcome.record
        result.update(import_id=record.get("id"), number=record.get("number"), status=record.get("status"),
                      changed=outcome.changed, msg="; ".join([outcome.msg] + outcome.warnings), application_import=record,
                      application_name=(record.get("application") or {}).get("name") or item.application_name)
        results.append(result)
    return results


def summarize(results):
    """``staged`` and ``reused`` count imports obtained, even when the wait for one then failed the item."""
    obtained = [result for result in results if not result["failed"] or "wait" in result]
    return {
        "requested": len(results),
        "staged": len([result for result in obtained if result["changed"]]),
        "reused": len([result for result in obtained if not result["changed"]]),
        "failed": len([result for result in results if result["failed"]]),
    }

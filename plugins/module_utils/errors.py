# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors that know how a module reports them (the keyword arguments of fail_json)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class PermissionAssistError(Exception):
    """Base of every error a module turns into a failed task instead of a traceback."""

    def fail_kwargs(self):
        return {"msg": str(self)}


class InputError(PermissionAssistError):
    """A module option is unusable; raised before any request is sent."""

    def __init__(self, field, message):
        self.field = field
        super(InputError, self).__init__("{0}: {1}".format(field, message))

    def fail_kwargs(self):
        return {"msg": str(self), "field": self.field}


class ApiError(PermissionAssistError):
    """The API answered with an error status (documented JSON body, or whatever a proxy sent)."""

    def __init__(self, method, path, status, error=None, message=None, correlation_id=None, field_errors=None,
                 retry_after=None):
        self.method = method
        self.retry_after = retry_after  # seconds the answer's Retry-After asked for, None when it had none
        self.path = path
        self.status = status
        self.error = error
        self.message = message
        self.correlation_id = correlation_id
        self.field_errors = field_errors or []
        super(ApiError, self).__init__(self._describe())

    def _describe(self):
        text = "{0} {1} failed: HTTP {2}".format(self.method, self.path, self.status)
        if self.error:
            text += " {0}".format(self.error)
        if self.message:
            text += ": {0}".format(self.message)
        if self.field_errors:
            text += " ({0})".format("; ".join(
                "{0}: {1}".format(item.get("field", "?"), item.get("message", "")) for item in self.field_errors))
        if self.correlation_id:
            text += " [correlationId {0}]".format(self.correlation_id)
        return text

    def fail_kwargs(self):
        return {
            "msg": str(self),
            "status": self.status,
            "error": self.error,
            "correlation_id": self.correlation_id,
            "field_errors": self.field_errors,
        }


class TransportError(PermissionAssistError):
    """No usable answer: connection failure, timeout, TLS failure or a body that is not JSON.

    ``request_sent`` tells whether the server may have acted on the request; callers that
    sent a non-idempotent request settle it (settle.py) before they report anything.
    """

    def __init__(self, method, path, reason, request_sent, late_commit_possible=False, status=None):
        self.method = method
        self.path = path
        self.reason = reason
        self.request_sent = request_sent
        # A request that timed out may still be running on the server and commit after we stopped listening.
        self.late_commit_possible = late_commit_possible
        self.status = status  # the HTTP status of an answer that could not be used (no JSON), None without one
        super(TransportError, self).__init__("{0} {1} failed: {2}".format(method, path, reason))

    def fail_kwargs(self):
        return {"msg": str(self), "request_sent": self.request_sent}


class OperationError(PermissionAssistError):
    """A domain outcome that fails the task (import failed, wait timed out, outcome unknown, ...).

    Carries the import record(s) so later tasks and the person reading the log still get them.
    """

    def __init__(self, message, **details):
        self.details = details
        super(OperationError, self).__init__(message)

    def fail_kwargs(self):
        kwargs = {"msg": str(self)}
        kwargs.update(self.details)
        return kwargs


def is_systemic(error):
    """Whether an error says the server, the network or the credentials are unusable, not one item's data.

    A batch stops at the first such error: every other item would meet the same one (a 401 or 403, a refused
    connection, a DNS, TLS or connect-timeout failure: nothing reached the server).
    """
    if isinstance(error, ApiError):
        return error.status in (401, 403)
    if isinstance(error, TransportError):
        return not error.request_sent
    return False

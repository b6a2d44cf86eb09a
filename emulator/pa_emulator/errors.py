"""The documented error body (contract section 4) and the exception the endpoints raise to produce it."""

import uuid

# error code per HTTP status; 405, 413 and 429 are not in the documented table (the emulator's own choice).
CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    411: "length_required",
    413: "payload_too_large",
    422: "unprocessable_entity",
    429: "too_many_requests",
}
VALIDATION_MESSAGE = "One or more validation errors occurred"


def code_for(status):
    return CODES.get(status, "server_error" if status >= 500 else "error")


def correlation_id():
    """32 lowercase hex digits, no hyphens, as in every documented sample."""
    return uuid.uuid4().hex


def error_body(status, message, field_errors=None):
    body = {"error": code_for(status), "message": message, "correlationId": correlation_id()}
    if field_errors:
        body["errors"] = [dict(item) for item in field_errors]
    return body


class ApiError(Exception):
    """Raised by endpoint code; the server turns it into the documented error body."""

    def __init__(self, status, message, field_errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field_errors = field_errors
        self.headers = headers or {}

    def body(self):
        return error_body(self.status, self.message, self.field_errors)


def validation(field, message):
    return ApiError(400, VALIDATION_MESSAGE, [{"field": field, "message": message}])

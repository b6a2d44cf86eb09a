"""Control endpoints for tests and demos: ``{prefix}/_emulator/<name>``. No auth, never counted, never faulted."""

import json

from pa_emulator.errors import error_body

ENDPOINTS = {
    "stats": ("GET",),
    "health": ("GET",),
    "reset": ("POST",),
    "faults": ("GET", "POST", "DELETE"),
    "worker": ("GET", "POST"),
    "imports": ("POST",),
}
WORKER_SETTINGS = ("paused", "build_seconds", "cancel_seconds", "cancel_race")
IMPORT_FIELDS = ("applicationId", "type", "status", "createdBy")


def handle(emulator, method, name, body):
    """Returns (status, payload, extra headers)."""
    if name not in ENDPOINTS:
        return 404, error_body(404, "No control endpoint " + name), {}
    if method not in ENDPOINTS[name]:
        allow = ", ".join(ENDPOINTS[name])
        return 405, error_body(405, "Method {0} is not allowed; allowed: {1}".format(method, allow)), {"Allow": allow}
    try:
        payload = json.loads(body.decode("utf-8")) if body else {}
    except (ValueError, UnicodeDecodeError):
        return 400, error_body(400, "The request body is not valid JSON"), {}
    if not isinstance(payload, dict):
        return 400, error_body(400, "The request body must be a JSON object"), {}
    try:
        return 200, _dispatch(emulator, method, name, payload), {}
    except (TypeError, ValueError) as exc:
        return 400, error_body(400, str(exc)), {}


def _dispatch(emulator, method, name, payload):
    if name == "stats":
        return emulator.stats()
    if name == "health":
        return {"ok": True}
    if name == "reset":
        emulator.reset()
        return {"ok": True}
    if name == "faults":
        if method == "POST":
            emulator.add_fault(**payload)
        elif method == "DELETE":
            emulator.clear_faults()
        return {"faults": emulator.faults.pending()}
    if name == "imports":
        return _add_import(emulator, payload)
    if method == "POST":  # worker
        unknown = set(payload) - set(WORKER_SETTINGS)
        if unknown:
            raise ValueError("unknown worker setting(s): " + ", ".join(sorted(unknown)))
        if "paused" in payload and not isinstance(payload["paused"], bool):
            raise ValueError("paused must be true or false")
        emulator.set_worker(**dict((key, payload.get(key)) for key in WORKER_SETTINGS))
    return emulator.worker.settings()


def _add_import(emulator, payload):
    """A scheduled or manual import (not API-staged), Pending and queued: {applicationId, type, status?, createdBy?}."""
    unknown = set(payload) - set(IMPORT_FIELDS)
    if unknown:
        raise ValueError("unknown import field(s): " + ", ".join(sorted(unknown)))
    if payload.get("status", "Pending") != "Pending":
        raise ValueError("status must be Pending (the build job takes it from there)")
    created_by = payload.get("createdBy")
    if created_by is not None and not isinstance(created_by, str):
        raise ValueError("createdBy must be a string")
    return emulator.add_import(payload.get("applicationId"), payload.get("type", "Scheduled"), created_by)

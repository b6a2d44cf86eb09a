"""Control endpoints for tests and demos: ``{prefix}/_emulator/<name>``. No auth, never counted, never faulted."""

import json

from pa_emulator.errors import error_body

ENDPOINTS = {
    "stats": ("GET",),
    "health": ("GET",),
    "reset": ("POST",),
    "faults": ("GET", "POST", "DELETE"),
    "worker": ("GET", "POST"),
}


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
    if method == "POST":  # worker
        unknown = set(payload) - {"paused", "build_seconds"}
        if unknown:
            raise ValueError("unknown worker setting(s): " + ", ".join(sorted(unknown)))
        if "paused" in payload and not isinstance(payload["paused"], bool):
            raise ValueError("paused must be true or false")
        seconds = payload.get("build_seconds")
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))):
            raise ValueError("build_seconds must be a number")
        emulator.set_worker(paused=payload.get("paused"), build_seconds=seconds)
    return emulator.worker.settings()

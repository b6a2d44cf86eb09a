"""The documented endpoints under /api: routing, auth, request validation and the handlers themselves."""

import json
import re
from urllib.parse import parse_qs, unquote

from pa_emulator import multipart, seed, views
from pa_emulator.errors import VALIDATION_MESSAGE, ApiError, validation
from pa_emulator.store import Conflict

# GUID syntax is the canonical 8-4-4-4-12 form in either case; lookups then compare exactly (case-sensitive), so an
# upper-case spelling of a real id is well formed but names nothing.
GUID = re.compile(r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
PAGE = re.compile(r"\A[0-9]{1,10}\Z")
MAX_PAGE = 2 ** 31 - 1  # an Int32 on the vendor's side
UNAUTHORIZED = "Invalid or expired authentication token"
UPLOAD_PATH = "/api/application-imports/upload"


class Route:
    def __init__(self, method, template, handler):
        self.method = method
        self.template = template
        self.handler = handler
        self.literal = "{" not in template
        self.streamed = template == UPLOAD_PATH  # the server hands this route the body as a stream, unread
        self.pattern = re.compile("\\A" + re.escape(template).replace(re.escape("{id}"), "([^/]+)") + "\\Z")


def _match(path):
    """Routes whose template matches ``path``; a literal segment beats ``{id}`` (GET .../stage is not an id)."""
    matches = [route for route in ROUTES if route.pattern.match(path)]
    literal = [route for route in matches if route.literal]
    return literal or matches


def route_key(method, path):
    """The stats key: "METHOD /api/template" for a known path, "METHOD (unrouted)" otherwise."""
    matches = _match(path)
    if not matches:
        return method + " (unrouted)"
    route = next((r for r in matches if r.method == method), matches[0])
    return "{0} {1}".format(method, route.template)


def handle(emulator, method, path, query, headers, body):
    """Answer one /api request: returns (status, payload, extra headers). Auth comes before routing."""
    try:
        token = _authenticate(emulator.store, headers)
        matches = _match(path)
        if not matches:
            raise ApiError(404, "No API resource at " + path)
        route = next((r for r in matches if r.method == method), None)
        if route is None:
            allow = ", ".join(sorted({r.method for r in matches}))
            raise ApiError(405, "Method {0} is not allowed on {1}; allowed: {2}".format(method, path, allow),
                           headers={"Allow": allow})
        groups = tuple(unquote(group, errors="replace") for group in route.pattern.match(path).groups())
        if route.streamed:  # read and parse the body outside the lock: it may be hundreds of megabytes
            request = Request(path, groups, _query(query), None, token)
            request.parts = _multipart(emulator.store, headers, body)
        else:
            request = Request(path, groups, _query(query),
                              _json_object(headers, body) if method == "POST" else None, token)
        with emulator.store.lock:
            status, payload = route.handler(emulator.store, request)
        return status, payload, {}
    except ApiError as problem:
        body = problem.body()
        body["message"] = emulator.store.redact(body["message"])  # messages may echo an id or a path
        return problem.status, body, problem.headers


class Request:
    def __init__(self, path, groups, query, body, token):
        self.parts = None  # the upload's multipart parts
        self.path = path
        self.groups = groups
        self.query = query
        self.body = body
        self.token = token


def _authenticate(store, headers):
    values = headers.get_all("Authorization") or []
    if len(values) == 1 and values[0].startswith("Bearer "):
        token = values[0][len("Bearer "):]
        if token in store.tokens:
            return token
    raise ApiError(401, UNAUTHORIZED)


def _query(text):
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise validation("query", "The query string is not valid UTF-8") from None


def _json_object(headers, body):
    media_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise validation("body", "Content-Type must be application/json")

    def refuse_constant(name):
        raise ValueError("not JSON: " + name)

    try:
        value = json.loads(body.decode("utf-8"), parse_constant=refuse_constant) if body else None
    except (ValueError, UnicodeDecodeError):
        raise validation("body", "The request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise validation("body", "The request body must be a JSON object")
    return value


def _multipart(store, headers, stream):
    """The parts of an upload body, read from ``stream`` in chunks (file parts counted and hashed, never kept)."""
    if store.upload_limit is not None and stream.remaining > store.upload_limit:
        raise ApiError(413, "The request body is larger than the upload limit of {0} bytes".format(store.upload_limit))
    try:
        parts = multipart.parse(stream, multipart.boundary_of(headers.get("Content-Type")))
    except multipart.MultipartError as exc:
        raise validation("body", "The request body is not valid multipart/form-data: {0}".format(exc)) from None
    with store.lock:
        store.upload_bytes += stream.received
    return parts


def _single(query, name):
    values = query.get(name)
    if values is None:
        return None
    if len(values) != 1:
        raise validation(name, "{0} must be given once".format(name))
    return values[0]


def _page(query):
    value = _single(query, "page")
    if value is None:
        return 1
    if not PAGE.match(value):
        raise validation("page", "page must be a whole number of 1 or more")
    page = int(value)
    if page < 1 or page > MAX_PAGE:
        raise validation("page", "page must be between 1 and {0}".format(MAX_PAGE))
    return page


def _guid_field(body, field, label):
    value = body.get(field)
    if value is None or value == "":
        raise validation(field, label + " is required")
    if not isinstance(value, str) or not GUID.match(value):
        raise validation(field, label + " must be a GUID")
    return value


# Handlers: called with the store lock held; return (status, payload) or raise ApiError.

def list_applications(store, request):
    page = _page(request.query)
    return 200, views.envelope(store.sorted_applications(), page, lambda app: views.application(store, app))


def get_application(store, request):
    app = store.applications.get(request.groups[0])
    if app is None:
        raise ApiError(404, "Application with id {0} not found".format(request.groups[0]))
    return 200, views.application_details(store, app)


def list_imports(store, request):
    page = _page(request.query)
    application_id = _single(request.query, "applicationId")
    if application_id is not None and not GUID.match(application_id):
        raise validation("applicationId", "applicationId must be a GUID")
    rows = store.sorted_imports(application_id)
    return 200, views.envelope(rows, page, lambda record: views.list_import(store, record))


def get_import(store, request):
    record = store.imports.get(request.groups[0])
    if record is None:
        raise ApiError(404, "Application import with id {0} not found".format(request.groups[0]))
    return 200, views.full_import(store, record)


def stage(store, request):
    app_id = _guid_field(request.body, "applicationId", "Application ID")
    app = store.applications.get(app_id)
    if app is None:
        raise validation("applicationId", "Application not found")  # documented: 400, not 404
    if app["isArchived"]:
        raise validation("applicationId", "Application is archived")
    if app["behaviour"] == seed.NO_SCHEDULE:
        raise ApiError(422, "Application has no import schedule configured")
    view = views.full_import(store, store.stage(app_id, request.token))
    if store.stage_omits_application:  # the stage reference's table and sample have no application (6.1, 11)
        del view["application"]
    return 201, view


def upload(store, request):
    """Contract 6.7: applicationId as a form field or query parameter, one file part per file named by a file group
    GUID of the application's file-based connector."""
    app_id = _upload_application_id(request)
    app = store.applications.get(app_id)
    if app is None:
        raise validation("applicationId", "Application not found")
    if app["isArchived"]:
        raise validation("applicationId", "Application is archived")
    connector = app["connector"]
    if not connector["fileBased"]:
        raise ApiError(422, "Application's connector is not file-based: upload is not available")
    groups = {group["id"]: group for group in connector["fileGroups"]}
    problems, files = [], []
    for part in request.parts:
        if part.filename is None:
            if part.name in groups:
                problems.append({"field": part.name, "message": "Must be a file part (with a filename)"})
            continue  # other text fields are ignored, as unknown JSON fields are
        if not GUID.match(part.name):
            problems.append({"field": part.name, "message": "Part name must be the GUID of a file group"})
        elif part.name not in groups:
            problems.append({"field": part.name, "message": "Not a file group of the application's connector"})
        elif not part.filename.strip():
            problems.append({"field": part.name, "message": "File name is required"})
        elif part.size == 0:
            problems.append({"field": part.name, "message": "File is empty"})
        else:
            files.append({"fileGroupId": part.name, "fileGroup": groups[part.name]["name"], "name": part.filename})
    sent = set(item["fileGroupId"] for item in files) | set(item["field"] for item in problems)
    for group in connector["fileGroups"]:
        if group["required"] and group["id"] not in sent:
            problems.append({"field": group["id"], "message": "File group {0} is required".format(group["name"])})
    if not problems and not files:
        problems.append({"field": "body", "message": "At least one file is required"})
    if problems:
        raise ApiError(400, VALIDATION_MESSAGE, problems)
    return 201, views.full_import(store, store.upload(app_id, request.token, files))


def _upload_application_id(request):
    """From the form field or the query parameter (either; both only when they agree: precedence is unspecified)."""
    values = [part.value.decode("utf-8", "replace") for part in request.parts
              if part.name == "applicationId" and part.filename is None]
    values += request.query.get("applicationId", [])
    if len(values) > 1 and len(set(values)) > 1:
        raise validation("applicationId", "applicationId is given more than once, with different values")
    value = values[0] if values else ""
    if not value:
        raise validation("applicationId", "Application ID is required")
    if not GUID.match(value):
        raise validation("applicationId", "Application ID must be a GUID")
    return value


def cancel(store, request):
    import_id = _guid_field(request.body, "applicationImportId", "Application import ID")
    record = store.imports.get(import_id)
    if record is None:
        raise ApiError(404, "Application import with id {0} not found".format(import_id))
    try:
        store.cancel(record)
    except Conflict as exc:
        raise ApiError(409, str(exc)) from None
    return 200, views.full_import(store, record)


ROUTES = [
    Route("GET", "/api/applications", list_applications),
    Route("GET", "/api/applications/{id}", get_application),
    Route("GET", "/api/application-imports", list_imports),
    Route("GET", "/api/application-imports/{id}", get_import),
    Route("POST", "/api/application-imports/stage", stage),
    Route("POST", "/api/application-imports/cancel", cancel),
    Route("POST", UPLOAD_PATH, upload),
]

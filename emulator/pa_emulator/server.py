"""HTTP front: auth, routing, the documented error body, faults, control endpoints."""

import json
import re
import socket
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pa_emulator.faults import Faults
from pa_emulator.store import Conflict, Store
from pa_emulator.worker import Worker

PAGE_SIZE = 50
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")  # case-sensitive on purpose
ERROR_CODES = {400: "validation_error", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 422: "unprocessable_entity", 429: "too_many_requests"}
ROUTES = [
    ("GET", re.compile(r"^/api/applications$"), "list_applications", "/api/applications"),
    ("GET", re.compile(r"^/api/applications/([^/]+)$"), "get_application", "/api/applications/{id}"),
    ("GET", re.compile(r"^/api/application-imports$"), "list_imports", "/api/application-imports"),
    ("POST", re.compile(r"^/api/application-imports/stage$"), "stage", "/api/application-imports/stage"),
    ("POST", re.compile(r"^/api/application-imports/cancel$"), "cancel", "/api/application-imports/cancel"),
    ("GET", re.compile(r"^/api/application-imports/([^/]+)$"), "get_import", "/api/application-imports/{id}"),
]


class ApiProblem(Exception):
    def __init__(self, status, message, field_errors=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field_errors = field_errors


def validation(field, message):
    return ApiProblem(400, "One or more validation errors occurred", [{"field": field, "message": message}])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes; without this each reply stalls ~40 ms
    server_version = "PermissionAssistEmulator/1.0"
    sys_version = ""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass  # the access log below never includes headers, so the token cannot leak into it

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PATCH(self):
        self._handle("PATCH")

    # Plumbing
    def _handle(self, method):
        started = time.monotonic()
        emulator = self.server.emulator
        parts = urlsplit(self.path)
        path = parts.path
        if not path.startswith(emulator.prefix + "/"):
            self._reply_error(404, "No resource at " + path)
            return
        path = path[len(emulator.prefix):]
        body = self._read_body()
        if path.startswith("/_emulator/"):
            self._control(method, path[len("/_emulator/"):], body)
            return
        fault = emulator.faults.take(method, path)
        if fault and fault.action == "drop_before":
            self._drop()
            return
        if fault and fault.action == "delay":
            time.sleep(fault.seconds)
        if fault and fault.action == "status":
            self._count(method, path)
            self._fault_reply(fault)
            emulator.access_log(method, path, fault.status, started)
            return
        status, payload = self._api(method, path, parse_qs(parts.query), body)
        if fault and fault.action == "drop_after":
            self._drop()
            return
        if fault and fault.action == "malformed_ok":
            self._send(status, b'{"id": "5e8f0a13-', "application/json")
        else:
            self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8")
        emulator.access_log(method, path, status, started)

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, data, content_type, headers=None, declared_length=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if declared_length is None else declared_length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _error_body(self, status, message, field_errors=None, code=None):
        body = {"error": code or ERROR_CODES.get(status, "server_error"), "message": message,
                "correlationId": uuid.uuid4().hex}
        if field_errors:
            body["errors"] = field_errors
        return body

    def _reply_error(self, status, message, field_errors=None, headers=None):
        data = json.dumps(self._error_body(status, message, field_errors)).encode()
        self._send(status, data, "application/json; charset=utf-8", headers)

    def _fault_reply(self, fault):
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        if fault.body == "json":
            data = json.dumps(self._error_body(fault.status, "Injected fault")).encode()
            self._send(fault.status, data, "application/json; charset=utf-8", headers)
        elif fault.body == "html":
            data = ("<html><head><title>{0} Bad Gateway</title></head><body><h1>{0}</h1>"
                    "<p>upstream unavailable</p></body></html>").format(fault.status).encode()
            self._send(fault.status, data, "text/html", headers)
        elif fault.body == "notjson":
            self._send(fault.status, b"upstream said: oops", "text/plain", headers)
        elif fault.body == "truncated":
            self._send(fault.status, b'{"error": "server_', "application/json", headers, declared_length=400)
            self._drop()
        else:
            self._send(fault.status, b"", "text/plain", headers)

    def _count(self, method, path):
        for route_method, pattern, dummy, template in ROUTES:
            if route_method == method and pattern.match(path):
                with self.server.emulator.store.lock:
                    self.server.emulator.store.count("{0} {1}".format(method, template))
                return
        with self.server.emulator.store.lock:
            self.server.emulator.store.count("{0} (unrouted)".format(method))

    # The API
    def _api(self, method, path, query, body):
        emulator = self.server.emulator
        self._count(method, path)
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        if token not in emulator.store.tokens:
            return 401, self._error_body(401, "Invalid or expired authentication token")
        allowed = [route for route in ROUTES if route[1].match(path)]
        if not allowed:
            return 404, self._error_body(404, "No resource at " + path)
        route = next((r for r in allowed if r[0] == method), None)
        if route is None:
            self._extra_headers = {"Allow": ", ".join(sorted(set(r[0] for r in allowed)))}
            return 405, self._error_body(405, "Method {0} is not allowed here".format(method))
        try:
            if method == "POST":
                body = self._json_object(body)
            with emulator.store.lock:
                return getattr(Endpoints, route[2])(emulator.store, route[1].match(path).groups(), query, body, token)
        except ApiProblem as problem:
            return problem.status, self._error_body(problem.status, problem.message, problem.field_errors)

    def _json_object(self, body):
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise validation("body", "Content-Type must be application/json")
        try:
            value = json.loads(body.decode("utf-8") or "null")
        except (ValueError, UnicodeDecodeError):
            raise validation("body", "The request body is not valid JSON") from None
        if not isinstance(value, dict):
            raise validation("body", "The request body must be a JSON object")
        return value

    # Control endpoints (tests and demo only; outside /api, not counted)
    def _control(self, method, name, body):
        emulator = self.server.emulator
        try:
            payload = json.loads(body.decode() or "{}")
        except ValueError:
            payload = {}
        if method == "GET" and name == "stats":
            result = emulator.stats()
        elif method == "GET" and name == "health":
            result = {"ok": True}
        elif method == "POST" and name == "reset":
            emulator.reset()
            result = {"ok": True}
        elif method == "POST" and name == "faults":
            try:
                emulator.add_fault(**payload)
            except (TypeError, ValueError) as exc:
                self._reply_error(400, str(exc))
                return
            result = {"ok": True}
        elif method == "DELETE" and name == "faults":
            emulator.faults.clear()
            result = {"ok": True}
        elif method == "POST" and name == "worker":
            emulator.set_worker(paused=payload.get("paused"), build_seconds=payload.get("build_seconds"))
            result = {"ok": True}
        else:
            self._reply_error(404, "No control endpoint " + name)
            return
        self._send(200, json.dumps(result).encode(), "application/json")

    def send_response(self, code, message=None):
        super().send_response(code, message)
        extra = getattr(self, "_extra_headers", None)
        if extra:
            for key, value in extra.items():
                self.send_header(key, value)
            self._extra_headers = None


class Endpoints:
    """One static method per route; called with the store lock held."""

    @staticmethod
    def list_applications(store, groups, query, body, token):
        page = _page(query)
        return 200, _envelope([store.application_view(app_id) for app_id in store.sorted_applications()], page)

    @staticmethod
    def get_application(store, groups, query, body, token):
        app_id = groups[0]
        if app_id not in store.applications:
            raise ApiProblem(404, "Application with id {0} not found".format(app_id))
        return 200, store.application_view(app_id)

    @staticmethod
    def list_imports(store, groups, query, body, token):
        page = _page(query)
        application_id = (query.get("applicationId") or [None])[0]
        if application_id is not None and not GUID.match(application_id):
            raise validation("applicationId", "applicationId must be a GUID")
        rows = [store.import_view(record, full=False) for record in store.sorted_imports(application_id)]
        return 200, _envelope(rows, page)

    @staticmethod
    def get_import(store, groups, query, body, token):
        record = store.imports.get(groups[0])
        if record is None:
            raise ApiProblem(404, "Application import with id {0} not found".format(groups[0]))
        return 200, store.import_view(record)

    @staticmethod
    def stage(store, groups, query, body, token):
        app_id = body.get("applicationId")
        if app_id in (None, ""):
            raise validation("applicationId", "Application ID is required")
        if not isinstance(app_id, str) or not GUID.match(app_id):
            raise validation("applicationId", "Application ID must be a GUID")
        app = store.applications.get(app_id)
        if app is None:
            raise validation("applicationId", "Application not found")
        if app["isArchived"]:
            raise validation("applicationId", "Application is archived")
        if app["behaviour"] == "no_schedule":
            raise ApiProblem(422, "Application has no import schedule configured")
        return 201, store.import_view(store.stage(app_id, token))

    @staticmethod
    def cancel(store, groups, query, body, token):
        import_id = body.get("applicationImportId")
        if import_id in (None, ""):
            raise validation("applicationImportId", "Application import ID is required")
        if not isinstance(import_id, str) or not GUID.match(import_id):
            raise validation("applicationImportId", "Application import ID must be a GUID")
        record = store.imports.get(import_id)
        if record is None:
            raise ApiProblem(404, "Application import with id {0} not found".format(import_id))
        try:
            store.cancel(record)
        except Conflict as exc:
            raise ApiProblem(409, str(exc)) from None
        return 200, store.import_view(record)


def _page(query):
    values = query.get("page")
    if not values:
        return 1
    try:
        page = int(values[0])
    except ValueError:
        raise validation("page", "page must be an integer") from None
    if page < 1:
        raise validation("page", "page must be 1 or greater")
    return page


def _envelope(rows, page):
    total = len(rows)
    return {"items": rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], "totalCount": total, "page": page,
            "pageSize": PAGE_SIZE, "totalPages": (total + PAGE_SIZE - 1) // PAGE_SIZE}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open = set()
        self._open_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """Cut every kept-alive connection, so a stopped server stops answering (as a crashed one would)."""
        with self._open_lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        # A client that gave up (timeout, dropped connection) is an expected event here, not a server fault.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError)):
            return
        super().handle_error(request, client_address)


class Emulator:
    """The whole emulator: ``start()``, ``url``, ``stop()``, plus knobs for tests."""

    def __init__(self, tokens=None, host="127.0.0.1", port=0, build_seconds=3.0, worker_paused=False, prefix="",
                 tls_cert=None, tls_key=None, extra_applications=0, type_spelling="alternate", timestamp_style="z",
                 log_file=None):
        self.store = Store(tokens or {"pa_demo_token": "Demo Automation"}, extra_applications, type_spelling,
                           timestamp_style)
        self.faults = Faults()
        self.prefix = prefix.rstrip("/")
        self.worker = Worker(self.store, build_seconds, worker_paused)
        self._log = open(log_file, "a", encoding="utf-8") if log_file else None  # pylint: disable=consider-using-with
        self._log_lock = threading.Lock()
        self.httpd = _Server((host, port), Handler)
        self.httpd.emulator = self
        scheme = "http"
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.port = self.httpd.server_address[1]
        self.url = "{0}://{1}:{2}{3}".format(scheme, host, self.port, self.prefix)
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="pa-emulator-http", daemon=True)

    def start(self):
        self.worker.start()
        self._thread.start()
        return self

    def stop(self):
        self.worker.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd.close_connections()
        if self._log:
            self._log.close()

    def reset(self):
        self.faults.clear()
        self.store.reset()

    def stats(self):
        with self.store.lock:
            return self.store.stats()

    def add_fault(self, **rule):
        self.faults.add(**rule)

    def set_worker(self, paused=None, build_seconds=None):
        self.worker.configure(paused=paused, build_seconds=build_seconds)

    def access_log(self, method, path, status, started):
        if self._log is None:
            return
        with self._log_lock:
            self._log.write("{0} {1} {2} {3:.1f}ms\n".format(method, path, status, (time.monotonic() - started) * 1000))
            self._log.flush()

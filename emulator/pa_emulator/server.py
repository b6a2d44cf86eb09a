"""HTTP plumbing: the threading server, the request handler (body reading, faults, replies) and the access log."""

import json
import socket
import ssl
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from pa_emulator import api, control
from pa_emulator.errors import error_body
from pa_emulator.multipart import BodyStream

MAX_BODY = 1024 * 1024
JSON_TYPE = "application/json; charset=utf-8"


class BodyError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every reply carries Content-Length
    disable_nagle_algorithm = True  # headers and body are separate writes: without it each kept-alive reply stalls ~40 ms
    server_version = "PermissionAssistEmulator/1.0"
    sys_version = ""
    timeout = 120  # an idle kept-alive connection is closed after this many seconds

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()  # in this connection's thread, so a slow client never blocks accept()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass  # the only log is access_log below: method, path, status, duration; never headers, so never the token

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def send_error(self, code, message=None, explain=None):
        """Protocol-level errors (bad request line, unsupported method, ...): the documented JSON body, then close."""
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # answer garbage with a real status line, as a real server would
        try:
            text = message or HTTPStatus(code).phrase
        except ValueError:
            text = message or "Error"
        self._send(code, json.dumps(error_body(code, text)).encode("utf-8"), JSON_TYPE, {"Connection": "close"})

    # One request
    def _handle(self):
        started = time.monotonic()
        emulator = self.server.emulator
        method = self.command
        split = urlsplit(self.path)
        path = split.path
        prefix = emulator.prefix
        relative = path[len(prefix):] if path.startswith(prefix + "/") else None
        try:
            streamed = method == "POST" and relative == api.UPLOAD_PATH
            body = self._body_stream() if streamed else self._read_body()
        except BodyError as exc:
            self.close_connection = True
            self._reply(exc.status, error_body(exc.status, exc.message), {"Connection": "close"})
            emulator.access_log(method, path, exc.status, started)
            return
        if relative is not None and relative.startswith("/_emulator/"):
            status, payload, headers = control.handle(emulator, method, relative[len("/_emulator/"):], body)
            self._reply(status, payload, headers)
        elif relative is not None and (relative == "/api" or relative.startswith("/api/")):
            status = self._api(emulator, method, relative, split.query, body)
        else:
            status = 404
            self._reply(404, error_body(404, emulator.store.redact("No resource at " + path)))
        if status is not None:
            emulator.access_log(method, path, status, started)

    def _api(self, emulator, method, path, query, body):
        """Applies the first matching fault rule (before auth), counts the request, answers.

        Returns the status to log, or None when the connection was closed without an answer (not logged). A request
        is counted once it gets past drop_before and any delay: that is when the server starts acting on it. A
        request that was still in its delay when the emulator was reset belongs to the state before the reset (a
        test that has ended): it is dropped, neither counted nor acted on.
        """
        generation = emulator.store.generation
        fault = emulator.faults.take(method, path)
        action = fault.action if fault else None
        if action == "drop_before":  # nothing done, nothing counted
            self._drop()
            return None
        if action == "delay":
            time.sleep(fault.seconds)
        if action == "drop_then_act":  # the client sees the connection close at once; the server acts later
            self._drop(socket.SHUT_WR)
            time.sleep(fault.seconds)
        with emulator.store.lock:
            outlived_a_reset = emulator.store.generation != generation
            if not outlived_a_reset:
                emulator.store.count(api.route_key(method, path))
        if outlived_a_reset:
            self._drop()
            return None
        if action == "status":
            self._drain(body)
            self._fault_reply(fault)
            return fault.status
        status, payload, headers = api.handle(emulator, method, path, query, self.headers, body)
        self._drain(body)
        if action in ("drop_after", "drop_then_act"):  # the work is done; the answer is lost
            self._drop()
            return None
        if action == "malformed_ok":
            status = status if 200 <= status < 300 else 200
            self._send(status, b'{"id": "5e8f0a13-c9d2-4b7e-a164-2f3b9d8c0e57", "kind": "Applica', JSON_TYPE)
            return status
        self._reply(status, payload, headers)
        return status

    # Reading
    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.strip().isdigit():
            raise BodyError(400, "Content-Length is not a number")
        if int(length) > MAX_BODY:
            raise BodyError(413, "The request body is larger than {0} bytes".format(MAX_BODY))
        return self.rfile.read(int(length))

    def _body_stream(self):
        """The upload's body, unread: the endpoint parses it in chunks. Its length must be declared."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise BodyError(411, "An upload must declare its Content-Length (chunked bodies are not accepted)")
        length = self.headers.get("Content-Length")
        if length is not None and not length.strip().isdigit():
            raise BodyError(400, "Content-Length is not a number")
        return BodyStream(self.rfile, int(length or 0))

    @staticmethod
    def _drain(body):
        """Whatever an answered upload did not read is read and discarded, so the connection stays usable and the
        client gets the answer rather than a reset while it is still sending."""
        if isinstance(body, BodyStream):
            body.drain()

    def _read_chunked(self):
        data = b""
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise BodyError(400, "Malformed chunked request body") from None
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers, up to the blank line
                    pass
                return data
            if len(data) + size > MAX_BODY:
                raise BodyError(413, "The request body is larger than {0} bytes".format(MAX_BODY))
            data += self.rfile.read(size)
            self.rfile.readline(1024)

    # Writing
    def _send(self, status, data, content_type, headers=None, declared_length=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if declared_length is None else declared_length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _reply(self, status, payload, headers=None):
        self._send(status, json.dumps(payload).encode("utf-8"), JSON_TYPE, headers)

    def _drop(self, how=socket.SHUT_RDWR):
        """Close the connection without a reply (or mid-reply). ``SHUT_WR`` ends only the answer side: the client reads
        the end of the connection while what it still sends can be read."""
        self.close_connection = True
        try:
            self.connection.shutdown(how)
        except OSError:
            pass

    def _fault_reply(self, fault):
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        try:
            phrase = HTTPStatus(fault.status).phrase
        except ValueError:
            phrase = "Error"
        if fault.body == "json":
            self._reply(fault.status, error_body(fault.status, "Injected fault: " + phrase), headers)
        elif fault.body == "html":
            page = ("<html>\r\n<head><title>{0} {1}</title></head>\r\n<body>\r\n<center><h1>{0} {1}</h1></center>\r\n"
                    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n").format(fault.status, phrase)
            self._send(fault.status, page.encode("ascii"), "text/html", headers)
        elif fault.body == "notjson":
            self._send(fault.status, b"upstream said: oops", "text/plain", headers)
        elif fault.body == "truncated":
            self._send(fault.status, b'{"error": "server_error", "mess', "application/json", headers, declared_length=400)
            self._drop()
        else:  # empty
            self._send(fault.status, b"", "text/plain", headers)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, emulator, tls_context=None):
        super().__init__(address, Handler)
        self.emulator = emulator
        if tls_context is not None:
            self.socket = tls_context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        self._open = set()
        self._open_lock = threading.Lock()
        self.connections_accepted = 0  # TCP connections since start or reset (shows whether clients keep alive)

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
            self.connections_accepted += 1
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
        # A client that gave up (timeout, dropped connection, failed TLS handshake) is expected here, not a fault.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            return
        super().handle_error(request, client_address)

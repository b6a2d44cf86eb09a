"""The programmatic face of the emulator: build it, ``start()``, use ``url``, ``stop()``; knobs for tests."""

import ssl
import sys
import threading
import time
from datetime import datetime, timezone

from pa_emulator.faults import Faults
from pa_emulator.server import Server
from pa_emulator import views
from pa_emulator.store import Store
from pa_emulator.worker import CANCEL_SECONDS, Worker

DEFAULT_TOKENS = {"pa_demo_token": "Demo Automation"}


class Emulator:
    """A Permission Assist API emulator on a real socket.

    The socket is bound on construction, so ``port`` and ``url`` are known before ``start()``. ``url`` is the base URL
    without ``/api`` (with ``prefix="/pa"`` the API lives at ``url + "/api/..."`` = ``http://host:port/pa/api/...``).
    """

    def __init__(self, tokens=None, *, build_seconds=3.0, worker_paused=False, prefix="", tls_cert=None, tls_key=None,
                 extra_applications=0, host="127.0.0.1", port=0, type_spelling="alternate", timestamp_style="z",
                 log_file=None, extra_mix=False, cancel_seconds=CANCEL_SECONDS, cancel_race="canceled",
                 pending_sort="last", stage_omits_application=False, hide_connector=False, upload_limit=None):
        self.store = Store(tokens or DEFAULT_TOKENS, extra_applications, type_spelling, timestamp_style, extra_mix,
                           pending_sort, stage_omits_application, hide_connector, upload_limit)
        self.faults = Faults()
        self.worker = Worker(self.store, build_seconds, worker_paused, cancel_seconds, cancel_race)
        self.prefix = normalize_prefix(prefix)
        context = None
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
        self.httpd = Server((host, port), self, context)
        self.port = self.httpd.server_address[1]
        shown_host = "127.0.0.1" if host in ("", "0.0.0.0") else host
        self.url = "{0}://{1}:{2}{3}".format("https" if context else "http", shown_host, self.port, self.prefix)
        self._log_lock = threading.Lock()
        self._log = None
        if log_file == "-":
            self._log = sys.stderr
        elif log_file:
            self._log = open(log_file, "a", encoding="utf-8")  # pylint: disable=consider-using-with
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="pa-emulator-http", daemon=True)
        self._stopped = False

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        self.worker.start()
        self._thread.start()
        return self

    def stop(self):
        if self._stopped:
            return
        self._stopped = True
        if self._thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd.close_connections()
        self.worker.stop()
        with self._log_lock:
            if self._log is not None and self._log is not sys.stderr:
                self._log.close()
            self._log = None

    def reset(self):
        """Back to the seed state: seeded data only, counters zeroed, faults cleared (worker settings kept)."""
        self.faults.clear()
        self.store.reset()
        self.httpd.connections_accepted = 0

    def stats(self):
        with self.store.lock:
            result = self.store.stats()
        result["faults_pending"] = len(self.faults.pending())
        result["connections_accepted"] = self.httpd.connections_accepted
        return result

    def add_fault(self, **rule):
        """Add a fault rule (see faults.FaultRule); returns it as a dict."""
        return self.faults.add(**rule).describe()

    def clear_faults(self):
        self.faults.clear()

    def set_worker(self, paused=None, build_seconds=None, cancel_seconds=None, cancel_race=None):
        self.worker.configure(paused=paused, build_seconds=build_seconds, cancel_seconds=cancel_seconds,
                              cancel_race=cancel_race)

    def add_import(self, application_id, import_type="Scheduled", created_by=None):
        """A Pending import that is not API-staged (``Scheduled`` or ``Manual``), queued for the build job.

        Returns its full record as GET /api/application-imports/{id} shows it.
        """
        with self.store.lock:
            return views.full_import(self.store, self.store.add_other_import(application_id, import_type, created_by))

    def access_log(self, method, path, status, started):
        """One line per request: time, method, path (no query string), status, duration. Never headers or bodies."""
        with self._log_lock:
            if self._log is None:
                return
            self._log.write("{0} {1} {2} {3} {4:.1f}ms\n".format(
                datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), method, self.store.redact(path), status,
                (time.monotonic() - started) * 1000))
            self._log.flush()


def normalize_prefix(prefix):
    """'' or '/' -> ''; 'pa', '/pa/' -> '/pa'."""
    prefix = (prefix or "").strip().strip("/")
    return "/" + prefix if prefix else ""

"""The server's state: applications, imports, the build queue and the request counters.

One lock (a Condition, so the build job can wait on it) guards everything here. Callers hold ``store.lock``
around every read or write; the build job waits on it (which releases it) instead of sleeping while holding it.
"""

import collections
import threading
import uuid
from datetime import datetime, timezone

from pa_emulator import seed

ACTIVE = ("Pending", "Running")
TERMINAL = ("Finished", "Failed", "Canceled")
TYPE_SPELLINGS = ("API", "Api", "alternate")
TIMESTAMP_STYLES = ("z", "naive")
PENDING_SORTS = ("last", "first")
OTHER_TYPES = {"Scheduled": "Permission Assist", "Manual": "Dana Whitfield"}  # type -> createdBy, as in the history


class Conflict(Exception):
    """The import's status does not allow the request (cancel's 409)."""


def utcnow():
    return datetime.now(timezone.utc).replace(microsecond=0)


class Store:
    def __init__(self, tokens, extra_applications=0, type_spelling="alternate", timestamp_style="z", extra_mix=False,
                 pending_sort="last", stage_omits_application=False, hide_connector=False, upload_limit=None):
        if type_spelling not in TYPE_SPELLINGS:
            raise ValueError("type_spelling must be one of " + ", ".join(TYPE_SPELLINGS))
        if timestamp_style not in TIMESTAMP_STYLES:
            raise ValueError("timestamp_style must be one of " + ", ".join(TIMESTAMP_STYLES))
        if pending_sort not in PENDING_SORTS:
            raise ValueError("pending_sort must be one of " + ", ".join(PENDING_SORTS))
        self.pending_sort = pending_sort
        self.stage_omits_application = bool(stage_omits_application)
        self.hide_connector = bool(hide_connector)  # a server whose application details have no connector (7)
        if upload_limit is not None and (isinstance(upload_limit, bool) or int(upload_limit) < 1):
            raise ValueError("upload_limit must be a number of bytes, 1 or more")
        self.upload_limit = None if upload_limit is None else int(upload_limit)  # larger upload bodies: 413
        self.tokens = dict(tokens)  # secret -> token name
        self.extra_applications = int(extra_applications)
        self.extra_mix = bool(extra_mix)
        self.type_spelling = type_spelling
        self.timestamp_style = timestamp_style
        self.lock = threading.Condition()
        self.generation = 0  # bumped by reset(): the build job drops work that belongs to an older state
        self.applications = {}
        self.imports = {}
        self.queue = collections.deque()  # ids of staged imports not yet taken by the build job, oldest first
        self.next_number = 1
        self.next_spelling = 0
        self.requests = {}
        self.total_requests = 0
        self.imports_created = 0
        self.uploads = 0
        self.upload_bytes = 0
        self.reset()

    def reset(self):
        """Back to the seed state: seeded applications and history only, counters zeroed."""
        with self.lock:
            self.generation += 1
            self.applications = {}
            self.imports = {}
            self.queue = collections.deque()
            self.next_number = 1
            self.next_spelling = 0
            self.requests = {}
            self.total_requests = 0
            self.imports_created = 0
            self.uploads = 0
            self.upload_bytes = 0
            past, last = [], []
            rows = [row + (None,) for row in seed.APPLICATIONS]
            rows += seed.extra_applications(self.extra_applications, self.extra_mix)
            for order, (app_id, name, priority, behaviour, history_length, last_status) in enumerate(rows):
                self.applications[app_id] = {
                    "id": app_id, "name": name, "priority": priority, "behaviour": behaviour,
                    "isArchived": behaviour == seed.ARCHIVED, "lastUpdated": seed.HISTORY_START,
                    "connector": seed.connector(app_id)}
                rows_of_app = seed.history(app_id, history_length, order, failing=behaviour == seed.FAILS)
                past.extend(dict(row, applicationId=app_id) for row in rows_of_app)
                if last_status:
                    last.append((app_id, last_status))
            past.sort(key=lambda row: row["buildStart"])  # stable: numbers follow time, then seed order
            for row in past:
                self._seed_import(row)
            for app_id, status in last:  # numbered after all history, never started
                record = self._new_import(app_id, "Scheduled", "Permission Assist", seed.last_import_id(app_id))
                if status == "Pending":
                    self.queue.append(record["id"])
                else:
                    record.update(status=status, buildEnd=self.applications[app_id]["lastUpdated"])
            self.lock.notify_all()

    def _seed_import(self, past):
        record = self._new_import(past["applicationId"], past["type"], past["createdBy"], import_id=past["id"])
        record.update(status=past["status"], buildStart=past["buildStart"], buildEnd=past["buildEnd"])
        record["files"] = invented_files(record["buildStart"], key=record["id"])
        record["log"] = "Import started.\nReading files...\nValidating rows..."
        if past["status"] == "Finished":
            record["log"] += "\nApplying changes...\nImport finished."
            record["metrics"] = metrics_for(record["number"])
        else:
            record["log"] += "\nError: the user extract has no header row."
        self.applications[past["applicationId"]]["lastUpdated"] = past["buildEnd"]

    def _new_import(self, app_id, import_type, created_by, import_id=None):
        record = {
            "id": import_id or str(uuid.uuid4()), "number": self.next_number, "type": import_type, "status": "Pending",
            "createdBy": created_by, "buildStart": None, "buildEnd": None, "log": None, "files": [], "metrics": None,
            "applicationId": app_id,
        }
        self.next_number += 1  # one global sequence over every application
        self.imports[record["id"]] = record
        return record

    # Reads (caller holds the lock)
    def sorted_applications(self):
        """Every application, archived ones included, by name then id."""
        return sorted(self.applications.values(), key=lambda app: (app["name"], app["id"]))

    def sorted_imports(self, application_id=None):
        """buildStart descending; never-started imports (null buildStart) last or first (``pending_sort``); ties by
        number descending."""
        rows = [record for record in self.imports.values()
                if application_id is None or record["applicationId"] == application_id]
        started = sorted((r for r in rows if r["buildStart"] is not None),
                         key=lambda r: (r["buildStart"], r["number"]), reverse=True)
        never_started = sorted((r for r in rows if r["buildStart"] is None), key=lambda r: r["number"], reverse=True)
        return never_started + started if self.pending_sort == "first" else started + never_started

    # Writes (caller holds the lock)
    def stage(self, app_id, token):
        if self.type_spelling == "alternate":
            import_type = ("API", "Api")[self.next_spelling % 2]
            self.next_spelling += 1
        else:
            import_type = self.type_spelling
        record = self._new_import(app_id, import_type, "API Token - " + self.tokens[token])
        self.queue.append(record["id"])
        self.imports_created += 1
        self.lock.notify_all()
        return record

    def upload(self, app_id, token, files):
        """An import staged from uploaded files: like stage, with ``files`` (fileGroupId, fileGroup, name) set."""
        record = self.stage(app_id, token)
        record["files"] = [dict(id=str(uuid.uuid4()), **item) for item in files]
        self.uploads += 1
        return record

    def add_other_import(self, app_id, import_type, created_by=None):
        """A Pending import that is not API-staged (a scheduled or manual one), queued like any other."""
        if not isinstance(app_id, str) or app_id not in self.applications:
            raise ValueError("no application with id {0}".format(app_id))
        if import_type not in OTHER_TYPES:
            raise ValueError("type must be one of " + ", ".join(OTHER_TYPES))
        record = self._new_import(app_id, import_type, created_by or OTHER_TYPES[import_type])
        self.queue.append(record["id"])
        self.lock.notify_all()
        return record

    def cancel(self, record):
        if record["status"] == "Canceling":
            raise Conflict("Import is already being canceled")
        if record["status"] not in ACTIVE:
            raise Conflict("Import is already in a terminal state")
        record["status"] = "Canceling"
        self.lock.notify_all()
        return record

    def redact(self, text):
        """``text`` with every known token replaced, for anything that echoes client input (logs, error messages)."""
        for token in self.tokens:
            if token and token in text:
                text = text.replace(token, "[redacted]")
        return text

    def count(self, key):
        self.total_requests += 1
        self.requests[key] = self.requests.get(key, 0) + 1

    def stats(self):
        by_status = {}
        for record in self.imports.values():
            by_status[record["status"]] = by_status.get(record["status"], 0) + 1
        return {"total": self.total_requests, "requests": dict(self.requests), "imports_created": self.imports_created,
                "uploads": self.uploads, "upload_bytes": self.upload_bytes, "imports": len(self.imports),
                "by_status": by_status}


def invented_files(build_start, key=None):
    """The files a build reads: one per invented file group; ids derived from ``key`` when given (seeded history)."""
    stamp = build_start.strftime("%Y%m%d")
    return [{"id": seed.stable_guid("file", key, group_id) if key else str(uuid.uuid4()), "fileGroupId": group_id,
             "fileGroup": group, "name": pattern.format(stamp)}
            for group_id, group, pattern in seed.FILE_GROUPS]


def metrics_for(number):
    """The metrics object of a Finished import (its fields are unspecified in the docs; these are invented)."""
    return {"usersAdded": number % 7, "usersRemoved": number % 3, "accountsAdded": number % 11,
            "accountsRemoved": number % 5, "privilegesAdded": number % 13, "privilegesRemoved": number % 4}

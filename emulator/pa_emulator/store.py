"""The server's state: applications, imports, counters. Every access holds one lock."""

import itertools
import threading
import uuid
from datetime import datetime, timezone

from pa_emulator import seed

ACTIVE = ("Pending", "Running")
TERMINAL = ("Finished", "Failed", "Canceled")
LIST_FIELDS = ("id", "kind", "number", "type", "status", "buildStart", "buildEnd", "application")


class Conflict(Exception):
    pass


def utcnow():
    return datetime.now(timezone.utc).replace(microsecond=0)


class Store:
    def __init__(self, tokens, extra_applications=0, type_spelling="alternate", timestamp_style="z"):
        self.tokens = dict(tokens)
        self.extra_applications = extra_applications
        self.type_spelling = type_spelling
        self.timestamp_style = timestamp_style
        self.lock = threading.Condition()
        self.generation = 0
        self.reset()

    def reset(self):
        with self.lock:
            self.generation += 1
            self.applications = {}
            self.application_order = []
            self.imports = {}
            self.created_order = []
            self.numbers = itertools.count(1)
            self.spellings = itertools.cycle(["API", "Api"])
            self.requests = {}
            self.total_requests = 0
            self.imports_created = 0
            for app_id, name, priority, behaviour, history in seed.APPLICATIONS + seed.extra_applications(
                    self.extra_applications):
                self._add_application(app_id, name, priority, behaviour, history)
            self.lock.notify_all()

    def _add_application(self, app_id, name, priority, behaviour, history):
        self.applications[app_id] = {
            "id": app_id, "name": name, "priority": priority, "behaviour": behaviour,
            "isArchived": behaviour == seed.ARCHIVED, "lastUpdated": seed.HISTORY_START,
        }
        self.application_order.append(app_id)
        for import_id, kind, status, created_by, start, end in seed.history(app_id, history):
            self._new_import(app_id, kind, created_by, status=status, build_start=start, build_end=end)
            self.applications[app_id]["lastUpdated"] = end

    def _new_import(self, app_id, kind, created_by, status="Pending", build_start=None, build_end=None):
        record = {
            "id": str(uuid.uuid4()), "number": next(self.numbers), "type": kind, "status": status,
            "createdBy": created_by, "buildStart": build_start, "buildEnd": build_end, "log": None, "files": [],
            "metrics": None, "application_id": app_id,
        }
        if status == "Finished":
            record["metrics"] = _metrics(record["number"])
            record["log"] = "Import started.\nReading files...\nImport finished."
        elif status == "Failed":
            record["log"] = "Import started.\nReading files...\nError: the user extract has no header row."
        self.imports[record["id"]] = record
        self.created_order.append(record["id"])
        return record

    # Representations
    def stamp(self, value):
        if value is None:
            return None
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        return text + "Z" if self.timestamp_style == "z" else text

    def application_view(self, app_id):
        app = self.applications[app_id]
        return {"id": app["id"], "kind": "Application", "name": app["name"], "priority": app["priority"],
                "isArchived": app["isArchived"], "lastUpdated": self.stamp(app["lastUpdated"])}

    def import_view(self, record, full=True):
        view = {
            "id": record["id"], "kind": "Application Import", "number": record["number"], "type": record["type"],
            "status": record["status"], "createdBy": record["createdBy"],
            "buildStart": self.stamp(record["buildStart"]), "buildEnd": self.stamp(record["buildEnd"]),
            "log": record["log"], "files": [dict(item) for item in record["files"]],
            "metrics": dict(record["metrics"]) if record["metrics"] else None,
            "application": self.application_view(record["application_id"]),
        }
        return view if full else {key: view[key] for key in LIST_FIELDS}

    # Reads
    def sorted_applications(self):
        return sorted(self.application_order, key=lambda app_id: (self.applications[app_id]["name"], app_id))

    def sorted_imports(self, application_id=None):
        rows = [record for record in self.imports.values()
                if application_id is None or record["application_id"] == application_id]
        started = sorted((r for r in rows if r["buildStart"] is not None),
                         key=lambda r: (r["buildStart"], r["number"]), reverse=True)
        never_started = sorted((r for r in rows if r["buildStart"] is None), key=lambda r: r["number"], reverse=True)
        return started + never_started  # nulls sort lowest, so last in descending order

    # Writes
    def stage(self, app_id, token):
        spelling = next(self.spellings) if self.type_spelling == "alternate" else self.type_spelling
        record = self._new_import(app_id, spelling, "API Token - " + self.tokens[token])
        self.imports_created += 1
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

    def count(self, route):
        self.total_requests += 1
        self.requests[route] = self.requests.get(route, 0) + 1

    def stats(self):
        return {"total": self.total_requests, "requests": dict(self.requests), "imports_created": self.imports_created,
                "imports": len(self.imports),
                "by_status": _count_by(record["status"] for record in self.imports.values())}


def _metrics(number):
    return {"identitiesAdded": number % 7, "identitiesRemoved": number % 3, "accountsAdded": number % 11,
            "accountsRemoved": number % 5, "privilegesAdded": number % 13, "privilegesRemoved": number % 4}


def _count_by(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts

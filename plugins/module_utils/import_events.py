# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Import status changes as events (the ``import_events`` EDA source): one poll of the import list at a time.

The list (contract 6.3, read through import_list.Pages) is sorted by ``buildStart``, newest first, with
never-started imports (null ``buildStart``) together at one end. So between two polls:

* an import that started (or was staged and started) sorts before the newest start the previous poll saw: the pages
  from page 1 up to that start hold every one of them;
* an import that was running keeps its place among the started ones (only newer starts push it down), so it is on
  those pages too while the build job runs one import at a time; one that is not is read by itself;
* a new import, or a never-started import that was canceled, stays in the run of never-started imports: that run is
  read only while the poll has a reason to (an import known to be waiting to start, or a ``totalCount`` that grew
  by more than the new imports already seen).

When nothing changed and no import waits to start, a poll is one request: page 1.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import OrderedDict

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import instant, is_terminal, status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.applications import (
    ApplicationResolver, fetch_application)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import GUID_PATTERN, guid
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import ApiError, InputError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_list import (
    Pages, ends_never_started, never_started, starts_never_started)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.verdicts import failure_cause, log_tail

STATUSES = ("Pending", "Running", "Canceling", "Finished", "Failed", "Canceled")
DEFAULT_MAX_TRACKED = 5000
MIN_MAX_TRACKED = 100


# The source's options: (name, environment variable or None, default). The connection options and their variables
# are those of every module (doc fragment connection.py, arguments.py).
SOURCE_OPTIONS = (
    ("pa_url", "PA_URL", None),
    ("pa_token", "PA_TOKEN", None),
    ("validate_certs", "PA_VALIDATE_CERTS", True),
    ("ca_path", "PA_CA_PATH", None),
    ("request_timeout", "PA_REQUEST_TIMEOUT", 30.0),
    ("request_retries", "PA_REQUEST_RETRIES", 3),
    ("interval", None, 30.0),
    ("applications", None, None),
    ("statuses", None, None),
    ("emit_existing", None, False),
    ("max_tracked", None, DEFAULT_MAX_TRACKED),
)
TRUE_WORDS = ("1", "true", "yes", "on", "y", "t")
FALSE_WORDS = ("0", "false", "no", "off", "n", "f")


def source_settings(args, environ):
    """The source's arguments checked and typed, with the environment fallbacks; raises InputError naming the option.

    ``args`` are the rulebook's source arguments; keys ansible-rulebook adds itself (``eda_*``) are ignored.
    """
    names = [name for name, dummy, dummy2 in SOURCE_OPTIONS]
    unknown = sorted(key for key in args if key not in names and not str(key).startswith("eda_"))
    if unknown:
        raise InputError(unknown[0], "unknown option; the options are {0}".format(", ".join(names)))
    settings = {}
    for name, variable, default in SOURCE_OPTIONS:
        value = args.get(name)
        if value is None and variable is not None:
            value = environ.get(variable)
        settings[name] = default if value is None else value
    for name in ("pa_url", "pa_token"):
        if not isinstance(settings[name], str) or not settings[name].strip():
            raise InputError(name, "required: set it in the rulebook or in the environment variable {0}".format(
                dict((n, v) for n, v, dummy in SOURCE_OPTIONS)[name]))
    for name in ("validate_certs", "emit_existing"):
        settings[name] = _boolean(name, settings[name])
    settings["request_timeout"] = _number(name="request_timeout", value=settings["request_timeout"], kind=float)
    settings["request_retries"] = _number(name="request_retries", value=settings["request_retries"], kind=int)
    settings["interval"] = _number(name="interval", value=settings["interval"], kind=float)
    if settings["interval"] <= 0:
        raise InputError("interval", "must be greater than 0 seconds")
    settings["max_tracked"] = _number(name="max_tracked", value=settings["max_tracked"], kind=int)
    if settings["max_tracked"] < MIN_MAX_TRACKED:
        raise InputError("max_tracked", "must be at least {0}".format(MIN_MAX_TRACKED))
    settings["applications"] = check_applications(settings["applications"])
    settings["statuses"] = check_statuses(settings["statuses"])
    return settings


def _boolean(name, value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise InputError(name, "{0!r} is not a boolean (true or false)".format(value))


def _number(name, value, kind):
    if isinstance(value, bool):
        raise InputError(name, "{0!r} is not a number".format(value))
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise InputError(name, "{0!r} is not {1}".format(value, "an integer" if kind is int else "a number"))


def check_statuses(statuses, field="statuses"):
    """The statuses to emit, canonical spelling; None for all. Compared ignoring case (the vendor pages disagree)."""
    if statuses is None:
        return None
    if isinstance(statuses, str):
        statuses = [part for part in statuses.split(",") if part.strip()]
    if not isinstance(statuses, (list, tuple)) or not statuses:
        raise InputError(field, "expected a non-empty list of statuses, any of {0}".format(", ".join(STATUSES)))
    canonical = dict((status.lower(), status) for status in STATUSES)
    chosen = []
    for index, value in enumerate(statuses):
        key = str(value).strip().lower()
        if key not in canonical:
            raise InputError("{0}[{1}]".format(field, index), "{0!r} is not an import status; expected any of {1}"
                             .format(value, ", ".join(STATUSES)))
        chosen.append(canonical[key])
    return chosen


def check_applications(applications, field="applications"):
    """A list of application GUIDs (ids) and names, as the stage module reads them; None for every application."""
    if applications is None:
        return None
    if isinstance(applications, str):
        applications = [part.strip() for part in applications.replace("\n", ",").split(",") if part.strip()]
    if not isinstance(applications, (list, tuple)) or not applications:
        raise InputError(field, "expected a non-empty list of application ids or names")
    for index, value in enumerate(applications):
        if not isinstance(value, str) or not value.strip():
            raise InputError("{0}[{1}]".format(field, index), "expected an application id or name, got {0!r}"
                             .format(value))
    return [value.strip() for value in applications]


class ImportWatcher:
    """Turns successive reads of the import list into one event per status change.

    ``poll()`` reads, compares with what it remembers and returns the events; it changes its memory only when every
    read of the poll succeeded, so a poll that fails part-way is simply done again: no change is lost or repeated.
    The first poll takes the baseline: it emits nothing unless ``emit_existing``.
    """

    def __init__(self, api, applications=None, statuses=None, emit_existing=False, max_tracked=DEFAULT_MAX_TRACKED):
        self.api = api
        self.wanted_applications = applications
        self.application_ids = None  # resolved at the first poll; None: every application
        self.statuses = set(status.lower() for status in statuses) if statuses else None
        self.emit_existing = emit_existing
        self.max_tracked = max(max_tracked, MIN_MAX_TRACKED)
        self.known = OrderedDict()  # id -> {"status" (lower case), "display", "buildStart", "number"}; oldest seen first
        self.total = None  # totalCount at the last poll
        self.newest_start = None  # the newest buildStart the last poll saw (a datetime)
        self.baselined = False
        self.polls = 0
        self.list_requests = 0
        self.import_requests = 0

    # One poll

    def poll(self):
        if self.application_ids is None and self.wanted_applications is not None:
            self.application_ids = self._resolve_applications()
        pages = Pages(self.api)
        started, unstarted_missing, new_started = self._read_started(pages)
        new_expected = 0 if self.total is None else pages.total - self.total - len(new_started)
        nulls = OrderedDict()
        if not self.baselined or unstarted_missing or new_expected > 0:
            nulls = self._read_unstarted(pages)
        seen = OrderedDict(started)
        seen.update(nulls)
        changes = self._changes(started, nulls, new_started, new_expected)
        missing = [import_id for import_id, memory in self.known.items()
                   if import_id not in seen and not _ended(memory["status"])]
        read_alone = {}
        for import_id in missing:
            record = self._read_import(import_id)
            read_alone[import_id] = record
            if record is not None and status_of(record) != self.known[import_id]["status"]:
                changes.append((record, self.known[import_id]["display"]))
        events = [self._event(row, previous) for row, previous in sorted(changes, key=_by_number)
                  if self._emits(row)]
        self._remember(seen, read_alone, pages.total)
        self.polls += 1
        self.list_requests += pages.requests
        return events

    def _read_started(self, pages):
        """Read from page 1 until every import that started since the last poll was on a page.

        Returns ({id: row} of the started imports read, the never-started imports known but not among them, {id: row}
        of those that started since the last poll and were not known). A running import that is not on these pages
        (it cannot be, while the build job runs one import at a time) is read by itself afterwards.
        """
        rows = OrderedDict()
        page = 1
        while True:
            page_rows = pages.read(page)
            started_here = [row for row in page_rows if not never_started(row)]
            rows.update((row["id"], row) for row in started_here)
            if page >= pages.last or (ends_never_started(page_rows) and not pages.nulls_first):
                break
            if pages.nulls_first and not rows:
                page += 1  # still in the never-started run that comes first
                continue
            if not self._may_have_started(pages) or not self._before_frontier(started_here):
                break
            page += 1
        new_started = OrderedDict((i, row) for i, row in rows.items() if self.baselined and self._started_since(i, row))
        unstarted_missing = [i for i, m in self.known.items()
                             if not _ended(m["status"]) and never_started(m) and i not in rows]
        return rows, unstarted_missing, new_started

    def _may_have_started(self, pages):
        """Whether any import can have started since the last poll: one known to wait to start, or a new one (the
        total count changed). Build starts have second precision, so this, not the timestamps, spares page 2 when
        more than a page of imports started in the same second as the newest start."""
        if pages.total != self.total:
            return True
        return any(never_started(m) and not _ended(m["status"]) for m in self.known.values())

    def _before_frontier(self, started_rows):
        """Whether the next page can still hold an import that started since the last poll."""
        if not self.baselined:
            return False  # the baseline reads page 1 only, of the started ones
        oldest = instant(started_rows[-1]["buildStart"]) if started_rows else None
        if oldest is None or self.newest_start is None:
            return True  # a timestamp that cannot be read: read on rather than miss a change
        return oldest >= self.newest_start

    def _started_since(self, import_id, row):
        memory = self.known.get(import_id)
        if memory is not None:
            return False
        start = instant(row.get("buildStart"))
        return self.newest_start is None or start is None or start >= self.newest_start

    def _read_unstarted(self, pages):
        """Every never-started import: the run of null buildStart at one end of the list."""
        rows = OrderedDict()
        if pages.nulls_first:
            page = 1
            while page <= pages.last:
                page_rows = pages.read(page)
                rows.update((row["id"], row) for row in page_rows if never_started(row))
                if not ends_never_started(page_rows):
                    break
                page += 1
        else:
            page = pages.last
            while page >= 1:
                page_rows = pages.read(page)
                rows.update((row["id"], row) for row in page_rows if never_started(row))
                if not starts_never_started(page_rows):
                    break
                page -= 1
        return rows

    def _changes(self, started, nulls, new_started, new_expected):
        """[(row, previous status or None)] for every status change the pages show."""
        changes = []
        if not self.baselined:
            if self.emit_existing:
                changes.extend((row, None) for row in list(started.values()) + list(nulls.values()))
            return changes
        for rows in (started, nulls):
            for import_id, row in rows.items():
                memory = self.known.get(import_id)
                if memory is not None and memory["status"] != status_of(row):
                    changes.append((row, memory["display"]))
        changes.extend((row, None) for row in new_started.values())
        unknown_nulls = [row for import_id, row in nulls.items() if import_id not in self.known]
        # A never-started import not known: new when it is active (active imports are never forgotten); when it has
        # ended (canceled before it started), new only as far as totalCount grew: it may be one forgotten long ago.
        active = [row for row in unknown_nulls if not is_terminal(row)]
        changes.extend((row, None) for row in active)
        ended = sorted((row for row in unknown_nulls if is_terminal(row)), key=_by_number_row, reverse=True)
        changes.extend((row, None) for row in ended[:max(new_expected - len(active), 0)])
        return changes

    def _read_import(self, import_id):
        """The full record of an import the pages did not show (it moved between two page reads); None if gone."""
        self.import_requests += 1
        try:
            return self.api.get_import(import_id)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def _emits(self, row):
        if self.statuses is not None and status_of(row) not in self.statuses:
            return False
        if self.application_ids is None:
            return True
        return ((row.get("application") or {}).get("id") or "").lower() in self.application_ids

    def _event(self, row, previous):
        application = row.get("application") or {}
        event = {
            "id": row.get("id"),
            "number": row.get("number"),
            "status": row.get("status"),
            "previous_status": previous,
            "type": row.get("type"),
            "application": {"id": application.get("id"), "name": application.get("name")},
            "buildStart": row.get("buildStart"),
            "buildEnd": row.get("buildEnd"),
        }
        if status_of(row) == "failed":
            record = row if "log" in row else self._read_import(row["id"])
            event["log_tail"] = log_tail(record) if record else []
            event["cause"] = failure_cause(record) if record else None
        return {"pa_import": event}

    def _remember(self, seen, read_alone, total):
        for import_id, row in seen.items():
            self._touch(import_id, row)
        for import_id, record in read_alone.items():
            if record is None:
                self.known.pop(import_id, None)  # gone from the server
            else:
                self._touch(import_id, record)
        starts = [start for start in (instant(row.get("buildStart")) for row in seen.values()) if start is not None]
        if starts:
            self.newest_start = max(starts + ([self.newest_start] if self.newest_start else []))
        self.total = total
        self.baselined = True
        self._evict(seen)

    def _touch(self, import_id, row):
        self.known.pop(import_id, None)
        self.known[import_id] = {"status": status_of(row), "display": row.get("status"),
                                 "buildStart": row.get("buildStart"), "number": row.get("number")}

    def _evict(self, seen):
        """Forget the least recently seen ended imports beyond ``max_tracked``; active ones and this poll's stay."""
        excess = len(self.known) - self.max_tracked
        if excess <= 0:
            return
        for import_id in list(self.known):
            if excess <= 0:
                break
            if _ended(self.known[import_id]["status"]) and import_id not in seen:
                del self.known[import_id]
                excess -= 1

    def _resolve_applications(self):
        """Application ids (lower case) for ``applications``: a GUID is an id (checked to exist), any other text a
        name, matched as the stage module matches it (one read of the application list for all names)."""
        resolver = ApplicationResolver(self.api)
        ids = set()
        for index, value in enumerate(self.wanted_applications):
            field = "applications[{0}]".format(index)
            if GUID_PATTERN.match(value):
                ids.add(fetch_application(self.api, guid(field, value), field)["id"].lower())
            else:
                ids.add(resolver.by_name(value, field)["id"].lower())
        return ids

    def stats(self):
        return {"polls": self.polls, "list_requests": self.list_requests, "import_requests": self.import_requests,
                "tracked": len(self.known)}


def _ended(status):
    return status in ("finished", "failed", "canceled")


def _by_number(change):
    return _by_number_row(change[0])


def _by_number_row(row):
    number = row.get("number")
    return number if isinstance(number, int) else -1

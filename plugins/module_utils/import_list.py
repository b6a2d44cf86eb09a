# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one reader of the import list (``GET /application-imports``, contract 6.3), and what its order tells.

The sort assumption, here and nowhere else: the list is sorted by ``buildStart``, newest first (PAGE_SIZE rows a
page), and imports that never started (null ``buildStart``: every Pending one) sort together at one end, the last
page or page 1 depending on how the server sorts nulls (docs/decisions.md). Page 1 says which end
(``Pages.nulls_first``). So:

* an application's Pending imports are on its list's first or last page (ImportSnapshot: two requests at most);
* every Pending import of every application is on the pages from the never-started end up to the first started
  import (PendingIndex);
* the imports a wait looks for are on page 1 (the newest starts), at the never-started end, or between page 1 and
  the newest start the previous poll saw (ListPoller);
* the EDA watcher (import_events.py) reads the same ends through Pages.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import PermissionAssistError

PAGE_SIZE = 50
PAGE_LIMIT = 10000  # a guard against a server that never reports the last page
LATE_COMMIT_POLL = 0.5


def never_started(row):
    return row.get("buildStart") is None


def starts_never_started(rows):
    """Whether a page begins in the run of never-started imports."""
    return bool(rows) and never_started(rows[0])


def ends_never_started(rows):
    """Whether a page ends in the run of never-started imports."""
    return bool(rows) and never_started(rows[-1])


def newest_first(rows):
    return sorted(rows, key=lambda row: row.get("number") or 0, reverse=True)


class OutOfTime(Exception):
    """The deadline passed between two requests of one read: send no more."""


class Pages:
    """The pages of one read of the import list (every application's, or ``application_id``'s), each requested once.

    ``rows`` maps each page read to its rows. Page 1 (read first) gives ``total`` (totalCount), ``last`` (the last
    page) and ``nulls_first`` (never-started imports sort at page 1's end of the list). With a ``deadline`` (and its
    ``clock``) no request but the first starts after it (OutOfTime), and the client stops retrying at it.
    ``on_rows(rows)`` sees the rows of each page as it is read.
    """

    def __init__(self, api, application_id=None, deadline=None, clock=None, on_rows=None):
        self.api = api
        self.application_id = application_id
        self.deadline = deadline
        self.clock = clock
        self.on_rows = on_rows
        self.rows = {}
        self.requests = 0
        self.total = 0
        self.last = 1
        self.nulls_first = False

    def read(self, page):
        if page not in self.rows:
            if self.rows and self.deadline is not None and self.clock() >= self.deadline:
                raise OutOfTime()  # the first request may start at the deadline (a wait's sleep ends there), no other
            self.requests += 1
            envelope = self.api.list_imports_page(self.application_id, page, deadline=self.deadline)
            self.rows[page] = envelope.get("items") or []
            if page == 1:
                self.total = envelope.get("totalCount") or 0
                self.last = min(max(envelope.get("totalPages") or 1, 1), PAGE_LIMIT)
                self.nulls_first = starts_never_started(self.rows[1])
            if self.on_rows is not None:
                self.on_rows(self.rows[page])
        return self.rows[page]


# Reuse and reconciliation: which imports an application has before and after a request

class ImportSnapshot:
    """The imports at both ends of an application's list: page 1 and the last page.

    Its Pending imports sort at one end, so reading both ends finds them in at most two requests whatever the length
    of the history.
    """

    def __init__(self, api, application_id):
        pages = Pages(api, application_id)
        rows = list(pages.read(1))
        if pages.last > 1:
            rows.extend(pages.read(pages.last))
        self.rows = rows
        self.ids = set(row["id"] for row in rows)

    sees_started = True  # both ends of the application's list: a started import it did not have is new

    def pending_newest_first(self):
        return newest_first([row for row in self.rows if status_of(row) == "pending"])

    def new_rows(self, after):
        """The rows of a later snapshot that this one did not have: what a stage request may have created."""
        return [row for row in after.rows if row["id"] not in self.ids]

    @staticmethod
    def undecidable(after):
        """Rows of a later snapshot that may or may not be new: none, this snapshot saw both ends of the list."""
        return []


class PendingIndex:
    """Every Pending import of every application, from the never-started end of the unfiltered import list.

    The pages from that end up to the first started import name all of them, whatever the number of applications.
    ``walk`` reads them only while that costs fewer requests than reading each application's own list would
    (``page_budget``).
    """

    def __init__(self, by_application, pages):
        self.by_application = by_application
        self.pages = pages

    @classmethod
    def walk(cls, api, page_budget):
        """(the index, or None when it cannot settle the batch, and the pages read). None: more than ``page_budget``
        pages would be needed, a page past the first came back empty (the list shrank while it was read), or a
        Pending row names no application. Page 1 is read first: it says how many pages there are and which end is
        never-started."""
        if page_budget < 1:
            return None, 0
        pages = Pages(api)
        rows = pages.read(1)
        # Never-started imports first: forward from page 2 while the run reached the end of the page before.
        # Last: back from the last page while the run began before the page just read.
        forward = pages.nulls_first
        for page in (range(2, pages.last + 1) if forward else range(pages.last, 1, -1)):
            if forward and not ends_never_started(rows):
                break
            if len(pages.rows) >= page_budget:
                return None, len(pages.rows)
            rows = pages.read(page)
            if not rows:
                return None, len(pages.rows)
            if not forward and not starts_never_started(rows):
                break
        by_application = {}
        for rows in pages.rows.values():
            for row in rows:
                if status_of(row) != "pending" or not never_started(row):
                    continue
                application_id = str((row.get("application") or {}).get("id") or "").lower()
                if not application_id:
                    return None, len(pages.rows)
                by_application.setdefault(application_id, []).append(row)
        return cls(by_application, len(pages.rows)), len(pages.rows)

    def pending_newest_first(self, application_id):
        return newest_first(self.by_application.get(application_id.lower(), []))

    def add(self, record):
        """An import this batch just staged: Pending, so a later item naming the same application reuses it."""
        application_id = str((record.get("application") or {}).get("id") or "").lower()
        if record.get("id") and application_id and status_of(record) == "pending":
            self.by_application.setdefault(application_id, []).append(record)

    def before(self, application_id):
        """What a lost stage answer is reconciled against: the application's Pending imports as the walk saw them."""
        return PendingBefore(self.by_application.get(application_id.lower(), []))


class PendingBefore:
    """An application's imports before a stage request, as far as a PendingIndex knows them: its Pending ones.

    Its started imports were not read, so only a new Pending import can be told apart as the one the request
    created; an import of the application that has already started or ended may be it too, so without a new
    Pending one the outcome is unknown (``sees_started`` false), its active imports named as candidates.
    """

    sees_started = False

    def __init__(self, rows):
        self.rows = list(rows)
        self.ids = set(row["id"] for row in self.rows)

    def new_rows(self, after):
        return [row for row in after.rows if row["id"] not in self.ids and status_of(row) == "pending"]

    def undecidable(self, after):
        """Running imports of the application: one may be the import the request created, already started."""
        return [row for row in after.rows if row["id"] not in self.ids and status_of(row) == "running"]


def new_imports(api, application_id, before, cause, after=None, keep=None):
    """After a lost answer: the application's imports that ``before`` (an ImportSnapshot or PendingBefore taken
    before the request) did not have, filtered by ``keep`` (rows -> the ones that may be ours) when given. When the
    request timed out the server may still be working on it: read again for one more request timeout while nothing
    new shows up."""
    def look(snapshot):
        rows = before.new_rows(snapshot)
        return keep(rows) if keep is not None and rows else rows

    new = look(after or ImportSnapshot(api, application_id))
    deadline = time.monotonic() + api.client.timeout
    while not new and cause.late_commit_possible and time.monotonic() < deadline:
        time.sleep(LATE_COMMIT_POLL)
        after = ImportSnapshot(api, application_id)
        new = look(after)
    return new


# A wait's poll: where the imports it waits for are

class ListPoller:
    """Finds outstanding imports in the unfiltered import list with few pages.

    Page 1 holds the newest starts; the never-started imports sit together at one end, so the last page (or page 1)
    holds them. Further pages are read only while ids are missing and the pages can still hold them: inward from
    the never-started end while that run continues, and forward from page 1 while the newest start seen at the
    previous poll (the frontier: everything started since sorts before it) has not shown up, at most as many pages
    as the missing ids fill. What is still missing is read one by one by the wait, so the answer is never wrong.
    """

    def __init__(self, api, deadline, clock):
        self.api = api
        self.deadline = deadline
        self.clock = clock
        self.frontier = None
        self.reads = 0
        self.running_seen = False  # a page read by the last poll showed an import Running or Canceling

    def find(self, wanted, unstarted):
        """Return ({id: list row} for the ids of ``wanted`` found, stop); ``unstarted`` are those last seen never
        started. ``stop`` is None, or what ended the poll before its last page (OutOfTime or a failed read): the
        rows of the pages read before it are returned all the same, so what they show is not lost.
        """
        found = {}
        self.running_seen = False

        def scan(rows):
            for row in rows:
                if status_of(row) in ("running", "canceling"):
                    self.running_seen = True
                if row.get("id") in wanted:
                    found[row["id"]] = row

        def missing(ids):
            return [i for i in ids if i not in found]

        pages = Pages(self.api, deadline=self.deadline, clock=self.clock, on_rows=scan)
        read = pages.rows
        try:
            pages.read(1)
            last = pages.last
            if missing(wanted) and last > 1:
                pages.read(last)
            page = last - 1
            while missing(unstarted) and page > 1 and page not in read and starts_never_started(read[page + 1]):
                pages.read(page)
                page -= 1
            budget = -(-len(missing(wanted)) // PAGE_SIZE) + 1
            page = 2
            while missing(wanted) and page < last and page not in read:
                in_unstarted_run = pages.nulls_first and ends_never_started(read[page - 1])
                before_frontier = self.frontier is not None and not self._frontier_seen(read, page)
                if not in_unstarted_run:
                    if budget <= 0 or not before_frontier:
                        break
                    budget -= 1
                pages.read(page)
                page += 1
        except (OutOfTime, PermissionAssistError) as exc:
            return found, exc
        finally:
            self.reads += pages.requests
        self._move_frontier(read)
        return found, None

    def _frontier_seen(self, read, upto):
        return any(row.get("id") == self.frontier for page in range(1, upto) for row in read.get(page, []))

    def _move_frontier(self, read):
        page = 1
        while page in read:
            for row in read[page]:
                if not never_started(row):
                    self.frontier = row.get("id")
                    return
            page += 1

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
* an import a stage or upload request created never started, or started after the newest start a read from before
  the request saw: both ends of the application's list (ImportSnapshot), or the walk of a PendingIndex, see every
  place it would be (Known, compare; what to do about it is settle.py's);
* the EDA watcher (import_events.py) reads the same ends through Pages.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PAGE_LIMIT, instant, status_of
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import PermissionAssistError

PAGE_SIZE = 50


def application_id_of(row):
    """The application id an import row names, in lower case; "" when it names none."""
    return str((row.get("application") or {}).get("id") or "").lower()


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
        self.page_counts = []  # the totalPages each read reported (rows moved between reads when they differ)
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
            self.page_counts.append(envelope.get("totalPages") or 1)
            if page == 1:
                self.total = envelope.get("totalCount") or 0
                self.last = min(max(envelope.get("totalPages") or 1, 1), PAGE_LIMIT)
                self.nulls_first = starts_never_started(self.rows[1])
            if self.on_rows is not None:
                self.on_rows(self.rows[page])
        return self.rows[page]


# Reuse and settling: which imports an application has before and after a request

class ImportSnapshot:
    """The imports at both ends of an application's list: page 1 and the last page.

    Its Pending imports sort at one end, so reading both ends finds them in at most two requests whatever the length
    of the history.
    """

    def __init__(self, api, application_id):
        pages = Pages(api, application_id)
        pages.read(1)
        if pages.last > 1:
            pages.read(pages.last)
        self.pages = pages.rows
        self.page_counts = pages.page_counts
        self.rows = [row for number in sorted(self.pages) for row in self.pages[number]]

    def pending_newest_first(self):
        return newest_first([row for row in self.rows if status_of(row) == "pending"])

    def known(self):
        """What these two ends show, for telling a new import from an older one."""
        return Known.from_pages(self.pages, self.page_counts)

    def since(self, before):
        """compare(before, ...) against these two ends: (new, undecidable, conclusive)."""
        return compare(before, self.rows, self.known())


class PendingIndex:
    """Every Pending import of every application, from the never-started end of the unfiltered import list.

    The pages from that end up to the first started import name all of them, whatever the number of applications.
    ``walk`` reads them only while that costs fewer requests than reading each application's own list would
    (``page_budget``).
    """

    def __init__(self, by_application, pages, rows=()):
        self.by_application = by_application
        self.pages = pages
        self.rows = list(rows)  # every row the walk read: every never-started import, and the newest start
        self.seen_ids = set(row["id"] for row in self.rows)
        self._known = None

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
                application_id = application_id_of(row)
                if not application_id:
                    return None, len(pages.rows)
                by_application.setdefault(application_id, []).append(row)
        return cls(by_application, len(pages.rows), [row for rows in pages.rows.values() for row in rows]), \
            len(pages.rows)

    def pending_newest_first(self, application_id):
        return newest_first(self.by_application.get(application_id.lower(), []))

    def add(self, record):
        """An import this batch just staged: Pending, so a later item naming the same application reuses it."""
        application_id = application_id_of(record)
        if record.get("id"):
            self.seen_ids.add(record["id"])
        if record.get("id") and application_id and status_of(record) == "pending":
            self.by_application.setdefault(application_id, []).append(record)

    def before(self, application_id):
        """What a failed stage request is settled against: the application's Pending imports as the walk saw them,
        and what the walk knows of the whole list (every never-started import, the newest start)."""
        return PendingBefore(self.by_application.get(application_id.lower(), []), self)

    def known(self):
        """The walk's Known, read once; its ids are the live set, growing with what the batch stages."""
        if self._known is None:
            self._known = Known.from_rows(self.seen_ids, self.rows)
        return self._known


class PendingBefore:
    """An application's imports before a stage request, as far as a PendingIndex knows them: its Pending ones (for
    reuse) and the walk's view of the list (``known``: a later started import is new only if it started after the
    newest start the walk saw)."""

    def __init__(self, rows, index):
        self.rows = list(rows)
        self._index = index

    def known(self):
        return self._index.known()


# Telling a new import from an older one (settle.py decides what to do with it)

class Known:
    """What a read of an application's imports (or of the whole list) showed: the ids it saw, whether it saw every
    never-started import, and the newest build start it saw, when it saw the newest one there was."""

    def __init__(self, ids, never_started_complete, newest_start, newest_start_known):
        self.ids = ids if isinstance(ids, set) else set(ids)
        self.never_started_complete = never_started_complete
        self.newest_start = newest_start
        self.newest_start_known = newest_start_known

    @classmethod
    def from_pages(cls, pages, total_pages):
        """From some pages of the list: ``pages`` {page number: rows}, ``total_pages`` the page counts those reads
        reported. Every read must agree on the page count, else rows moved between them and nothing is known to be
        complete."""
        rows = [row for number in sorted(pages) for row in pages[number]]
        counts = set(total_pages)
        last = max(counts) if counts else 1
        consistent = len(counts) <= 1
        ids = [row["id"] for row in rows]
        if consistent and all(number in pages for number in range(1, last + 1)):
            return cls.from_rows(ids, rows)
        first = pages.get(1) or []
        if not consistent or not first:
            return cls(ids, False, None, False)
        started_on_first = [row for row in first if not never_started(row)]
        if never_started(first[0]):  # never-started first, then the newest starts
            if not started_on_first:
                return cls(ids, False, None, False)
            return cls(ids, True, started_on_first[0]["buildStart"], True)
        end = pages.get(last) or []  # the newest starts first, never-started last, after the oldest starts
        return cls(ids, any(not never_started(row) for row in end), first[0]["buildStart"], True)

    @classmethod
    def from_rows(cls, ids, rows):
        """``rows`` hold every never-started row and the newest start there was (or show that nothing started);
        ``ids`` every row seen."""
        starts = [row["buildStart"] for row in rows if not never_started(row)]
        moments = [instant(start) for start in starts]
        if any(moment is None for moment in moments):
            return cls(ids, True, None, False)
        newest = max(zip(moments, starts))[1] if starts else None
        return cls(ids, True, newest, True)

    def new_in_sight(self):
        """Whether a read like this one sees every place a new import of the application would be: the
        never-started rows, and the newest starts (where one started since would be)."""
        return self.never_started_complete and self.newest_start_known


def compare(before, after_rows, after):
    """(new rows, undecidable rows, conclusive) of ``after_rows`` against ``before`` (a Known taken before the
    request); ``after`` is the Known of the look itself.

    A row ``before`` did not see is new when it never started (``before`` saw every never-started row) or when it
    started after the newest start ``before`` saw; a start at that same second, or a start ``before`` cannot place,
    is undecidable.
    """
    new, undecidable = [], []
    newest = instant(before.newest_start)
    for row in after_rows:
        if row["id"] in before.ids:
            continue
        if never_started(row):
            (new if before.never_started_complete else undecidable).append(row)
            continue
        if not before.newest_start_known:
            undecidable.append(row)
            continue
        if before.newest_start is None:  # nothing had started then: whatever started since is new
            new.append(row)
            continue
        moment = instant(row["buildStart"])
        if moment is None or newest is None or moment == newest:
            undecidable.append(row)
        elif moment > newest:
            new.append(row)
    return new, undecidable, after.new_in_sight()


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

"""wait_for_imports against a scripted list: which pages each poll reads, fallbacks, timeouts and failed reads."""

import pytest

from ansible_collections.sycorr.permission_assist.plugins.module_utils.stage_batch import wait_for_results
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import ApiError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.wait import wait_for_imports


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def sleep(self, seconds):
        self.now += seconds

    def __call__(self):
        return self.now


class FakeServer:
    """Imports sorted buildStart descending with never-started ones at one end; a build job run by hand."""

    def __init__(self, history=120, nulls_first=False):
        self.rows = [{"id": "h{0}".format(n), "number": n, "status": "Finished", "buildStart": n, "buildEnd": n}
                     for n in range(1, history + 1)]
        self.nulls_first = nulls_first
        self.clock = 1000
        self.pages_read = []
        self.gets = []
        self.fail_list_at = None

    def stage(self, count):
        start = len(self.rows) + 1
        for n in range(start, start + count):
            self.rows.append({"id": "i{0}".format(n), "number": n, "status": "Pending", "buildStart": None,
                              "buildEnd": None, "log": None})
        return {row["id"]: dict(row) for row in self.rows[-count:]}

    def run(self, import_id, status="Finished"):
        row = self.by_id(import_id)
        self.clock += 1
        row.update(status=status, buildStart=self.clock, buildEnd=self.clock if status != "Running" else None)

    def by_id(self, import_id):
        return next(row for row in self.rows if row["id"] == import_id)

    def ordered(self):
        started = sorted((r for r in self.rows if r["buildStart"] is not None),
                         key=lambda r: (r["buildStart"], r["number"]), reverse=True)
        never = sorted((r for r in self.rows if r["buildStart"] is None), key=lambda r: r["number"], reverse=True)
        return never + started if self.nulls_first else started + never

    # the PermissionAssistApi methods wait_for_imports uses
    def list_imports_page(self, application_id, page, deadline=None):
        assert application_id is None and deadline is not None
        if self.fail_list_at is not None and len(self.pages_read) >= self.fail_list_at:
            raise ApiError("GET", "/application-imports", 503, error="server_error")
        self.pages_read.append(page)
        rows = self.ordered()
        items = [{k: v for k, v in row.items() if k != "log"} for row in rows[(page - 1) * 50:page * 50]]
        return {"items": items, "totalCount": len(rows), "totalPages": -(-len(rows) // 50), "page": page}

    def get_import(self, import_id, deadline=None):
        assert deadline is not None
        self.gets.append(import_id)
        record = dict(self.by_id(import_id))
        record["log"] = "Import started.\nError: boom" if record["status"] == "Failed" else "Import started."
        return record


def waiter(server, script, timeout=100.0, poll_interval=1.0):
    """Run ``script[k]()`` before poll k (the build job moving between two polls); ``pages`` lists each poll's."""
    clock = FakeClock()
    marks = []

    def sleep(seconds):
        clock.sleep(seconds)
        if len(marks) < len(script):
            script[len(marks)]()
        marks.append(len(server.pages_read))

    def pages():
        ends = marks[1:] + [len(server.pages_read)]
        return [server.pages_read[start:end] for start, end in zip(marks, ends)]

    def run(records, wait=wait_for_imports, **kwargs):  # or wait_for_results with the batch items
        return wait(server, records, timeout, poll_interval, sleep=sleep, clock=clock, **kwargs)
    return run, pages


@pytest.mark.parametrize("nulls_first", [False, True])
def test_all_finish_with_one_or_two_pages_per_poll_and_one_get_per_ended_import(nulls_first):
    server = FakeServer(nulls_first=nulls_first)
    records = server.stage(10)
    ids = sorted(records, key=lambda i: int(i[1:]))

    def run_some(first, last):
        return lambda: [server.run(i) for i in ids[first:last]]
    run = waiter(server, [run_some(0, 3), run_some(3, 3), run_some(3, 10)])[0]
    result = run(records)
    assert not result.outstanding and not result.timed_out and result.error is None
    assert result.polls == 3
    assert result.list_reads <= 2 * result.polls
    assert sorted(server.gets) == sorted(ids)  # one full read per import, when it ended; no fallback
    assert result.fallback_reads == 0 and result.final_reads == 10
    assert all(result.records[i]["log"] == "Import started." for i in ids)


def test_more_than_a_page_of_pending_imports_walks_the_null_run_only():
    server = FakeServer(history=120)
    records = server.stage(120)  # 240 rows in 5 pages: history on pages 1-3, never-started rows on pages 3-5
    run, pages = waiter(server, [], timeout=5)
    result = run(records)
    assert result.timed_out and result.outstanding == set(records)
    assert pages()[:-1] and all(poll == [1, 5, 4, 3] for poll in pages()[:-1])
    assert pages()[-1] == [1]  # the poll at the deadline sends its first read and nothing after it
    assert server.gets == []


def test_frontier_walk_finds_an_import_that_started_beyond_page_one():
    server = FakeServer(history=120)
    ids = sorted(server.stage(60), key=lambda i: int(i[1:]))
    tracked = {ids[0]: server.by_id(ids[0]).copy()}

    def then_55_more():
        server.run(ids[0])
        for import_id in ids[1:56]:
            server.run(import_id)
    run, pages = waiter(server, [lambda: server.run(ids[59]), then_55_more])
    result = run(tracked, list_always=True)  # one import would be read by id: this is about the list walk
    assert not result.outstanding and result.polls == 2
    assert pages()[1] == [1, 4, 2]  # page 1, the last page, then page 2 until the previous newest start shows up
    assert result.fallback_reads == 0 and server.gets == [ids[0]]


def test_an_import_that_is_nowhere_in_the_pages_read_is_read_by_itself():
    server = FakeServer(history=120)
    records = server.stage(2)
    ids = sorted(records)
    others = server.stage(60)

    def bury():  # before the first poll there is no frontier, so nothing is walked for beyond page 1
        server.run(ids[0])
        for import_id in sorted(others):
            server.run(import_id)
    run = waiter(server, [bury, lambda: server.run(ids[1])])[0]
    result = run(records)
    assert not result.outstanding
    assert result.fallback_reads == 1 and server.gets.count(ids[0]) == 1
    assert result.records[ids[0]]["status"] == "Finished"


def test_timeout_keeps_every_record_and_names_the_outstanding_ones():
    server = FakeServer()
    records = server.stage(3)
    ids = sorted(records)
    run = waiter(server, [lambda: server.run(ids[0]), lambda: server.run(ids[1], "Running")],
                 timeout=10, poll_interval=2)[0]
    result = run(records)
    assert result.timed_out and result.outstanding == {ids[1], ids[2]}
    assert result.records[ids[0]]["status"] == "Finished"
    assert result.records[ids[1]]["status"] == "Running" and result.records[ids[2]]["status"] == "Pending"
    assert result.waited <= 10


def test_a_failed_list_read_stops_the_wait_and_keeps_the_records():
    server = FakeServer()
    records = server.stage(3)
    ids = sorted(records)
    server.fail_list_at = 2  # the first poll reads 2 pages; the second poll's first read fails
    run = waiter(server, [lambda: server.run(ids[0], "Failed"), lambda: server.run(ids[1])])[0]
    result = run(records)
    assert isinstance(result.error, ApiError) and not result.timed_out
    assert result.outstanding == {ids[1], ids[2]}
    assert result.records[ids[0]]["status"] == "Failed" and "Error: boom" in result.records[ids[0]]["log"]
    assert result.records[ids[1]]["status"] == "Pending"


def test_a_vanished_import_is_reported_gone_not_waited_for():
    server = FakeServer()
    records = server.stage(2)
    ids = sorted(records)

    def vanish():
        server.rows.remove(server.by_id(ids[0]))
        server.run(ids[1])
    original = server.get_import

    def get_import(import_id, deadline=None):
        if import_id == ids[0]:
            raise ApiError("GET", "/application-imports/" + import_id, 404, error="not_found")
        return original(import_id, deadline)
    server.get_import = get_import
    run = waiter(server, [vanish])[0]
    result = run(records)
    assert set(result.gone) == {ids[0]} and not result.outstanding


def staged_items(records):
    """The batch items wait_for_results updates in place, one per staged import."""
    return [{"failed": False, "import_id": i, "application_import": record, "msg": "staged"}
            for i, record in sorted(records.items())]


def test_the_page_read_at_the_deadline_settles_the_imports_it_shows_ended():
    server = FakeServer(history=120)
    records = server.stage(60)  # 180 rows in 4 pages: a poll reads page 1, then the last page for the Pending ones
    ids = sorted(records, key=lambda i: int(i[1:]))
    run, pages = waiter(server, [lambda: server.run(ids[0])], timeout=1)
    result = run(records)
    assert pages() == [[1]]  # the only sleep ends at the deadline: page 1 is read, nothing after it
    assert result.timed_out and result.outstanding == set(ids[1:])
    assert result.records[ids[0]]["status"] == "Finished" and result.records[ids[0]]["buildEnd"] is not None
    assert server.gets == []  # no time left for its full record: the list row stays merged into the last one


def test_an_import_ended_on_the_page_read_at_the_deadline_is_reported_finished():
    server = FakeServer(history=120)
    records = server.stage(60)
    ids = sorted(records, key=lambda i: int(i[1:]))
    items = staged_items(records)
    run = waiter(server, [lambda: server.run(ids[0])], timeout=1)[0]
    run(items, wait_for_results)
    by_id = dict((item["import_id"], item) for item in items)
    assert by_id[ids[0]]["wait"] == "finished" and not by_id[ids[0]]["failed"]
    assert all(by_id[i]["wait"] == "timed_out" and by_id[i]["failed"] for i in ids[1:])


def test_a_stale_full_record_after_the_list_showed_the_import_ended_keeps_the_lists_status():
    server = FakeServer()
    records = server.stage(2)
    ids = sorted(records)
    items = staged_items(records)
    original = server.get_import

    def stale_get_import(import_id, deadline=None):  # a replica behind the one that answered the list
        record = original(import_id, deadline)
        record.update(status="Running", buildEnd=None)
        return record
    server.get_import = stale_get_import
    run = waiter(server, [lambda: server.run(ids[0], "Failed"), lambda: server.run(ids[1], "Canceled")])[0]
    run(items, wait_for_results)
    assert [item["wait"] for item in items] == ["failed_build", "canceled"]
    assert items[0]["application_import"]["status"] == "Failed" and items[0]["application_import"]["buildEnd"]
    assert "Error: boom" in items[0]["log_tail"]  # the rest of the full record is kept


def test_a_failed_read_after_page_one_keeps_what_page_one_showed():
    server = FakeServer(history=120)
    records = server.stage(60)
    ids = sorted(records, key=lambda i: int(i[1:]))
    server.fail_list_at = 1  # the first poll reads page 1; its read of the last page fails
    run = waiter(server, [lambda: server.run(ids[0])])[0]
    result = run(records)
    assert isinstance(result.error, ApiError) and not result.timed_out
    assert result.outstanding == set(ids[1:]) and result.records[ids[0]]["status"] == "Finished"

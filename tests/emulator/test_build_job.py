"""The background build job (contract 6.2): lifecycle, one import at a time, cancels, stuck and slow applications."""

import time

from emu_helpers import (CORE_BANKING, DATA_WAREHOUSE, HR_PORTAL, PAYMENTS, RISK_ENGINE, STAMP_Z, TRADING, TREASURY,
                         assert_error)


def test_pending_running_finished(api, emulator):
    before = api.get("/applications/" + CORE_BANKING).json()["lastUpdated"]
    record = api.stage(CORE_BANKING)
    time.sleep(0.3)
    assert api.record(record["id"])["status"] == "Pending"  # paused: nothing runs
    emulator.set_worker(paused=False, build_seconds=0.5)
    running = api.wait_for(record["id"], ("Running",))
    assert STAMP_Z.match(running["buildStart"]) and running["buildEnd"] is None and running["metrics"] is None
    assert running["log"] == "Import started.\nReading files..."
    assert 1 <= len(running["files"]) <= 2
    for item in running["files"]:
        assert set(item) == {"id", "fileGroupId", "fileGroup", "name"} and item["name"]
    done = api.wait_for(record["id"], ("Finished", "Failed", "Canceled"))
    assert done["status"] == "Finished"
    assert STAMP_Z.match(done["buildEnd"]) and done["buildEnd"] >= done["buildStart"]
    assert isinstance(done["metrics"], dict) and done["metrics"]
    assert all(isinstance(value, int) for value in done["metrics"].values())
    assert done["log"].startswith("Import started.\nReading files...") and done["log"].endswith("Import finished.")
    assert done["files"] == running["files"]
    after = api.get("/applications/" + CORE_BANKING).json()["lastUpdated"]
    assert after == done["buildEnd"] and after > before
    assert api.get("/application-imports", applicationId=CORE_BANKING).json()["items"][0]["id"] == record["id"]


def test_data_warehouse_imports_fail(api, emulator):
    history = api.get("/application-imports", applicationId=DATA_WAREHOUSE).json()["items"]
    assert len(history) == 3 and {row["status"] for row in history} == {"Failed"}
    record = api.stage(DATA_WAREHOUSE)
    emulator.set_worker(paused=False)
    done = api.wait_for(record["id"], ("Finished", "Failed", "Canceled"))
    assert done["status"] == "Failed"
    assert done["metrics"] is None and done["buildStart"] and done["buildEnd"]
    assert done["log"].splitlines()[-1].startswith("Error:")


def test_one_import_at_a_time_in_staging_order(api, emulator):
    ids = [api.stage(app)["id"] for app in (HR_PORTAL, PAYMENTS, TREASURY, CORE_BANKING, HR_PORTAL)]
    emulator.set_worker(paused=False, build_seconds=0.15)
    order = []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        stats = emulator.stats()["by_status"]  # one consistent snapshot of every import
        assert stats.get("Running", 0) <= 1, stats
        running = [row["id"] for row in api.get("/application-imports", page=1).json()["items"]
                   if row["status"] == "Running"]
        assert len(running) <= 1
        if running and (not order or order[-1] != running[0]):
            order.append(running[0])
        if stats.get("Pending", 0) == 0 and stats.get("Running", 0) == 0:
            break
        time.sleep(0.01)
    records = [api.record(import_id) for import_id in ids]
    assert all(record["status"] == "Finished" for record in records)
    assert order == ids
    for earlier, later in zip(records, records[1:]):
        assert earlier["buildEnd"] <= later["buildStart"]


def test_cancel_pending_is_skipped_to_canceled_without_starting(api, emulator):
    first = api.stage(HR_PORTAL)
    second = api.stage(PAYMENTS)
    assert api.cancel(first["id"]).json()["status"] == "Canceling"
    time.sleep(0.2)
    assert api.record(first["id"])["status"] == "Canceling"  # the job is paused: it has not reached it
    emulator.set_worker(paused=False)
    done = api.wait_for(first["id"], ("Canceled", "Finished", "Failed"))
    assert done["status"] == "Canceled"
    assert done["buildStart"] is None and done["buildEnd"] is not None
    assert done["metrics"] is None and done["files"] == []
    assert api.wait_for(second["id"], ("Finished",))["buildStart"] is not None


def test_cancel_running_stops_it(api, emulator):
    record = api.stage(TRADING)
    # 10 s for the 5x slower application; no Canceling phase (test_stricter_readings.py covers cancel_seconds)
    emulator.set_worker(paused=False, build_seconds=2.0, cancel_seconds=0)
    api.wait_for(record["id"], ("Running",))
    response = api.cancel(record["id"])
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "Canceling" and body["buildStart"] is not None
    # The build takes 10 s: ending within 2 s as Canceled, without metrics, means the cancel stopped it.
    done = api.wait_for(record["id"], ("Canceled", "Finished", "Failed"), timeout=2)
    assert done["status"] == "Canceled" and done["buildEnd"] is not None and done["metrics"] is None
    assert_error(api.cancel(record["id"]), 409, "conflict")


def test_stuck_application_stays_running_until_canceled(api, emulator):
    record = api.stage(RISK_ENGINE)
    behind = api.stage(HR_PORTAL)
    emulator.set_worker(paused=False, build_seconds=0.05)
    api.wait_for(record["id"], ("Running",))
    time.sleep(0.6)  # twelve build times
    assert api.record(record["id"])["status"] == "Running"
    assert api.record(behind["id"])["status"] == "Pending"  # the queue waits behind it
    assert api.cancel(record["id"]).status_code == 200
    assert api.wait_for(record["id"], ("Canceled",))["buildEnd"]
    api.wait_for(behind["id"], ("Finished",))


def test_slow_application_builds_five_times_longer(api, emulator):
    record = api.stage(TRADING)
    emulator.set_worker(paused=False, build_seconds=0.1)
    api.wait_for(record["id"], ("Running",))
    started = time.monotonic()
    api.wait_for(record["id"], ("Finished",), timeout=5)
    assert time.monotonic() - started >= 0.4


def test_pause_leaves_new_imports_pending(api, emulator):
    emulator.set_worker(paused=False)
    first = api.stage(HR_PORTAL)
    api.wait_for(first["id"], ("Finished",))
    emulator.set_worker(paused=True)
    second = api.stage(HR_PORTAL)
    time.sleep(0.5)
    assert api.record(second["id"])["status"] == "Pending"
    emulator.set_worker(paused=False)
    api.wait_for(second["id"], ("Finished",))


def test_reset_during_a_build_returns_to_the_seed_state(api, emulator):
    record = api.stage(RISK_ENGINE)
    emulator.set_worker(paused=False)
    api.wait_for(record["id"], ("Running",))
    emulator.reset()
    assert_error(api.get("/application-imports/" + record["id"]), 404, "not_found")
    assert emulator.stats()["by_status"].get("Running", 0) == 0
    again = api.stage(HR_PORTAL)
    assert api.wait_for(again["id"], ("Finished",))["status"] == "Finished"  # the job survived the reset

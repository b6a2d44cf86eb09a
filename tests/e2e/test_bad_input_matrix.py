"""Bad input fails before any request, with one line naming the field, and never a traceback."""

import pytest

from pa_testlib import run_module

GOOD = "7c2e91d4-3b5a-4f08-9e61-d5a0c47b28f3"

MATRIX = [
    ("pa_import_stage", {"application_id": ""}, "application_id"),
    ("pa_import_stage", {"application_id": 12}, "application_id"),
    ("pa_import_stage", {"application_id": GOOD + "0"}, "application_id"),
    ("pa_import_stage", {"application_name": "   "}, "application_name"),
    ("pa_import_stage", {"application_id": GOOD, "application_name": "Core Banking"}, "application_id"),
    ("pa_import_stage", {"application_id": GOOD, "reuse_pending": "maybe"}, "reuse_pending"),
    ("pa_import_stage", {"application_id": GOOD, "wait_timeout": "soon"}, "wait_timeout"),
    ("pa_import_stage", {"application_id": GOOD, "poll_interval": 0}, "poll_interval"),
    ("pa_import_stage", {"application_id": GOOD, "colour": "blue"}, "colour"),
    ("pa_import_stage", {"applications": [GOOD, {"id": GOOD, "name": "x"}]}, "applications[1]"),
    ("pa_import_stage", {"applications": [GOOD] * 2000 + [{"name": "ok", "extra": 1}]}, "applications[2000]"),
    ("pa_import_cancel", {"import_id": "{" + GOOD + "}"}, "import_id"),
    ("pa_import_cancel", {"import_ids": [GOOD, "nope"]}, "import_ids[1]"),
    ("pa_import_info", {"status": ["Done"]}, "status"),
    ("pa_application_info", {"name": ""}, "name"),
]


@pytest.mark.parametrize("module,args,field", MATRIX, ids=["{0}:{1}".format(m, f) for m, a, f in MATRIX])
def test_bad_input_names_the_field_before_any_request(emulator, module, args, field):
    before = emulator.stats()["total"]
    run = run_module(emulator, module, args)
    assert run["failed"] is True
    assert field in run["msg"], run["msg"]
    assert "\n" not in run["msg"].strip()
    assert "Traceback" not in run.output and "exception" not in run.result
    assert emulator.stats()["total"] == before


def test_unicode_name_without_match_is_a_clear_error(emulator):
    run = run_module(emulator, "pa_import_stage", {"application_name": "Zürich Kernbank ✓"})
    assert run["failed"] is True and run["msg"] == "application_name: no application is named 'Zürich Kernbank ✓'"


def test_reverse_proxy_path_prefix_works():
    from pa_testlib import start_emulator
    emulator = start_emulator(prefix="/pa")
    try:
        run = run_module(emulator, "pa_import_stage", {"application_name": "HR Portal"})
        assert run.rc == 0 and run["application_import"]["status"] == "Pending", run.output
    finally:
        emulator.stop()

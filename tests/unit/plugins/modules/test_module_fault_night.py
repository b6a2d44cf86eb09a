"""The issue's bad night (issue 21), asserted: 200 applications in one pa_import_stage task while 24 seeded faults
(lost answers, dropped connections, 503 without Retry-After, 429) hit its stage requests. Every application gets
exactly one new import on the first run, none fails, none is staged twice, and a re-run stages nothing.
``python benchmarks/fault_night.py`` prints the same run's figures."""

from pa_fault_night import KINDS, fault_night

APPLICATIONS = 200


def test_a_bad_night_fails_nothing_and_stages_nothing_twice(emulator_with):
    server = emulator_with(extra_applications=APPLICATIONS, worker_paused=True)
    figures = fault_night(server, seed=1, applications=APPLICATIONS, faults=24)
    assert sorted(figures["faults"]) == sorted(KINDS) and sum(figures["faults"].values()) == 24
    assert figures["faults_left_unused"] == 0  # every fault hit a stage request
    assert figures["failures"] == [] and figures["first_run_failed"] is False
    assert figures["staged_twice"] == 0 and figures["exactly_one"] == APPLICATIONS
    assert (figures["rerun_failed"], figures["rerun_staged"], figures["staged_twice_after_rerun"]) == (0, 0, 0)

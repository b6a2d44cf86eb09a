"""A bad night on the server (issue 21): many applications staged by one pa_import_stage task while seeded faults hit
its stage requests.

``fault_night(emulator)`` runs the task in-process (main(), as tests/pa_modulelib.py does) against an emulator that
has ``applications`` load-test applications (``extra_applications``, empty histories) and a paused build job, then
runs it again, and returns the figures: the fault test asserts them, ``benchmarks/fault_night.py`` prints them.

The faults are placed on positions of the stage POSTs the server receives, drawn from ``random.Random(seed)``: the
Nth stage request gets the fault whatever application it is for (a re-sent request is a request too).
"""

import collections
import random

from pa_modulelib import run_module_in_process
from pa_emulator.seed import extra_application_id

STAGE = "^/api/application-imports/stage$"
STAGE_ROUTE = "POST /api/application-imports/stage"

# The four kinds of the night, as the emulator injects them.
KINDS = {
    "lost answer (acted, then dropped)": dict(action="drop_after"),
    "dropped connection (not acted)": dict(action="drop_before"),
    "503 without Retry-After": dict(action="status", status=503, body="json"),
    "429 without Retry-After": dict(action="status", status=429, body="json"),
}


def seeded_faults(seed, applications, faults):
    """[(position among the stage requests, kind)], positions distinct and ascending."""
    rng = random.Random(seed)
    positions = sorted(rng.sample(range(applications), faults))
    return [(position, rng.choice(sorted(KINDS))) for position in positions]


def add_faults(emulator, plan):
    # Rule k sees every stage request except the k that rules before it took: skip = position - k.
    for taken_before, (position, kind) in enumerate(plan):
        emulator.add_fault(method="POST", path=STAGE, skip=position - taken_before, **KINDS[kind])


def imports_per_application(emulator, apps):
    wanted = set(apps)
    counts = collections.Counter()
    with emulator.store.lock:
        for record in emulator.store.imports.values():
            if record["applicationId"] in wanted:
                counts[record["applicationId"]] += 1
    return [counts[app] for app in apps]


def fault_night(emulator, seed=1, applications=200, faults=24, env=None):
    """Run the night and its re-run; the figures as a dict (see ``report``)."""
    emulator.set_worker(paused=True)
    emulator.reset()
    plan = seeded_faults(seed, applications, faults)
    add_faults(emulator, plan)
    apps = [extra_application_id(index) for index in range(1, applications + 1)]
    first = run_module_in_process(emulator, "pa_import_stage", {"applications": apps}, env=env)
    stats = emulator.stats()
    per_application = imports_per_application(emulator, apps)
    failures = [result["msg"] for result in first["application_results"] if result["failed"]]
    again = run_module_in_process(emulator, "pa_import_stage", {"applications": apps}, env=env)
    after_rerun = imports_per_application(emulator, apps)
    return {
        "seed": seed,
        "applications": applications,
        "faults": dict(collections.Counter(kind for dummy, kind in plan)),
        "faults_left_unused": stats["faults_pending"],
        "failed_first_run": len(failures),
        "failures": failures,
        "staged_twice": len([count for count in per_application if count > 1]),
        "not_staged": len([count for count in per_application if count == 0]),
        "exactly_one": len([count for count in per_application if count == 1]),
        "requests": stats["total"],
        "stage_requests": stats["requests"].get(STAGE_ROUTE, 0),
        "first_run_failed": first["failed"],
        "rerun_failed": again["summary"]["failed"],
        "rerun_staged": again["summary"]["staged"],
        "staged_twice_after_rerun": len([count for count in after_rerun if count > 1]),
    }


def report(figures):
    """The figures as lines for a closing note."""
    lines = [
        "seed {seed}: {applications} applications in one pa_import_stage task (applications:), build job paused".format(
            **figures),
        "faults on stage requests: {0} ({1}); unused {2}".format(
            sum(figures["faults"].values()),
            ", ".join("{0} {1}".format(count, kind) for kind, count in sorted(figures["faults"].items())),
            figures["faults_left_unused"]),
        "failed on the first run: {failed_first_run}".format(**figures),
        "staged twice: {staged_twice}; not staged: {not_staged}; exactly one import: {exactly_one}".format(**figures),
        "requests (first run): {requests}, of them stage POSTs: {stage_requests}".format(**figures),
        "re-run: failed {rerun_failed}, staged {rerun_staged}; staged twice after it: {staged_twice_after_rerun}".format(
            **figures),
    ]
    reasons = collections.Counter(message.split(";")[0][:100] for message in figures["failures"])
    lines.extend("  failed: {0} x {1}".format(count, reason) for reason, count in reasons.most_common())
    return lines

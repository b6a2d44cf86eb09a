"""Run ``make STAGE`` for each stage, several at a time; print how long each took and its CPU time (also on failure).

Usage: python3 tools/run_stages.py [--setup TARGET] [--jobs N] STAGE...

- ``--setup TARGET`` runs ``make TARGET`` first, alone, before the clock starts: what every stage needs installed
  (the venvs). Its time is printed on a line of its own, outside the stages' total.
- Then the stages run, at most N at a time (``--jobs``, default 2: this machine has 2 cores), started in the order
  given: put the longest first. Each stage's output goes to build/stages/STAGE.log and is printed, whole, when that
  stage ends, so two stages' lines never mix.
- Every stage runs even after one failed, so one run shows everything that is broken. The exit status is non-zero
  when setup or any stage failed. Ctrl-C or SIGTERM ends every running stage (each runs in a process group of its
  own) before this exits.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOGS = REPO / "build" / "stages"


class Stage:
    def __init__(self, name):
        self.name = name
        self.log = LOGS / (name + ".log")
        self.process = None
        self.started = self.ended = self.returncode = self.cpu_seconds = None

    def start(self, make):
        self.started = time.monotonic()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [make, "--no-print-directory", self.name], cwd=str(REPO), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def poll(self):
        # wait4, not Popen.poll: its rusage is the CPU time of the stage's whole process tree (each waited-for child
        # adds its own children's)
        pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
        if pid == 0:
            return False
        self.ended = time.monotonic()
        self.returncode = os.waitstatus_to_exitcode(status)
        self.cpu_seconds = int(round(usage.ru_utime + usage.ru_stime))
        return True

    @property
    def ok(self):
        return self.returncode == 0

    @property
    def seconds(self):
        return int(round(self.ended - self.started))

    def stop(self):
        if self.process is not None and self.returncode is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def report(self):
        verdict = "ok" if self.ok else "FAILED (exit {0})".format(self.returncode)
        header = "=== make {0}: {1} in {2} s ===".format(self.name, verdict, self.seconds)
        sys.stdout.write("\n{0}\n".format(header))
        sys.stdout.flush()
        with open(self.log, "rb") as log:
            sys.stdout.buffer.write(log.read())
        sys.stdout.write("=== end of make {0} ({1}) ===\n".format(self.name, verdict))
        sys.stdout.flush()


def run_setup(make, target):
    print("=== make {0} (before the clock starts) ===".format(target), flush=True)
    started = time.monotonic()
    code = subprocess.call([make, "--no-print-directory", target], cwd=str(REPO))
    return code, int(round(time.monotonic() - started))


def run_stages(make, names, jobs):
    waiting = [Stage(name) for name in names]
    running, done = [], []
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                stage = waiting.pop(0)
                print("--- started make {0} ---".format(stage.name), flush=True)
                stage.start(make)
                running.append(stage)
            time.sleep(0.2)
            for stage in [stage for stage in running if stage.poll()]:
                running.remove(stage)
                done.append(stage)
                stage.report()
    finally:
        for stage in running:
            stage.stop()
    return done


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--setup", help="a make target run first, alone, outside the stages' time")
    parser.add_argument("--jobs", type=int, default=2, help="stages run at once (default 2)")
    parser.add_argument("stages", nargs="+")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    make = os.environ.get("MAKE") or "make"
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    LOGS.mkdir(parents=True, exist_ok=True)

    setup = None
    if args.setup:
        setup = run_setup(make, args.setup)
        if setup[0] != 0:
            print("\nmake test: setup (make {0}) failed (exit {1}) after {2} s: no stage was run".format(
                args.setup, setup[0], setup[1]))
            return 1
    started = time.monotonic()
    done = run_stages(make, args.stages, args.jobs)
    wall = int(round(time.monotonic() - started))

    order = {name: index for index, name in enumerate(args.stages)}
    print("\nmake test: time per stage ({0} at a time; logs in {1})".format(args.jobs, LOGS.relative_to(REPO)))
    print("  {0:<16} {1:>6} {2:>6}".format("stage", "time", "CPU"))
    if setup:
        print("  {0:<16} {1:>5}s {2:>6}  ok (before the clock: installs what the stages need)".format(
            "(" + args.setup + ")", setup[1], ""))
    for stage in sorted(done, key=lambda stage: order[stage.name]):
        verdict = "ok" if stage.ok else "FAILED"
        print("  {0:<16} {1:>5}s {2:>5}s  {3}".format(stage.name, stage.seconds, stage.cpu_seconds, verdict))
    total_seconds = sum(stage.seconds for stage in done)
    total_cpu = sum(stage.cpu_seconds for stage in done)
    print("  {0:<16} {1:>5}s {2:>5}s".format("sum of stages", total_seconds, total_cpu))
    print("  {0:<16} {1:>5}s {2:>6}  (from the first stage's start to the last one's end)".format("wall clock", wall, ""))
    failed = [stage.name for stage in done if not stage.ok]
    if failed:
        print("make test: FAILED: " + " ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

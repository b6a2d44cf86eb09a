"""Trace what two module runs go through in the collection's code, and what each module ships.

Runs, in this process against a fresh emulator (as tests/pa_modulelib.py runs a module's main()):

(a) pa_import_stage with three application names and ``wait: true``;
(b) pa_import_wait given the results of a pa_import_stage of the same three names (``expect: finished``).

For each it prints the distinct collection functions called, the distinct files they are in, the hops between files
(distinct caller -> callee pairs of functions in different files, and the calls that crossed a file in all) and the
deepest stack of collection frames. Comprehensions and generator expressions are not functions of their own here:
they count as the function that holds them. Then, for every module, the module_utils files AnsiballZ ships with it:
the transitive closure of its module_utils imports, read with ``ast``.

``--root DIR`` traces another checkout of the collection (``git archive main | tar -x -C /tmp/main-tree``); the
emulator and the in-process harness are always this tree's. Prints figures; asserts nothing.
"""

import argparse
import importlib
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NAMES = ["HR Portal", "Payments Gateway", "Treasury Management"]
TRANSPARENT = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>", "<module>")


def importable(root):
    """Make ``ansible_collections.sycorr.permission_assist`` the collection at ``root``."""
    base = Path(tempfile.mkdtemp(prefix="pa-trace-"))
    (base / "ansible_collections" / "sycorr").mkdir(parents=True)
    (base / "ansible_collections" / "sycorr" / "permission_assist").symlink_to(root)
    sys.path.insert(0, str(base))
    sys.path.insert(1, str(REPO / "tests"))
    sys.path.insert(2, str(REPO / "tests" / "unit"))
    return str(base / "ansible_collections" / "sycorr" / "permission_assist" / "plugins") + os.sep


class Tracer:
    def __init__(self, prefix):
        self.prefix = prefix
        self.functions = set()
        self.files = set()
        self.edges = set()
        self.crossings = 0
        self.max_depth = 0
        self.deepest = []

    def ours(self, code):
        return code.co_filename.startswith(self.prefix) and code.co_name not in TRANSPARENT

    def key(self, code):
        return (code.co_filename[len(self.prefix):], code.co_firstlineno, getattr(code, "co_qualname", code.co_name))

    def __call__(self, frame, event, arg):
        if event != "call" or not self.ours(frame.f_code):
            return
        callee = self.key(frame.f_code)
        self.functions.add(callee)
        self.files.add(callee[0])
        stack, back = [callee], frame.f_back
        while back is not None:
            if self.ours(back.f_code):
                stack.append(self.key(back.f_code))
            back = back.f_back
        caller = stack[1] if len(stack) > 1 else None
        if len(stack) > self.max_depth:
            self.max_depth, self.deepest = len(stack), stack
        if caller is not None and caller[0] != callee[0]:
            self.edges.add((caller, callee))
            self.crossings += 1

    def report(self, title, verbose=False):
        print("{0}:".format(title))
        print("  functions {0}, files {1}, hops between files {2} (calls across files {3}), max depth {4}".format(
            len(self.functions), len(self.files), len(self.edges), self.crossings, self.max_depth))
        for name in sorted(self.files):
            print("    {0}: {1} function(s)".format(name, len([f for f in self.functions if f[0] == name])))
        if verbose:
            print("  hops:")
            for caller, callee in sorted(self.edges):
                print("    {0}:{1} -> {2}:{3}".format(caller[0], caller[2], callee[0], callee[2]))
            print("  deepest stack (innermost first):")
            for key in self.deepest:
                print("    {0}:{1}".format(key[0], key[2]))


def traced(prefix, title, emulator, module, args, verbose=False):
    from pa_modulelib import MODULES, run_module_in_process
    importlib.import_module(MODULES + module)  # imported before the trace: module and class bodies are not calls
    tracer = Tracer(prefix)
    sys.setprofile(tracer)
    try:
        run = run_module_in_process(emulator, module, args)
    finally:
        sys.setprofile(None)
    tracer.report(title, verbose)
    if run["failed"]:
        print("  (the run failed: {0})".format(run["msg"]))
    return run


def shipped(root, module):
    from test_layering import utils_imports  # the layering contract's reader of imports
    utils = root / "plugins" / "module_utils"
    todo, seen = list(utils_imports(root / "plugins" / "modules" / (module + ".py"))), set()
    while todo:
        name = todo.pop()
        if name in seen or not (utils / (name + ".py")).exists():
            continue
        seen.add(name)
        todo.extend(utils_imports(utils / (name + ".py")))
    return sorted(seen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the collection tree to trace (default: this one)")
    parser.add_argument("--verbose", action="store_true", help="list the hops and the deepest stack too")
    options = parser.parse_args()
    root = options.root.resolve()
    prefix = importable(root)
    from pa_testlib import start_emulator
    emulator = start_emulator()
    try:
        emulator.reset()
        emulator.set_worker(paused=False, build_seconds=0.3)
        traced(prefix, "(a) pa_import_stage, three names, wait: true", emulator, "pa_import_stage",
               {"applications": NAMES, "wait": True, "poll_interval": 0.5}, options.verbose)
        emulator.reset()
        emulator.set_worker(paused=False, build_seconds=0.3)
        from pa_modulelib import run_module_in_process
        staged = run_module_in_process(emulator, "pa_import_stage", {"applications": NAMES})
        traced(prefix, "(b) pa_import_wait, results of a stage of three names", emulator, "pa_import_wait",
               {"results": staged["application_results"], "poll_interval": 0.5}, options.verbose)
    finally:
        emulator.stop()
    print("module_utils files shipped with each module (AnsiballZ: the transitive closure of its imports):")
    for path in sorted((root / "plugins" / "modules").glob("*.py")):
        files = shipped(root, path.stem)
        print("  {0}: {1} ({2})".format(path.stem, len(files), ", ".join(files)))
    total = len(list((root / "plugins" / "module_utils").glob("*.py")))
    print("  module_utils files in the collection: {0}".format(total))


if __name__ == "__main__":
    main()

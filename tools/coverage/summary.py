"""`make coverage`'s last steps: count the files of plugins/ no test ran, and print line and branch coverage apart.

Usage: summary.py touch COVERAGE_DATA PLUGINS_DIR   (before `coverage report`: every plugins/ file is in the data, so
                                                   one that no process imported counts at 0% instead of not at all)
       summary.py print COVERAGE_JSON               (after `coverage json`: `coverage report` mixes lines and branches)
"""

import json
import sys
from pathlib import Path

import coverage


def touch(data_file, plugins):
    data = coverage.CoverageData(data_file)
    data.read()
    data.touch_files([str(path.resolve()) for path in Path(plugins).rglob("*.py") if path.name != "__init__.py"])
    data.write()


def print_totals(json_report):
    with open(json_report, encoding="utf-8") as handle:
        totals = json.load(handle)["totals"]
    for label, covered, total in (("line", totals["covered_lines"], totals["num_statements"]),
                                  ("branch", totals["covered_branches"], totals["num_branches"])):
        print("coverage of plugins/: {0:<6} {1:5.1f}% ({2}/{3})".format(
            label, 100.0 * covered / total if total else 100.0, covered, total))


if __name__ == "__main__":
    if sys.argv[1] == "touch":
        touch(sys.argv[2], sys.argv[3])
    else:
        print_totals(sys.argv[2])

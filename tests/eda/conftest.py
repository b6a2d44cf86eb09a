"""The EDA source's tests: `ansible_collections.sycorr.permission_assist` importable from the work tree, as for the
unit tests (tests/unit/conftest.py does it), and the emulator fixtures of tests/conftest.py."""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[1] / "unit" / "conftest.py"))

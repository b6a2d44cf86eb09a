"""tools/sanity/preflight.py passes on the installed ansible-test and names the detail when one changes."""

import shutil
import subprocess
import sys
from pathlib import Path

import ansible
import ansible_test
import pytest

REPO = Path(__file__).resolve().parents[2]
PREFLIGHT = REPO / "tools" / "sanity" / "preflight.py"


def run_preflight(pythonpath=None):
    env = {"PATH": "/usr/bin:/bin"}
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, str(PREFLIGHT)], capture_output=True, text=True, env=env, check=False)


def test_installed_ansible_test_passes_and_reports_pythons_and_pip():
    done = run_preflight()
    assert done.returncode == 0, done.stderr
    pythons, pips = done.stdout.splitlines()
    assert "3.11" in pythons.split() and pips.split()


@pytest.mark.parametrize("relative_path, old, new, named", [
    ("_util/target/setup/requirements.py", "~/.ansible/test/cache/get_pip_%s.py", "~/.cache/get-pip-%s.py",
     "looks for a cached get-pip"),
    ("_util/target/setup/quiet_pip.py", "os.environ.get('GET_PIP')", "os.environ.get('PIP_BOOTSTRAP')",
     "runs the get-pip named by GET_PIP"),
    ("_internal/python_requirements.py", "def get_venv_packages(", "def venv_packages(",
     "ansible_test._internal.python_requirements"),
])
def test_a_changed_private_detail_is_named(tmp_path, relative_path, old, new, named):
    copy = tmp_path / "ansible_test"
    shutil.copytree(Path(ansible_test.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "ansible").symlink_to(Path(ansible.__file__).parent)  # ansible-test finds ansible beside itself
    target = copy / relative_path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))
    done = run_preflight(pythonpath=tmp_path)
    assert done.returncode != 0
    assert named in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr

"""Check the private ansible-test details tools/sanity/run.sh relies on, then print what it needs from them.

ansible-test has no public API for any of this. When an ansible-core release changes one of these details, this
check fails with one line naming it, instead of run.sh failing later in a way that hides the cause (or, worse,
ansible-test silently downloading get-pip again). Output on success, one line each:
  the Python versions ansible-test supports; the pip versions it bootstraps in its venvs.
"""

from __future__ import annotations

import inspect
import os
import sys


def fail(detail):
    sys.exit("tools/sanity/preflight.py: this ansible-test changed a private detail run.sh relies on: {0}. "
             "Update tools/sanity/run.sh and get_pip_offline.py (see tools/sanity/README.md).".format(detail))


def source_of(relative_path):
    import ansible_test  # pylint: disable=import-outside-toplevel
    path = os.path.join(os.path.dirname(ansible_test.__file__), *relative_path.split("/"))
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return fail("{0} is missing".format(relative_path))


def require_text(relative_path, text, what):
    if text not in source_of(relative_path):
        fail("{0} no longer {1} ({2!r} not found)".format(relative_path, what, text))


def main():
    try:
        from ansible_test._internal.constants import SUPPORTED_PYTHON_VERSIONS
    except ImportError:
        fail("ansible_test._internal.constants.SUPPORTED_PYTHON_VERSIONS is gone")
    try:
        from ansible_test._internal.host_configs import NativePythonConfig
    except ImportError:
        fail("ansible_test._internal.host_configs.NativePythonConfig is gone")
    try:
        from ansible_test._internal.python_requirements import get_venv_packages
        from ansible_test._internal.util import common_environment
    except ImportError as exc:
        fail("a name run.sh imports from ansible_test._internal is gone ({0})".format(exc))

    pip_versions = set()
    for version in SUPPORTED_PYTHON_VERSIONS:
        try:
            packages = get_venv_packages(NativePythonConfig(version=version))
        except Exception as exc:  # pylint: disable=broad-except
            fail("get_venv_packages(NativePythonConfig(version={0!r})) raised {1!r}".format(version, exc))
        if "pip" not in packages:
            fail("get_venv_packages() no longer names a pip version for Python {0}".format(version))
        pip_versions.add(packages["pip"])

    # 1. The bootstrap looks for a cached get-pip under HOME before downloading one, and hands it to quiet_pip.py.
    require_text("_util/target/setup/requirements.py", "~/.ansible/test/cache/get_pip_%s.py",
                 "looks for a cached get-pip at ~/.ansible/test/cache/get_pip_X_Y.py")
    require_text("_util/target/setup/requirements.py", "GET_PIP=cache_path", "passes the cached get-pip as GET_PIP")
    require_text("_util/target/setup/quiet_pip.py", "os.environ.get('GET_PIP')", "runs the get-pip named by GET_PIP")
    # 2. The stand-in's command line: pip options, the pinned packages, --no-setuptools / --no-wheel.
    for flag in ("--no-setuptools", "--no-wheel"):
        require_text("_util/target/setup/requirements.py", flag, "passes {0} to get-pip".format(flag))
    # 3. HOME reaches ansible-test's pip (the cache and the pip.conf run.sh writes live under it).
    if "'HOME'" not in inspect.getsource(common_environment):
        fail("util.common_environment() no longer passes HOME to the programs ansible-test runs")

    print(" ".join(SUPPORTED_PYTHON_VERSIONS))
    print(" ".join(sorted(pip_versions)))


if __name__ == "__main__":
    main()

"""Stand-in for the get-pip script ansible-test downloads from ci-files.testing.ansible.com (unreachable here).

run.sh copies this file to ``~/.ansible/test/cache/get_pip_X_Y.py``, the cache path checked first by
``ansible_test/_util/target/setup/requirements.py:bootstrap``.  ansible-test then runs it (through its
``quiet_pip.py`` wrapper, with ``GET_PIP`` set) inside every fresh virtual environment it creates, as::

    <venv>/bin/python quiet_pip.py --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]

with an environment reduced to PATH, HOME and LC_ALL (``ansible_test/_internal/util.py:common_environment``),
so the machine's ``PIP_*`` / ``REQUESTS_CA_BUNDLE`` variables never reach pip.  This script therefore

1. installs ``<cache>/get_pip_X_Y.pip.conf`` (written by run.sh from the caller's pip settings) as the venv's
   site-level pip configuration ``<venv>/pip.conf``, which every later pip call in that venv reads;
2. installs the requested pip with the pip wheel bundled in the interpreter's ``ensurepip`` (no download needed to
   *run* pip; the pinned pip itself comes from the configured index / find-links).
"""

from __future__ import annotations

import ensurepip
import glob
import os
import runpy
import shutil
import subprocess
import sys


def main() -> None:
    """Bootstrap pip into the running (empty) virtual environment."""
    here = os.path.abspath(__file__)
    site_conf = os.path.splitext(here)[0] + '.pip.conf'

    if os.path.isfile(site_conf):
        shutil.copyfile(site_conf, os.path.join(sys.prefix, 'pip.conf'))

    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]

    wheels = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled', 'pip-*.whl')))

    if wheels:
        # Run pip straight from its bundled wheel, as the real get-pip does from its embedded zip.
        sys.path.insert(0, wheels[-1])
        sys.argv = ['pip', 'install'] + args
        runpy.run_module('pip', run_name='__main__', alter_sys=True)
    else:
        # No bundled wheel (e.g. a distro Python that strips it): ensurepip, then install the pinned version.
        subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
        subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args)

        if '--no-setuptools' in sys.argv:
            subprocess.check_call([sys.executable, '-m', 'pip', 'uninstall', '--yes', '--quiet', 'setuptools'])


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: Contributors to the sycorr.permission_assist collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip script ansible-test downloads to bootstrap pip in its virtual environments.

tools/sanity/run.sh copies this file to ~/.ansible/test/cache/get_pip_<X_Y>.py under the HOME it gives
ansible-test, the path ansible-test's requirements.py bootstrap() uses instead of downloading. ansible-test runs it
through its quiet_pip.py wrapper, in a fresh venv made with --without-pip, as

    python get_pip_X_Y.py --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]

Like the real get-pip, it runs pip in-process from a zipped copy on sys.path and installs the requested packages.
The copy of pip is the wheel run.sh stored beside this file (pip-wheels/), or else the interpreter's bundled
ensurepip wheel. When every pinned requirement has a wheel in pip-wheels/, the install uses no index at all;
otherwise pip uses the index named by the pip configuration run.sh wrote under the same HOME.
"""

from __future__ import annotations

import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WHEELHOUSE = os.path.join(HERE, 'pip-wheels')
PIN = re.compile(r'^([A-Za-z0-9_.-]+)==([A-Za-z0-9_.+!-]+)$')


def local_wheel(name, version):
    """Return the path of a wheel for name==version in the wheelhouse, or None."""
    pattern = '%s-%s-*.whl' % (re.sub(r'[-_.]+', '_', name).lower(), version)
    found = sorted(glob.glob(os.path.join(WHEELHOUSE, pattern)))
    return found[-1] if found else None


def bundled_pip_wheel():
    """Return the path of the pip wheel bundled with this interpreter's ensurepip, or None."""
    try:
        import ensurepip  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None

    found = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled', 'pip-*.whl')))
    return found[-1] if found else None


def main():
    """Install pip (and the other requested packages) into the running interpreter."""
    args = sys.argv[1:]
    options = [arg for arg in args if arg.startswith('-') and arg not in ('--no-setuptools', '--no-wheel')]
    requirements = [arg for arg in args if not arg.startswith('-')]

    if '--no-setuptools' not in args:
        requirements.append('setuptools')

    if '--no-wheel' not in args:
        requirements.append('wheel')

    pins = [PIN.match(requirement) for requirement in requirements]
    local = [local_wheel(*pin.groups()) if pin else None for pin in pins]
    offline = all(local)

    pip_pins = [path for pin, path in zip(pins, local) if pin and pin.group(1).lower() == 'pip' and path]
    runner = pip_pins[0] if pip_pins else bundled_pip_wheel()

    if not runner:
        sys.exit('get-pip stand-in: no pip wheel in %s and no ensurepip wheel in this interpreter' % WHEELHOUSE)

    command = ['install', '--upgrade', '--force-reinstall'] + options

    if offline:
        command += ['--no-index', '--find-links', WHEELHOUSE]
    elif os.path.isdir(WHEELHOUSE):
        command += ['--find-links', WHEELHOUSE]

    sys.path.insert(0, runner)

    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel,import-error

    sys.exit(pip_main(command + requirements))


if __name__ == '__main__':
    main()

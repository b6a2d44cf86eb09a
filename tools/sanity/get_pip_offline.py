"""Stand-in for the get-pip script ansible-test downloads from a host this machine cannot reach.

ansible-test runs it (through its quiet_pip wrapper) inside each fresh virtual environment it creates, as
`python get_pip_X_Y.py --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]`. Here pip comes from
the interpreter's own bundled wheel (ensurepip, offline), then upgrades itself to the pinned version from the
package index the machine's pip configuration names.
"""

import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet"] + args)

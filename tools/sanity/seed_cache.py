"""Seed ansible-test's pip bootstrap cache so ``ansible-test ... --venv`` needs no ci-files.testing.ansible.com.

Run with the Python of the environment that holds ansible-test (run.sh does).  For every pip version ansible-test pins
(``ansible_test/_internal/python_requirements.py:get_venv_packages``) it writes

* ``~/.ansible/test/cache/get_pip_X_Y.py``: a copy of ``get_pip_offline.py`` (the path
  ``ansible_test/_util/target/setup/requirements.py:bootstrap`` uses before trying to download), and
* ``~/.ansible/test/cache/get_pip_X_Y.pip.conf``: the caller's pip settings (``PIP_CONFIG_FILE`` contents, then the
  ``PIP_*`` variables, CA bundle and proxy variables) as a pip configuration file, which the stand-in installs as the
  site-level ``pip.conf`` of each venv, because ansible-test does not pass those variables on to pip.
"""

from __future__ import annotations

import configparser
import io
import os
import shutil
import sys

from ansible_test._internal.constants import SUPPORTED_PYTHON_VERSIONS
from ansible_test._internal.host_configs import NativePythonConfig
from ansible_test._internal.python_requirements import get_venv_packages

# PIP_* variables that must not become site-wide defaults of a venv (they would redirect or relocate installs).
SKIP = {'CONFIG_FILE', 'PYTHON', 'TARGET', 'PREFIX', 'ROOT', 'USER', 'SRC', 'REQUIRE_VIRTUALENV'}


def pip_settings() -> str:
    """Return the caller's pip settings that live in the environment, as pip configuration file text."""
    config = configparser.ConfigParser(interpolation=None)
    config_file = os.environ.get('PIP_CONFIG_FILE')

    if config_file and config_file != os.devnull and os.path.isfile(config_file):
        config.read(config_file)

    if not config.has_section('global'):
        config.add_section('global')

    for name, value in sorted(os.environ.items()):
        if name.startswith('PIP_') and name[4:] not in SKIP:
            config.set('global', name[4:].lower().replace('_', '-'), value)

    if not config.has_option('global', 'cert'):
        for name in ('REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'CURL_CA_BUNDLE'):
            if os.environ.get(name):
                config.set('global', 'cert', os.environ[name])
                break

    if not config.has_option('global', 'proxy'):
        for name in ('https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'):
            if os.environ.get(name):
                config.set('global', 'proxy', os.environ[name])
                break

    text = io.StringIO()
    text.write('# Written by tools/sanity/seed_cache.py from the environment of the ansible-test caller.\n')
    config.write(text)

    return text.getvalue()


def main() -> None:
    """Write the stand-in bootstrap script and pip settings for every pinned pip version."""
    stand_in = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'get_pip_offline.py')
    cache = os.path.expanduser('~/.ansible/test/cache')
    settings = pip_settings()
    versions = sorted({get_venv_packages(NativePythonConfig(version=version))['pip'] for version in SUPPORTED_PYTHON_VERSIONS})

    os.makedirs(cache, exist_ok=True)

    for version in versions:
        base = os.path.join(cache, 'get_pip_%s' % version.replace('.', '_'))
        shutil.copyfile(stand_in, base + '.py')

        with open(base + '.pip.conf', 'w', encoding='utf-8') as conf:
            conf.write(settings)

        sys.stdout.write('seeded %s.py (pip %s)\n' % (base, version))


if __name__ == '__main__':
    main()

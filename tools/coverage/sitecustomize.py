"""Start coverage.py in every Python process of a `make coverage` run (tools/coverage/README: why and how).

`make coverage` puts this folder first on PYTHONPATH and sets COVERAGE_PROCESS_START, so the ansible-playbook and
ansible processes the end-to-end tests start, their forked workers (action plugins) and the modules they run
(AnsiballZ, from a zip in a temporary folder) measure themselves. Without COVERAGE_PROCESS_START this does nothing.
"""

try:
    import coverage
except ImportError:  # a Python without coverage (another venv on the same PATH): nothing to measure there
    pass
else:
    coverage.process_startup()

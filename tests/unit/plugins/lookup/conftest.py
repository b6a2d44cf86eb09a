"""``lookup``: run one of the collection's lookup plugins in this process, loaded by its FQCN as ansible loads it."""

import pytest
from ansible.plugins.loader import lookup_loader

from pa_testlib import TOKEN

CONNECTION_ENVIRONMENT = ("PA_URL", "PA_TOKEN", "PA_VALIDATE_CERTS", "PA_CA_PATH", "PA_REQUEST_TIMEOUT",
                          "PA_REQUEST_RETRIES")


def load(name):
    plugin = lookup_loader.get("sycorr.permission_assist." + name)
    assert plugin is not None, "lookup sycorr.permission_assist.{0} did not load".format(name)
    return plugin


@pytest.fixture
def lookup(emulator, monkeypatch):
    """``lookup("applications", "HR *", priority="Critical")`` -> the lookup's list, against this test's emulator.

    The connection comes from the variables ``pa_url`` and ``pa_token``, as an inventory gives them (``variables=``
    replaces them; ``server=`` points them at another emulator); no PA_* environment variable is set.
    """
    for name in CONNECTION_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)

    def run(name, *terms, variables=None, server=None, **options):
        if variables is None:
            variables = {"pa_url": (server or emulator).url, "pa_token": TOKEN}
        return load(name).run(list(terms), variables=variables, **options)
    return run


@pytest.fixture
def requests_to():
    """``requests_to(emulator, "GET /api/applications")``: how many requests ``emulator`` answered on that route since
    its reset."""
    return lambda emulator, route: emulator.stats()["requests"].get(route, 0)

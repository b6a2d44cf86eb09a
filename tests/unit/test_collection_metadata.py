"""Collection metadata that users rely on: the action group, requires_ansible, galaxy.yml."""

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def runtime():
    return yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())


def test_every_module_is_in_the_action_group():
    modules = sorted(path.stem for path in (REPO / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
    assert modules, "no modules found"
    assert sorted(runtime()["action_groups"]["all"]) == modules


def test_requires_ansible_is_set():
    assert runtime()["requires_ansible"].startswith(">=2.")


def test_galaxy_version_and_names():
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert (galaxy["namespace"], galaxy["name"]) == ("sycorr", "permission_assist")
    assert galaxy["version"].count(".") == 2

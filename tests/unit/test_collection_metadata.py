"""Collection metadata that users rely on: the action group, requires_ansible, galaxy.yml."""

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def runtime():
    return yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())


def test_every_module_that_connects_is_in_the_action_group():
    """The group's module_defaults set the connection options; a module without them (pa_playbook_inputs, an action
    plugin that reads a playbook's inputs) stays out, or those defaults would be options it does not take."""
    paths = [path for path in (REPO / "plugins" / "modules").glob("*.py") if path.stem != "__init__"]
    modules = sorted(path.stem for path in paths if "- sycorr.permission_assist.connection\n" in path.read_text())
    assert modules, "no modules found"
    assert sorted(runtime()["action_groups"]["all"]) == modules


def test_requires_ansible_is_set():
    assert runtime()["requires_ansible"].startswith(">=2.")


def test_galaxy_version_and_names():
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert (galaxy["namespace"], galaxy["name"]) == ("sycorr", "permission_assist")
    assert galaxy["version"].count(".") == 2

"""The built tarball holds only collection content, and its changelog matches galaxy.yml (the EE: `make ee-image`)."""

import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

from pa_testlib import REPO

BIN = Path(sys.executable).parent


def tarball():
    version = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
    path = REPO / "build" / "sycorr-permission_assist-{0}.tar.gz".format(version)
    assert path.exists(), "run make build first"
    return path


def test_tarball_holds_only_collection_content():
    with tarfile.open(tarball()) as archive:
        names = archive.getnames()
    tops = sorted(set(name.split("/")[0] for name in names))
    assert tops == ["CHANGELOG.rst", "FILES.json", "LICENSE", "MANIFEST.json", "README.md", "changelogs", "docs",
                    "extensions", "meta", "playbooks", "plugins", "requirements.txt", "roles", "tests"], tops
    assert "plugins/modules/pa_import_stage.py" in names
    assert "extensions/eda/plugins/event_source/import_events.py" in names
    assert "extensions/eda/rulebooks/import_failed.yml" in names
    assert "roles/stage_imports/meta/argument_specs.yml" in names
    # Of tests/, only what ansible-test reads from an installed collection (tests/config.yml) ships; the rest is
    # development scaffolding.
    assert "tests/config.yml" in names
    shipped_tests = [name for name in names if name.startswith("tests/") and name not in ("tests", "tests/config.yml")]
    assert shipped_tests == [], shipped_tests
    assert not [name for name in names if "molecule" in name.split("/")], "molecule scenarios are for development only"
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_changelog_is_consistent_with_galaxy_version():
    version = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
    changelog = yaml.safe_load((REPO / "changelogs" / "changelog.yaml").read_text())
    assert version in changelog["releases"]
    assert "v{0}".format(version) in (REPO / "CHANGELOG.rst").read_text()
    lint = subprocess.run([str(BIN / "antsibull-changelog"), "lint"], cwd=REPO, capture_output=True, text=True,
                          check=False)
    assert lint.returncode == 0 and lint.stdout.strip() == "", lint.stdout + lint.stderr

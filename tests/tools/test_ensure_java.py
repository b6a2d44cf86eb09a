"""tools/eda/ensure_java.sh: passes where a Java runtime 17+ is found, and where none is found nor can be installed
fails with one line saying what to install (never silently)."""

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "eda" / "ensure_java.sh"


def run(path, java_home=None):
    env = {"PATH": path}
    if java_home:
        env["JAVA_HOME"] = java_home
    return subprocess.run([shutil.which("bash"), str(SCRIPT)], capture_output=True, text=True, env=env, check=False,
                          timeout=600)


def fake_java(folder, version):
    java = folder / "java"
    java.write_text('#!/bin/sh\necho \'openjdk version "{0}" 2024-01-16\' >&2\n'.format(version))
    java.chmod(0o755)


def tools_without_java_or_apt(tmp_path):
    """A PATH with what the script needs (sed, head, id) and no java, no apt-get."""
    folder = tmp_path / "bin"
    folder.mkdir(parents=True)
    for tool in ("sed", "head", "id"):
        os.symlink(shutil.which(tool), str(folder / tool))
    return folder


def test_a_java_17_or_newer_on_path_or_in_java_home_passes(tmp_path):
    folder = tools_without_java_or_apt(tmp_path)
    fake_java(folder, "21.0.2")
    assert run(str(folder)).returncode == 0
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    fake_java(home / "bin", "17.0.15")
    assert run(str(tools_without_java_or_apt(tmp_path / "other")), java_home=str(home)).returncode == 0


def test_no_usable_java_and_no_way_to_install_one_fails_with_one_line(tmp_path):
    folder = tools_without_java_or_apt(tmp_path)
    fake_java(folder, "1.8.0_402")  # too old (Java 8 spells its version 1.8)
    done = run(str(folder))
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "ansible-rulebook needs a Java runtime 17 or newer" in done.stderr
    assert "install openjdk-17-jre-headless" in done.stderr

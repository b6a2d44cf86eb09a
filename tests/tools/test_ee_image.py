"""tools/ee_image.py's pure parts (the generated definition on a local base, the cache digests, the output filter)
and tools/ee_ensure_podman.sh. The images themselves are built by `make ee-build` and run by `make ee-image`."""

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

import ee_image  # noqa: E402  pylint: disable=wrong-import-position

DE = REPO / "execution-environment" / "decision-environment.yml"
BIN = Path(sys.executable).parent


def shipped_de():
    return yaml.safe_load(DE.read_text())


def de_on_local_base(tmp_path):
    return ee_image.local_definition(shipped_de(), "localhost/base:1", REPO / "execution-environment" / "requirements.yml",
                                     tmp_path / "collection.tar.gz", ["ansible-rulebook"],
                                     ["openjdk-17-jre-headless [platform:dpkg]"])


def test_the_local_definition_swaps_the_base_and_adds_what_the_registry_base_brings(tmp_path):
    shipped = shipped_de()
    definition = de_on_local_base(tmp_path)
    assert definition["images"] == {"base_image": {"name": "localhost/base:1"}}
    assert definition["options"] == {"package_manager_path": "/usr/bin/apt-get", "skip_pip_install": True}
    dependencies = definition["dependencies"]
    assert dependencies["ansible_core"] == {"package_pip": "ansible-core"}
    assert dependencies["ansible_runner"] == {"package_pip": "ansible-runner"}
    assert dependencies["python"] == ["ansible-rulebook"]
    assert dependencies["system"] == ["openjdk-17-jre-headless [platform:dpkg]"]
    assert dependencies["python_interpreter"] == shipped["dependencies"]["python_interpreter"]
    assert dependencies["galaxy"] == str(REPO / "execution-environment" / "requirements.yml")
    assert definition["additional_build_files"] == [{"src": str(tmp_path / "collection.tar.gz"), "dest": "collections"}]
    assert definition["additional_build_steps"]["prepend_base"] == ["RUN apt-get update -qq"]
    assert shipped == shipped_de(), "the shipped definition is left as it is"


def test_ansible_builder_turns_the_local_definition_into_a_debian_containerfile(tmp_path):
    tarball = tmp_path / "collection.tar.gz"
    tarball.write_bytes(b"")
    generated = tmp_path / "definition.yml"
    generated.write_text(yaml.safe_dump(de_on_local_base(tmp_path)))
    subprocess.run([str(BIN / "ansible-builder"), "create", "-f", str(generated), "--context", str(tmp_path / "context")],
                   check=True, capture_output=True)
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert 'ARG EE_BASE_IMAGE="localhost/base:1"' in containerfile
    assert 'ARG PKGMGR="/usr/bin/apt-get"' in containerfile
    assert "scripts/pip_install" not in containerfile  # Debian's python3 has no ensurepip
    assert "RUN apt-get update -qq" in containerfile
    assert "openjdk-17-jre-headless [platform:dpkg]" in (tmp_path / "context" / "_build" / "bindep.txt").read_text()
    assert "ansible-rulebook" in (tmp_path / "context" / "_build" / "requirements.txt").read_text()


def test_the_registry_of_an_image_name():
    assert ee_image.registry_of("quay.io/ansible/awx-ee:latest") == "quay.io"
    assert ee_image.registry_of("localhost:5000/pa/ee") == "localhost:5000"
    assert ee_image.registry_of("ansible/awx-ee") == "registry-1.docker.io"
    assert ee_image.registry_of("debian:bookworm") == "registry-1.docker.io"


def test_containers_conf_keeps_the_limits_under_the_hard_ones_and_picks_runc():
    conf = ee_image.containers_conf(20000)
    assert 'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]' in conf
    assert 'runtime = "runc"' in conf


def write_tarball(path, files, mtime):
    with tarfile.open(path, "w:gz") as archive:
        for name, content in files.items():
            member = tarfile.TarInfo(name)
            member.size, member.mtime = len(content), mtime
            archive.addfile(member, io.BytesIO(content))


def test_a_tarball_digest_follows_the_content_not_the_timestamps(tmp_path):
    write_tarball(tmp_path / "a.tar.gz", {"x/MANIFEST.json": b"{}", "x/plugins/m.py": b"one"}, mtime=1)
    write_tarball(tmp_path / "b.tar.gz", {"x/plugins/m.py": b"one", "x/MANIFEST.json": b"{}"}, mtime=2)
    write_tarball(tmp_path / "c.tar.gz", {"x/MANIFEST.json": b"{}", "x/plugins/m.py": b"two"}, mtime=1)
    digest = ee_image.tarball_digest
    assert digest(tmp_path / "a.tar.gz") == digest(tmp_path / "b.tar.gz")
    assert digest(tmp_path / "a.tar.gz") != digest(tmp_path / "c.tar.gz")


def test_a_context_digest_changes_with_the_containerfile_and_the_collection(tmp_path):
    context = tmp_path / "context"
    (context / "_build" / "collections").mkdir(parents=True)
    (context / "Containerfile").write_text("FROM base\n")
    tarball = context / "_build" / "collections" / "c.tar.gz"
    write_tarball(tarball, {"x/m.py": b"one"}, mtime=1)
    first = ee_image.context_digest(context)
    write_tarball(tarball, {"x/m.py": b"one"}, mtime=5)
    assert ee_image.context_digest(context) == first, "a rebuilt tarball of the same collection"
    write_tarball(tarball, {"x/m.py": b"two"}, mtime=5)
    changed = ee_image.context_digest(context)
    assert changed != first
    (context / "Containerfile").write_text("FROM other\n")
    assert ee_image.context_digest(context) not in (first, changed)


def test_plain_drops_the_runner_event_markers_and_colours():
    # as ansible-navigator's stdout mode printed them here when its output was not a terminal
    raw = ("\x1b[Ke30=\x1b[4D\x1b[K\x1b[KeyJ1dWlkIjogIjJiZjI1M2FlIn0=\x1b[36D\x1b[Kok: [localhost] => {\n"
           "\x1b[0;32m    \"msg\": \"staged 1, reused 0, failed 0 of 1\"\x1b[0m\n}\n\x1b[Ke30=\x1b[4D\x1b[K\n"
           "localhost                  : ok=8    changed=1    unreachable=0    failed=0\n")
    assert ee_image.plain(raw) == ('ok: [localhost] => {\n    "msg": "staged 1, reused 0, failed 0 of 1"\n}\n\n'
                                   "localhost                  : ok=8    changed=1    unreachable=0    failed=0\n")
    assert ee_image.summary_lines(raw) == ['"msg": "staged 1, reused 0, failed 0 of 1"',
                                           "localhost                  : ok=8    changed=1    unreachable=0    failed=0"]


ENSURE = REPO / "tools" / "ee_ensure_podman.sh"


def tools_folder(tmp_path, present):
    """A PATH with what the script needs and fake commands for the packages in ``present``; no apt-get."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("id",):
        os.symlink(shutil.which(tool), str(folder / tool))
    for name in present:
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    return str(folder)


def ensure(path):
    return subprocess.run([shutil.which("bash"), str(ENSURE)], capture_output=True, text=True, env={"PATH": path},
                          check=False, timeout=600)


def test_ensure_podman_passes_where_podman_runc_and_mmdebstrap_are_found(tmp_path):
    done = ensure(tools_folder(tmp_path, ["podman", "runc", "mmdebstrap"]))
    assert (done.returncode, done.stderr) == (0, "")


def test_ensure_podman_without_them_nor_apt_get_fails_with_one_line_naming_what_is_absent(tmp_path):
    done = ensure(tools_folder(tmp_path, ["podman"]))
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "needs runc mmdebstrap and they are absent" in done.stderr
    assert "apt-get install podman runc mmdebstrap" in done.stderr


def test_ansible_navigator_gets_no_ansible_variable_of_this_machine():
    env = ee_image.navigator_env({"PATH": "/bin", "ANSIBLE_COLLECTIONS_PATH": "/work/build/collections",
                                  "CONTAINERS_CONF": "/c"}, PA_URL="http://127.0.0.1:1")
    assert env == {"PATH": "/bin", "CONTAINERS_CONF": "/c", "PA_URL": "http://127.0.0.1:1"}

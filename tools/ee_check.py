"""`make ee-check`: replay the collection and Python steps of the generated execution-environment build context.

The same check serves the decision environment (`--definition execution-environment/decision-environment.yml`):
it installs the collection and its Python requirements the same way.

No container engine can build the image here (the base image is on quay.io, which this machine cannot reach), so this
check runs the steps of the generated Containerfile that concern the collection, outside a container:
  1. `ansible-builder create` from execution-environment/execution-environment.yml;
  2. the Containerfile's `COPY _build /build`, `WORKDIR /build` and its `ansible-galaxy collection install -r` line,
     replayed in a temporary folder standing for /build;
  3. the installed collection's version against galaxy.yml;
  4. ansible-builder's own introspect script on what was installed, against meta/ee-requirements.txt;
  5. those Python requirements installed into a throw-away venv, and `requests` imported from it.
Any mismatch fails with one line saying which step and why.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFINITION = REPO / "execution-environment" / "execution-environment.yml"
TARBALL_NAME = "sycorr-permission_assist.tar.gz"
INSTALL_LINE = re.compile(r"ansible-galaxy collection install .*-r (?P<requirements>\S+) "
                          r"--collections-path \"?(?P<path>[^\"\s]+)\"?")


class CheckFailed(Exception):
    pass


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        raise CheckFailed("{0} exited {1}: {2}".format(" ".join(map(str, command[:3])), done.returncode,
                                                       (done.stderr or done.stdout).strip()[-800:]))
    return done.stdout


def galaxy_version():
    for line in (REPO / "galaxy.yml").read_text().splitlines():
        if line.startswith("version:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    raise CheckFailed("galaxy.yml has no version")


def containerfile_steps(context):
    text = next((context / name).read_text() for name in ("Containerfile", "Dockerfile") if (context / name).exists())
    galaxy_stage = text.split("AS galaxy", 1)[1].split("FROM ", 1)[0]
    for expected in ("COPY _build /build", "WORKDIR /build"):
        if expected not in galaxy_stage:
            raise CheckFailed("the generated Containerfile's galaxy stage has no '{0}'".format(expected))
    match = INSTALL_LINE.search(galaxy_stage)
    if not match:
        raise CheckFailed("the generated Containerfile's galaxy stage has no 'ansible-galaxy collection install -r' line")
    return match.group("requirements"), match.group("path")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the venv's bin folder (ansible-builder, ansible-galaxy)")
    parser.add_argument("--context", required=True, help="where to write the build context")
    parser.add_argument("--definition", default=str(DEFINITION),
                        help="the ansible-builder definition (default: the execution environment's)")
    args = parser.parse_args()
    bin_dir, context = Path(args.bin), Path(args.context)
    version = galaxy_version()
    tarball = REPO / "build" / "ee" / TARBALL_NAME
    if not tarball.exists():
        raise CheckFailed("{0} is missing: run `make ee-context`".format(tarball.relative_to(REPO)))

    shutil.rmtree(context, ignore_errors=True)
    run([bin_dir / "ansible-builder", "create", "-f", Path(args.definition).resolve(), "--context", context])
    requirements, image_collections_path = containerfile_steps(context)
    print("ee-check: ansible-builder create: ok; the image installs {0} from /build into {1}".format(
        requirements, image_collections_path))

    with tempfile.TemporaryDirectory(prefix="ee-check-") as scratch:
        scratch = Path(scratch)
        build_dir = scratch / "build"  # stands for the image's /build
        shutil.copytree(context / "_build", build_dir)
        collections = scratch / image_collections_path.lstrip("/")
        env = dict(os.environ, ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1")
        env.pop("ANSIBLE_COLLECTIONS_PATH", None)
        run([bin_dir / "ansible-galaxy", "collection", "install", "-r", requirements, "--collections-path",
             collections], cwd=build_dir, env=env)
        manifest = collections / "ansible_collections" / "sycorr" / "permission_assist" / "MANIFEST.json"
        if not manifest.exists():
            raise CheckFailed("ansible-galaxy succeeded but installed no sycorr.permission_assist")
        installed = json.loads(manifest.read_text())["collection_info"]["version"]
        if installed != version:
            raise CheckFailed("the image would hold version {0}, galaxy.yml says {1}".format(installed, version))
        eda = [Path("extensions/eda/plugins/event_source/import_events.py"), Path("extensions/eda/rulebooks/import_failed.yml")]
        absent = [str(path) for path in eda if not (manifest.parent / path).exists()]
        if absent:
            raise CheckFailed("the installed collection has no {0} (a decision environment needs them)".format(
                ", ".join(absent)))
        print("ee-check: collection step replayed: sycorr.permission_assist {0} installed".format(installed))

        pip_file = scratch / "requirements.txt"
        run([sys.executable, context / "_build" / "scripts" / "introspect.py", "introspect", "--sanitize",
             "--write-pip", pip_file, "--write-bindep", scratch / "bindep.txt", collections])
        introspected = sorted(line.split("#")[0].strip() for line in pip_file.read_text().splitlines()
                              if line.split("#")[0].strip())
        declared = sorted(line.strip() for line in (REPO / "meta" / "ee-requirements.txt").read_text().splitlines()
                          if line.strip() and not line.startswith("#"))
        if introspected != declared:
            raise CheckFailed("introspected Python requirements {0} differ from meta/ee-requirements.txt {1}".format(
                introspected, declared))
        print("ee-check: introspected Python requirements: {0}".format(", ".join(introspected)))

        venv = scratch / "venv"
        run([sys.executable, "-m", "venv", venv])
        run([venv / "bin" / "pip", "install", "--quiet", "-r", pip_file])
        imported = run([venv / "bin" / "python", "-c", "import requests; print(requests.__version__)"]).strip()
        print("ee-check: requirements installed in a throw-away venv; requests {0} imports".format(imported))
    print("ee-check: ok")


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as exc:
        print("ee-check: FAILED: {0}".format(exc), file=sys.stderr)
        sys.exit(1)

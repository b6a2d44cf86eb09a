#!/usr/bin/env bash
# Build the collection docsite (antsibull-docs + Sphinx) without network access.
#
# Usage: tools/docs/build.sh VENV DEST
#   VENV  a venv with ansible-core and requirements-docs.txt installed (the Makefile's .venv)
#   DEST  the site's working directory, recreated on every run; the HTML ends up in DEST/build/html
# The collection is documented as ansible finds it: ANSIBLE_COLLECTIONS_PATH must hold it (`make docs` points it at
# the installed tarball in build/collections).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 VENV DEST" >&2; exit 2; }
venv=$(cd "$1" && pwd)
dest=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH="$venv/bin:$PATH"

rm -rf "$dest"
mkdir -p "$dest"
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$dest" \
    --project sycorr.permission_assist --copyright "Sycorr collection maintainers" \
    --title "sycorr.permission_assist collection" sycorr.permission_assist >/dev/null

# sphinx-init's conf.py downloads intersphinx inventories from docs.python.org, docs.ansible.com and jinja's site.
# Only ansible-core's labels are referenced: read them from a local inventory, and fetch nothing.
python "$here/offline_inventory.py" "$dest/ansible_devel.inv"
cat >>"$dest/conf.py" <<'CONF'

# Added by tools/docs/build.sh: a local inventory instead of downloads, so the build works offline.
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', '../ansible_devel.inv'),
}
CONF

"$dest/build.sh" # antsibull-docs collection, then sphinx-build -W --keep-going

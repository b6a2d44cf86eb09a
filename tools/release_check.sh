#!/usr/bin/env bash
# Run galaxy-importer (the checks Galaxy runs on upload) on the built collection tarball, offline, no container.
#
# Usage: tools/release_check.sh VENV TARBALL
#   VENV     a venv with galaxy-importer installed (the Makefile's .venv-release)
#   TARBALL  the collection tarball made by `make build`
# Settings: galaxy-importer.cfg (ansible-doc, ansible-lint, flake8 and changelog checks on; ansible-test off: it
# needs a container, and `make sanity` runs it). The full log is build/release-check/importer.log.
# Fails when the importer fails or logs an ERROR or a WARNING: it reports ansible-lint and flake8 findings as
# warnings, and the collection has none, so a new one is a regression.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 VENV TARBALL" >&2; exit 2; }
venv=$(cd "$1" && pwd)
tarball=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$repo/build/release-check"
rm -rf "$work"
mkdir -p "$work"
log="$work/importer.log"

status=0
# The importer runs ansible-lint, flake8 and ansible-doc from PATH; it writes importer_result.json to its cwd.
(cd "$work" && GALAXY_IMPORTER_CONFIG="$repo/galaxy-importer.cfg" \
    PATH="$venv/bin:$PATH" "$venv/bin/python" -m galaxy_importer.main "$tarball") >"$log" 2>&1 || status=$?

warnings=$(grep -c '^WARNING: ' "$log" || true)
errors=$(grep -c '^ERROR: ' "$log" || true)
grep -E '^(WARNING|ERROR): ' "$log" || true
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ] || ! grep -q '^Importer processing completed successfully$' "$log"; then
    tail -n 20 "$log" >&2
    echo "release-check: galaxy-importer failed (exit $status, $errors errors, $warnings warnings); see $log" >&2
    exit 1
fi
echo "release-check: galaxy-importer passed $(basename "$tarball"): no errors, no warnings; log: $log"

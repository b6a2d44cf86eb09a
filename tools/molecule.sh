#!/usr/bin/env bash
# `molecule test` for every role that has a scenario, one after the other; stops at the first failure.
# Run through `make molecule`, which builds the collection and starts the emulator (tools/with_emulator.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
[ -t 1 ] || export NO_COLOR=1
for scenario in roles/*/molecule/default/molecule.yml; do
  role=${scenario#roles/}
  role=${role%%/*}
  echo "== molecule test: role $role"
  # Molecule's state goes under build/, never into the role (which the collection build would pack).
  state="$repo/build/molecule/$role"
  rm -rf "$state"
  (cd "roles/$role" && MOLECULE_EPHEMERAL_DIRECTORY="$state" molecule test)
done

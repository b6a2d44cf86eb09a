#!/usr/bin/env bash
# The demo: stage imports across several applications with the AWX-ready playbook, run it again (reuse: nothing
# changes), cancel one import. Run through `make demo`, which builds the venv, installs the collection and starts
# the emulator on loopback around this script (tools/with_emulator.sh sets PA_URL and PA_TOKEN).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PA_URL:?run through make demo, which starts the emulator}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ANSIBLE_PYTHON_INTERPRETER=$(command -v python)
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_PYTHON_INTERPRETER
echo "== emulator at $PA_URL"
apps="Core Banking, HR Portal, Payments Gateway, Treasury Management, Trading Platform"

echo "== stage imports for: $apps"
ansible-playbook -i localhost, playbooks/stage_imports.yml -e "applications='$apps'" -e report_path="$work/report.json"

echo "== run it again: imports still Pending are reused (changed: false); one that already started is staged anew"
ansible-playbook -i localhost, playbooks/stage_imports.yml -e "applications='$apps'"

last=$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][-1]["import_id"])' "$work/report.json")
echo "== cancel the Trading Platform import $last, twice (the second run changes nothing)"
ansible-playbook -i localhost, playbooks/cancel_imports.yml -e import_ids="$last"
ansible-playbook -i localhost, playbooks/cancel_imports.yml -e import_ids="$last"
echo "== demo done"

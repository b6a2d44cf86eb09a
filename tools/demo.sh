#!/usr/bin/env bash
# The demo: start the emulator on loopback, stage imports across several applications with the AWX-ready
# playbook, run it again (reuse: nothing changes), cancel one import, and stop the emulator.
# Run through `make demo`, which builds the venv and installs the collection first.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

PYTHONPATH=emulator python -m pa_emulator --host 127.0.0.1 --port 0 --port-file "$work/port" \
  --token "pa_demo_token:Demo Automation" --build-seconds 15 >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "emulator did not start:"; cat "$work/emulator.log"; exit 1; }

PA_URL="http://127.0.0.1:$(cat "$work/port")"
ANSIBLE_PYTHON_INTERPRETER=$(command -v python)
export PA_URL PA_TOKEN=pa_demo_token ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_PYTHON_INTERPRETER
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

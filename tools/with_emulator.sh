#!/usr/bin/env bash
# Run a command against a fresh emulator: tools/with_emulator.sh [emulator flags...] -- command [args...]
# The emulator listens on a free loopback port; the command gets PA_URL and PA_TOKEN (the modules' environment
# fallbacks) and runs from the repository root; the emulator is stopped however the command ends. Exits with the
# command's status.
set -euo pipefail
cd "$(dirname "$0")/.."
emulator_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do emulator_args+=("$1"); shift; done
[ $# -gt 1 ] || { echo "usage: $0 [emulator flags...] -- command [args...]" >&2; exit 2; }
shift
work=$(mktemp -d)
emulator_pid=
trap '[ -z "$emulator_pid" ] || { kill "$emulator_pid" 2>/dev/null; wait "$emulator_pid" 2>/dev/null; }; rm -rf "$work"' EXIT

PYTHONPATH=emulator python -m pa_emulator --host 127.0.0.1 --port 0 --port-file "$work/port" \
  --token "pa_demo_token:Demo Automation" "${emulator_args[@]}" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }

PA_URL="http://127.0.0.1:$(cat "$work/port")"
export PA_URL PA_TOKEN=pa_demo_token
"$@"

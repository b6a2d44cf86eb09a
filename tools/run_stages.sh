#!/usr/bin/env bash
# Run `make STAGE` for each stage given, in order, and print how long each took at the end (also when one fails).
# Every stage runs even after a failure, so one run shows everything that is broken; the exit status is non-zero
# when any stage failed.
set -uo pipefail
declare -a names=() seconds=() verdicts=()
failed=0
for stage in "$@"; do
  start=$(date +%s)
  if "${MAKE:-make}" --no-print-directory "$stage"; then verdict=ok; else verdict=FAILED; failed=1; fi
  names+=("$stage") seconds+=($(($(date +%s) - start))) verdicts+=("$verdict")
done
total=0
echo
echo "make test: time per stage"
for i in "${!names[@]}"; do
  printf '  %-16s %5ss  %s\n' "${names[$i]}" "${seconds[$i]}" "${verdicts[$i]}"
  total=$((total + seconds[i]))
done
printf '  %-16s %5ss\n' total "$total"
exit "$failed"

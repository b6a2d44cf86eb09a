#!/usr/bin/env bash
# The first of the given Python versions this machine can run, found on PATH or under ~/.pyenv: prints its path, or
# nothing. `tools/find_python.sh 3.14 3.13 3.12` is how the Makefile picks the main line's Python (the newest);
# tools/matrix.sh sources this file for find_python.
find_python() {  # find_python VERSION... -> the path of the first one that runs, or nothing (status 1)
  local version candidate
  for version in "$@"; do
    for candidate in "$HOME"/.pyenv/versions/"$version".*/bin/python"$version" \
        "$(command -v "python$version" 2>/dev/null)"; do
      # A pyenv shim exists on PATH even when it cannot run that version: try it.
      [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "" 2>/dev/null && { echo "$candidate"; return 0; }
    done
  done
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  find_python "$@" || true
fi

#!/usr/bin/env bash
# Runs the module end-to-end tests on each supported ansible-core line, each in its own venv.
# `tools/matrix.sh 2.16` (or 2.20, 2.21, sanity) runs one part: `make test` runs them as stages of their own, side by
# side; `tools/matrix.sh --venvs` only makes the venvs (`make setup` runs it, so `make test`'s clock starts with them).
# ansible-core 2.20+ needs Python >= 3.12: found on PATH or under pyenv; without one that line is skipped
# with a message (never silently).
set -euo pipefail
cd "$(dirname "$0")/.."
# The action plugin of pa_import_wait (progress lines) leans on ansible-core internals that move between lines, so its
# tests run here too (not the ansible-runner one: these venvs have no ansible-runner), and so do the roles' and
# playbooks' staged-then-wait steps: all of them on 2.16 (their Jinja), the interrupted wait on every line (how each
# line passes SIGINT/SIGTERM to its workers).
# What changes between lines: module_defaults and role argument specs, Jinja templating (2.19 replaced its engine),
# no_log, AnsibleModule's validation messages, action plugins and signal handling. Every line runs the in-process
# harness's own tests and the bad-input table (tests/pa_modulelib.py calls the modules' main(): AnsibleModule's
# messages, and the private names the harness sets, which it checks first). The oldest line (2.16, the templating
# engine before 2.19's) also runs the role, playbook, secrets, wait and upload tests and the modules' in-process stage,
# cancel and upload tests; 2.20 and 2.21 share 2.19's engine, where the main venv runs every test, so they run what
# still differs between them: module_defaults reaching the roles, no_log, the wait's action plugin and signals, and
# one upload through ansible-playbook (streamed on Python 3.12/3.13 too) (kept small: CI time).
in_process=(tests/unit/plugins/modules/test_module_harness.py tests/unit/plugins/modules/test_module_bad_input.py)
interrupted_wait=(tests/e2e/test_staged_then_wait.py::test_interrupted_wait_leaves_every_import_named_and_reported)
watched_wait=(
  tests/e2e/test_watched_wait.py::test_progress_lines_while_waiting_delegated_and_the_same_result_under_async
  tests/e2e/test_watched_wait.py::test_the_module_on_its_own_in_check_mode_names_a_stalled_build_job)
current=("${in_process[@]}"
         tests/e2e/test_role_and_playbooks.py::test_module_defaults_reach_both_roles_and_the_role_inputs_win_key_by_key
         tests/e2e/test_secrets.py "${interrupted_wait[@]}" "${watched_wait[@]}"
         tests/e2e/test_upload.py::test_module_defaults_delegation_check_diff_and_reuse_through_ansible)
oldest=("${in_process[@]}" tests/unit/plugins/modules/test_module_stage_and_cancel.py
        tests/unit/plugins/modules/test_pa_import_upload.py
        tests/e2e/test_role_and_playbooks.py tests/e2e/test_secrets.py tests/e2e/test_staged_then_wait.py
        "${watched_wait[@]}" tests/e2e/test_upload.py)

find_python() {  # find_python 3.13 -> path or nothing
  local version=$1 candidate
  for candidate in "$HOME"/.pyenv/versions/"$version".*/bin/python"$version" "$(command -v "python$version" 2>/dev/null)"; do
    # A pyenv shim exists on PATH even when it cannot run that version: try it.
    [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "" 2>/dev/null && { echo "$candidate"; return; }
  done
}

line_venv() {  # line_venv CORE_SPEC -> .venv-matrix/coreX.Y
  echo ".venv-matrix/core$(echo "$1" | grep -o "[0-9]*\.[0-9]*" | head -1)"
}

make_venv() {  # make_venv CORE_SPEC "PYTHON_VERSION..." -> the venv made (or already there), or nothing
  local spec=$1 versions=$2
  local python="" version
  for version in $versions; do python=$(find_python "$version"); [ -n "$python" ] && break; done
  if [ -z "$python" ]; then
    echo "matrix: SKIPPED ansible-core $spec: no Python $versions found on PATH or under ~/.pyenv" >&2
    return
  fi
  local venv
  venv=$(line_venv "$spec")
  if [ ! -f "$venv/.installed" ] || [ requirements-matrix.txt -nt "$venv/.installed" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet "ansible-core$spec" -r requirements.txt -r requirements-matrix.txt >&2
    touch "$venv/.installed"
  fi
  echo "$venv"
}

run_line() {  # run_line CORE_SPEC "PYTHON_VERSION..." TEST...
  local spec=$1 versions=$2; shift 2
  local venv
  venv=$(make_venv "$spec" "$versions")
  [ -n "$venv" ] || return 0
  local core
  core=$("$venv/bin/ansible" --version) # whole: `| head -1` closes the pipe early and ansible dies of EPIPE
  echo "matrix: ${core%%$'\n'*} on $("$venv/bin/python" --version)"
  "$venv/bin/python" -m pytest -p no:cacheprovider -q -n 2 --dist worksteal "$@"
}

# ansible-test sanity (every test tools/sanity/run.sh runs, on the line's own Python) on the newest supported line, after
# that line's tests (run_line made its venv), so that a change in ansible-test's rules or in ansible-core's module
# validation (validate-modules, ansible-doc, import, runtime-metadata) shows before users meet it. run.sh starts with
# tools/sanity/preflight.py, which checks every private ansible-test detail run.sh relies on and names the one that
# changed; tests/tools (the preflight's own tests) runs on that line first. The line keeps a sanity state directory
# of its own: ansible-test's venvs there are this line's, and runs on the main venv's line are not held up by its lock.
run_sanity() {  # run_sanity CORE_SPEC [--prime-venvs: only make ansible-test's venvs, run no test]
  local spec=$1 prime=${2:-} venv
  venv=$(line_venv "$spec")
  if [ ! -f "$venv/.installed" ]; then
    echo "matrix: SKIPPED sanity on ansible-core $spec: that line has no venv (no Python for it, see above)"
    return
  fi
  local version
  version=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ -z "$prime" ]; then
    echo "matrix: sanity on ansible-core $spec, Python $version (preflight tests, then tools/sanity/run.sh)"
    "$venv/bin/python" -m pytest -p no:cacheprovider -q tests/tools
  fi
  SANITY_STATE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sycorr-permission_assist-sanity-${venv##*/}" \
    ./tools/sanity/run.sh "$venv" sanity --python "$version" ${prime:+"$prime"}
}

# 2.19 is the main venv's line (every test runs on it); these are the oldest supported and the other current ones:
# ansible-core spec | Pythons to try, in order | the tests it runs.
newest=">=2.21,<2.22"  # also the line sanity runs on
lines=(">=2.16,<2.17|3.11|oldest" ">=2.20,<2.21|3.12 3.13|current" "$newest|3.13 3.12|current")
what=${1:-all}
case $what in
  all | --venvs | sanity | 2.16 | 2.20 | 2.21) ;;
  *) echo "usage: $0 [--venvs | 2.16 | 2.20 | 2.21 | sanity]   (no argument: every line, then sanity)" >&2; exit 2 ;;
esac
for line in "${lines[@]}"; do
  IFS="|" read -r spec versions tests <<<"$line"
  if [ "$what" = --venvs ]; then
    make_venv "$spec" "$versions" >/dev/null
    continue
  fi
  [ "$what" = all ] || [ "core$what" = "$(basename "$(line_venv "$spec")")" ] || continue
  case $tests in
    oldest) run_line "$spec" "$versions" "${oldest[@]}" ;;
    current) run_line "$spec" "$versions" "${current[@]}" ;;
  esac
done
case $what in
  all | sanity) run_sanity "$newest" ;;
  --venvs) run_sanity "$newest" --prime-venvs ;;
esac

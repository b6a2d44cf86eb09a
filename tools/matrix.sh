#!/usr/bin/env bash
# Runs the module end-to-end tests on each supported ansible-core line other than the main one, each in its own venv.
# The main line (.venv: the newest stable ansible-core on the newest Python, see the Makefile) runs every test; the
# lines here run what differs between lines. `tools/matrix.sh 2.16` (or 2.19, 2.20, 2.22, sanity) runs one part:
# `make test` runs 2.16, 2.19 and 2.22 as stages of their own, side by side (sanity on 2.22 is `make matrix-sanity`); `tools/matrix.sh --venvs` only
# makes those parts' venvs (`make setup` runs it, so `make test`'s clock starts with them). 2.20 runs on demand.
# ansible-core 2.20+ needs Python >= 3.12: found on PATH or under pyenv; without one that line is skipped
# with a message (never silently).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools/find_python.sh
. tools/find_python.sh
# The action plugin of pa_import_wait (progress lines) leans on ansible-core internals that move between lines, so its
# tests run here too (not the ansible-runner one: these venvs have no ansible-runner), and so do the roles' and
# playbooks' interrupted wait on every line (how each line passes SIGINT/SIGTERM to its workers).
# What changes between lines: module_defaults and role argument specs, Jinja templating (2.19 replaced its engine),
# no_log (2.22 masks secrets where it displays them and no longer replaces them inside module results), the
# deprecations each line prints, AnsibleModule's validation messages, action plugins and signal handling. Every line
# runs the in-process harness's own tests, the modules' own scrubbing of their no_log values and the bad-input table
# (tests/pa_modulelib.py calls the modules' main(): AnsibleModule's messages, and the private names the harness sets,
# which it checks first). The oldest line (2.16, the templating engine before 2.19's) also runs the secrets, wait,
# upload and playbook-input tests and the modules' in-process stage, cancel and upload tests; the roles' and ready
# playbooks' own tests run on the main line only, since their Jinja only prints what the modules return (for, if
# and set: none left, tools/jinja_statements.sh), and module_defaults reaching the roles runs on every line; 2.19 (the
# last line on Python 3.11), 2.20 and the pre-release share the main line's engine, so they run what still differs between them:
# module_defaults reaching the roles, no_log and warnings (tests/e2e/test_secrets.py), the wait's action plugin and
# signals, and one upload through ansible-playbook (kept small: CI time).
in_process=(tests/unit/plugins/modules/test_module_harness.py tests/unit/plugins/modules/test_module_bad_input.py
            tests/unit/plugins/modules/test_module_secrets.py)
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
        tests/e2e/test_role_and_playbooks.py::test_module_defaults_reach_both_roles_and_the_role_inputs_win_key_by_key
        tests/e2e/test_secrets.py "${interrupted_wait[@]}" "${watched_wait[@]}" tests/e2e/test_upload.py
        tests/e2e/test_playbook_inputs.py)

line_venv() {  # line_venv CORE_SPEC -> .venv-matrix/coreX.Y
  echo ".venv-matrix/core$(echo "$1" | grep -o "[0-9]*\.[0-9]*" | head -1)"
}

make_venv() {  # make_venv CORE_SPEC "PYTHON_VERSION..." -> the venv made (or already there), or nothing
  local spec=$1 versions=$2
  local python="" version
  # shellcheck disable=SC2086  # the versions, one word each
  python=$(find_python $versions || true)
  if [ -z "$python" ]; then
    echo "matrix: SKIPPED ansible-core $spec: no Python $versions found on PATH or under ~/.pyenv" >&2
    return
  fi
  local venv stamp
  venv=$(line_venv "$spec")
  stamp="ansible-core$spec on $python"  # a new spec (the next pre-release) or Python remakes the venv
  if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$stamp" ] || [ requirements-matrix.txt -nt "$venv/.installed" ] ||
      [ requirements.txt -nt "$venv/.installed" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2
    # A spec naming a pre-release (>=2.22.0rc1) lets pip pick pre-releases of ansible-core alone, not of the others
    # (as --pre would).
    "$venv/bin/pip" install --quiet "ansible-core$spec" -r requirements.txt -r requirements-matrix.txt >&2
    echo "$stamp" >"$venv/.installed"
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

# ansible-test sanity (every test tools/sanity/run.sh runs, on the line's own Python) on the pre-release line (`make
# sanity` runs it on the main line), so that a change in ansible-test's rules or in ansible-core's module validation
# (validate-modules, ansible-doc, import, runtime-metadata, pylint's deprecation checks) shows before users meet it. run.sh starts with
# tools/sanity/preflight.py, which checks every private ansible-test detail run.sh relies on and names the one that
# changed; tests/tools/test_sanity_preflight.py (the preflight's own tests) runs on that line first. The line keeps a sanity state directory
# of its own: ansible-test's venvs there are this line's, and runs on the main venv's line are not held up by its lock.
run_sanity() {  # run_sanity CORE_SPEC [--prime-venvs: only make ansible-test's venvs, run no test]
  local spec=$1 prime=${2:-} venv
  venv=$(line_venv "$spec")
  if [ ! -f "$venv/.installed" ]; then
    echo "matrix: SKIPPED sanity on ansible-core $spec: that line has no venv (no Python for it, see above)"
    return
  fi
  local version requirements
  version=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  # ansible-core 2.22.0rc1's ansible-test pins pylint's dill as a GitHub archive (a commit after dill 0.4.1), which a
  # machine that reaches only the package index cannot fetch: the index's newest dill stands in, and this says so.
  requirements=$("$venv/bin/python" -c 'import ansible_test, os.path
print(os.path.join(os.path.dirname(ansible_test.__file__), "_data", "requirements", "sanity.pylint.txt"))')
  if grep -q '^dill @ http' "$requirements"; then
    sed -i 's/^dill @ http.*/dill/' "$requirements"
    echo "matrix: ansible-test's pylint requirements named dill by a download URL: the package index's dill instead"
  fi
  if [ -z "$prime" ]; then
    echo "matrix: sanity on ansible-core $spec, Python $version (preflight tests, then tools/sanity/run.sh)"
    "$venv/bin/python" -m pytest -p no:cacheprovider -q tests/tools/test_sanity_preflight.py
  fi
  SANITY_STATE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sycorr-permission_assist-sanity-${venv##*/}" \
    ./tools/sanity/run.sh "$venv" sanity --python "$version" ${prime:+"$prime"}
}

# The lines besides the main one (.venv, every test; the Makefile): the oldest supported, the last on Python 3.11, the
# one between it and the main line, and the newest pre-release. What each runs: see the top of this file.
# ansible-core spec | Pythons to try, in order | the tests it runs | whether `make test` runs it (else on demand).
prerelease=">=2.22.0rc1,<2.23"  # also the line the second sanity runs on
lines=(">=2.16,<2.17|3.11|oldest|test" ">=2.19,<2.20|3.11|current|test" ">=2.20,<2.21|3.12 3.13|current|demand"
       "$prerelease|3.14 3.13 3.12|current|test")
what=${1:-all}
case $what in
  all | --venvs | sanity | 2.16 | 2.19 | 2.20 | 2.22) ;;
  *) echo "usage: $0 [--venvs | 2.16 | 2.19 | 2.20 | 2.22 | sanity]   (no argument: every line, then sanity)" >&2
     exit 2 ;;
esac
for line in "${lines[@]}"; do
  IFS="|" read -r spec versions tests when <<<"$line"
  if [ "$what" = --venvs ]; then
    [ "$when" = test ] && make_venv "$spec" "$versions" >/dev/null
    continue
  fi
  [ "$what" = all ] || [ "core$what" = "$(basename "$(line_venv "$spec")")" ] || continue
  case $tests in
    oldest) run_line "$spec" "$versions" "${oldest[@]}" ;;
    current) run_line "$spec" "$versions" "${current[@]}" ;;
  esac
done
case $what in
  all | sanity) run_sanity "$prerelease" ;;
  --venvs) run_sanity "$prerelease" --prime-venvs ;;
esac

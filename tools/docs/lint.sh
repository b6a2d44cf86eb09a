#!/usr/bin/env bash
# make docs-lint: antsibull-docs lint-collection-docs on this checkout, saying why whenever it fails.
#   tools/docs/lint.sh VENV OUTDIR
# antsibull-docs logs to ~/antsibull.log by default: one file for every checkout and run on the machine, appended to
# forever. Here each run logs (debug level: each step, and the stderr of the ansible-doc it runs) to a folder of its
# own under OUTDIR, with its output, so runs at the same time do not mix. The folder is removed when the lint passes;
# a failure keeps it and ends with one line giving antsibull-docs' exit status and what it means, and when
# antsibull-docs printed nothing, the last lines of its log follow (the step it reached).
set -uo pipefail
venv=$1
mkdir -p "$2"
run=$(mktemp -d "$2/run.XXXXXX") || exit 1
config=$run/antsibull-docs.cfg log=$run/antsibull.log output=$run/output.txt
cat >"$config" <<EOF
logging_cfg = {
    version = 1.0
    outputs = {
        logfile = {
            output = twiggy.outputs.FileOutput
            args = [
                $log
            ]
        }
        stderr = {
            output = twiggy.outputs.StreamOutput
            format = twiggy.formats.shell_format
        }
    }
    emitters = {
        all = {
            level = DEBUG
            output_name = logfile
        }
        problems = {
            level = WARNING
            output_name = stderr
        }
    }
}
EOF

# antsibull-docs lints a copy of the work tree, and (--validate-collection-refs all) every collection on
# ANSIBLE_COLLECTIONS_PATH besides: an empty folder here, so the lint reads only the work tree, never build/collections
# (which `make build` deletes and rewrites) nor ~/.ansible (which every checkout here shares).
mkdir -p "$run/collections" "$run/home"
ANSIBLE_COLLECTIONS_PATH=$(cd "$run/collections" && pwd) ANSIBLE_HOME=$(cd "$run/home" && pwd) PATH="$venv/bin:$PATH" \
  "$venv/bin/antsibull-docs" --config-file "$config" lint-collection-docs --plugin-docs \
  --validate-collection-refs all --disallow-unknown-collection-refs --check-extra-docs-refs . >"$output" 2>&1
status=$?
cat "$output"
if [ "$status" -eq 0 ]; then
  rm -rf "$run"
  exit 0
fi

case $status in
  1) meaning="an unhandled error" ;;
  2) meaning="bad arguments or configuration" ;;
  3) meaning="the docs have problems (each listed above, as file:line:column: message)" ;;
  *) if [ "$status" -gt 128 ]; then meaning="killed by signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null))"
     else meaning="an exit status antsibull-docs does not document"; fi ;;
esac
echo "docs-lint: antsibull-docs exited $status: $meaning; output in $output, log in $log" >&2
if [ ! -s "$output" ]; then
  if [ -s "$log" ]; then
    echo "docs-lint: antsibull-docs printed nothing; the last lines of its log (without the copied files):" >&2
    grep -v -e "|Copying file '" -e "|Copying directory '" "$log" | tail -n 25 >&2
  else
    echo "docs-lint: antsibull-docs printed nothing and wrote no log: it stopped before configuring its logging" >&2
  fi
fi
exit "$status"

#!/usr/bin/env bash
# Counts the Jinja statements that carry logic in roles/ and playbooks/: the opening tags `{% for`, `{% if` and
# `{% set` (also written `{%-`); `elif`, `else` and the `end*` tags are not counted. Prints the count per file, then
# the total. Expressions (`{{ ... }}`) are not statements and are not counted.
#   tools/jinja_statements.sh          (from the collection root)
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='{%-\? *\(for\|if\|set\)\b'
grep -o -r "$pattern" roles playbooks | cut -d: -f1 | sort | uniq -c || true
printf 'total: %s\n' "$(grep -o -r "$pattern" roles playbooks | wc -l)"

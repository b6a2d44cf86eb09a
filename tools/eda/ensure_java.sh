#!/usr/bin/env bash
# ansible-rulebook runs its rules engine (Drools) on a Java runtime, 17 or newer. Make sure there is one: as root on a
# Debian-like machine, install Debian's openjdk-17-jre-headless where it is absent; anywhere else, fail with one line
# that says what to install. Never skips: `make eda-tests` needs it.
set -euo pipefail

need=17
java_bin() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"; else command -v java || true; fi
}
major() { "$1" -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1; }
usable() {
    local bin
    bin=$(java_bin)
    [ -n "$bin" ] && [ "$(major "$bin")" -ge "$need" ] 2>/dev/null
}

if usable; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "tools/eda/ensure_java.sh: no Java runtime $need or newer; installing openjdk-17-jre-headless (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
    hash -r
    if usable; then
        exit 0
    fi
fi
echo "tools/eda/ensure_java.sh: ansible-rulebook needs a Java runtime $need or newer ('java' on PATH, or JAVA_HOME)" \
    "and none was found or could be installed: install openjdk-17-jre-headless (Debian/Ubuntu, as root:" \
    "apt-get install openjdk-17-jre-headless) and run make again" >&2
exit 1

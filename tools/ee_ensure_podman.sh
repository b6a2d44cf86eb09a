#!/usr/bin/env bash
# What `make ee-build` needs to build the EE and DE images (tools/ee_image.py): podman, runc (the OCI runtime used
# here: crun refuses this machine's hybrid cgroups) and mmdebstrap (the local Debian base where the definitions' base
# images cannot be pulled). As root on a Debian-like machine, install those that are absent with apt-get; anywhere
# else, fail with one line that says what to install. Never skips.
set -euo pipefail

missing=()
find_missing() {
    local package
    missing=()
    for package in podman runc mmdebstrap; do command -v "$package" >/dev/null || missing+=("$package"); done
}

find_missing
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "tools/ee_ensure_podman.sh: installing ${missing[*]} (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    hash -r
    find_missing
    [ ${#missing[@]} -eq 0 ] && exit 0
fi
echo "tools/ee_ensure_podman.sh: building the EE and DE images needs ${missing[*]} and they are absent and could not" \
    "be installed: install them (Debian/Ubuntu, as root: apt-get install podman runc mmdebstrap) and run make again" >&2
exit 1

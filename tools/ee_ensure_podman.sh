#!/usr/bin/env bash
# What `make ee-build` needs to build the EE and DE images (tools/ee_image.py): podman, runc (the OCI runtime used
# here: crun refuses this machine's hybrid cgroups) and mmdebstrap (the local Debian base where the definitions' base
# images cannot be pulled). As root on a Debian-like machine, install those that are absent with apt-get; anywhere
# else, fail with one line that says what to install. Never skips.
set -euo pipefail

packages=(podman runc mmdebstrap)
absent() {
    local package
    for package in "${packages[@]}"; do command -v "$package" >/dev/null || echo "$package"; done
}

missing=$(absent)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "tools/ee_ensure_podman.sh: installing" $missing "(apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086 # one word per package
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    hash -r
    missing=$(absent)
    [ -z "$missing" ] && exit 0
fi
echo "tools/ee_ensure_podman.sh: building the EE and DE images needs" $missing "and they are absent and could not" \
    "be installed: install them (Debian/Ubuntu, as root: apt-get install podman runc mmdebstrap) and run make again" >&2
exit 1

#!/usr/bin/env bash
# Installs what the lab, the end-to-end tests and the benchmark need, when missing (idempotent; quick when
# everything is there). Debian packages only.
set -euo pipefail

PACKAGES=(openjdk-17-jdk-headless maven libpcap0.8 iproute2 nftables ethtool python3 curl gcc libc6-dev wrk nginx-light haproxy tcpdump procps iputils-ping keepalived util-linux tshark prometheus chromium)
# tshark: the sync tests decode what the master sends with Wireshark's ipvs dissector.
# prometheus (with promtool) and chromium: the metrics suite scrapes the appliance and loads its dashboard.

[ "$(id -u)" = 0 ] || { echo "setup-host.sh: run as root" >&2; exit 1; }

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} = 0 ]; then
    echo "setup-host: all present"
    exit 0
fi

echo "setup-host: installing ${missing[*]}"
# Keep the nginx package from starting a web server in the host's namespace: the lab starts its own.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    own_policy=1
fi
trap 'if [ $own_policy = 1 ]; then rm -f "$policy"; fi' EXIT

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: no.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "setup-host: done"

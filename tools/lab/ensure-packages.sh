#!/usr/bin/env bash
# Makes sure the labs' tools are installed: iproute2 (ip, tc with the tbf qdisc) for the bottleneck
# lab, and for the NAT lab (tools/lab/nat.sh) also nftables (nft: the routers' NAT), conntrack
# (conntrack -F: flushing a router's mappings) and iptables (the statistic match: loss on a router).
# Installs what is missing with apt-get when we are root; says exactly what to install otherwise.
# Used by the lab scripts themselves, and with --all by ./parley test (the README's test command,
# which .ci/run runs), so a fresh machine (CI included) needs no manual step.
set -euo pipefail
missing=()
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  local pkg=$2 m
  for m in "${missing[@]}"; do [ "$m" = "$pkg" ] && return 0; done
  missing+=("$pkg")
}
need ip iproute2
need tc iproute2
mode=${1:-}
if [ "$mode" = "--nat" ] || [ "$mode" = "--all" ]; then
  need nft nftables
  need conntrack conntrack
  need iptables iptables
fi
# --all: everything the test suite (./parley test, and so CI) needs beyond Java and Maven.
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "parley: missing ${missing[*]} and not root: install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${missing[@]}" >&2

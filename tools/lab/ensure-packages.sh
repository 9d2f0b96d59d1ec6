#!/usr/bin/env bash
# Makes sure the labs' tools are installed: iproute2 (ip, tc with the tbf qdisc) and python3 (its
# queue sampler) for the bottleneck lab (with --delay also iptables: its added RTT), and for the NAT lab (tools/lab/nat.sh) also nftables (nft: the routers' NAT), conntrack
# (conntrack -F: flushing a router's mappings) and iptables (the statistic match: loss on a router).
# With --cluster (and --all): PostgreSQL's server binaries (initdb, pg_ctl) for the throwaway
# databases of the cluster-mode tests (issue 16); Debian keeps them in /usr/lib/postgresql/<ver>/bin.
# Installs what is missing with apt-get when we are root; says exactly what to install otherwise.
# --wireshark: tshark and dumpcap (the dissector tests, tools/wireshark/parley.lua) and lua5.2 (its
# pure-Lua ChaCha20-Poly1305 checked against RFC 8439 without Wireshark); part of --all.
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
# ethtool: the bottleneck lab turns the veths' segmentation offloads off, so that tbf and the loss
# rule see wire-sized packets (without it a TCP sender's 64 KB GSO packet is dropped, or not, as one).
need ethtool ethtool
# python3 (standard library only): the bottleneck bench's queue sampler (tools/lab/qdisc_backlog.py).
need python3 python3
# ping (iputils): the bottleneck bench's kernel-stamped ICMP probe of the queue (IcmpProbe).
need ping iputils-ping
mode=${1:-}
# --delay: the bottleneck lab's added RTT (tools/lab/nfq_delay.py, standard library only, and an
# iptables NFQUEUE rule).
if [ "$mode" = "--delay" ] || [ "$mode" = "--all" ]; then
  need python3 python3
  need iptables iptables
fi
if [ "$mode" = "--nat" ] || [ "$mode" = "--all" ]; then
  need nft nftables
  need conntrack conntrack
  need iptables iptables
fi
# PostgreSQL's binaries are not on the PATH on Debian: look in its versioned directories too.
have_postgres() {
  command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1 && return 0
  [ -n "${PARLEY_PG_BIN:-}" ] && [ -x "$PARLEY_PG_BIN/initdb" ] && [ -x "$PARLEY_PG_BIN/pg_ctl" ] && return 0
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && return 0
  done
  return 1
}
if [ "$mode" = "--cluster" ] || [ "$mode" = "--all" ]; then
  have_postgres || missing+=(postgresql)
  need redis-server redis-server
fi
if [ "$mode" = "--wireshark" ] || [ "$mode" = "--all" ]; then
  need tshark tshark
  need dumpcap wireshark-common
  need lua5.2 lua5.2
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "parley: missing ${missing[*]} and not root: install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture; answer "no" before apt can ask.
if command -v debconf-set-selections >/dev/null 2>&1; then
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
fi
apt-get update -qq >&2
apt-get install -y -qq "${missing[@]}" >&2

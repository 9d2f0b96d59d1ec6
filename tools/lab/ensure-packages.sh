#!/usr/bin/env bash
# Makes sure the bottleneck lab's tools are installed: iproute2 (ip, tc with the tbf qdisc).
# Installs them with apt-get when they are missing and we are root; says what is missing otherwise.
# Used by the lab script itself, so a fresh machine (CI included) needs no manual step.
set -euo pipefail
missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v tc >/dev/null 2>&1 || missing+=(iproute2)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "lab: missing ${missing[*]} and not root: install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${missing[@]}" >&2

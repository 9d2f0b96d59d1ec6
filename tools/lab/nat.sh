#!/usr/bin/env bash
# The NAT lab (issue 12): real NATs made of network namespaces, for hole punching and the relay.
#
#        NAME-i  "internet": a bridge, 100.127.0.1 (the registry runs here)
#         /    \
#   NAME-r1    NAME-r2       routers: wan 100.127.0.11 / .12, nft masquerade out of wan
#   10.231.1.1  10.231.2.1   (each router's LAN is a bridge)
#     /    \        \
#  NAME-h1 NAME-h3  NAME-h2  hosts: 10.231.1.11, 10.231.1.13 (both behind r1: "same NAT"), 10.231.2.12
#
#   nat.sh up NAME [R1 [R2]]       create it; R1/R2 = cone (default) | symmetric; prints shell
#                                  assignments (I_NS=... H1_NS=... REGISTRY_ADDR=...)
#   nat.sh down NAME               remove it (idempotent; removing a namespace removes its links)
#   nat.sh mode NAME r1|r2 TYPE    make a router cone or symmetric (mappings flushed, ports kept again)
#   nat.sh flush NAME r1|r2 [all]  forget its UDP mappings (conntrack; all: conntrack -F, TCP too);
#                                  a host's next packet makes a new one, on the same port if free
#   nat.sh rebind NAME r1|r2       its UDP mappings move: rules reloaded onto another port range,
#                                  UDP mappings flushed, so a host's next packet leaves from a new port
#   nat.sh cut NAME r1|r2          the router drops what goes between it and the other router (the
#                                  direct path between the two NATs dies; the registry stays reachable)
#   nat.sh mend NAME r1|r2         undo cut
#   nat.sh loss NAME PERCENT [r1|r2]  drop PERCENT% of what the router(s) forward (0 removes it)
#   nat.sh run NAME [R1 [R2]] -- CMD...  up, run CMD with the assignments exported, always down
#
# NAME: at most 8 characters of [a-z0-9]; callers make it unique, e.g. "nl$$". Interface names are
# fixed (wan, lan, eth0, inet) because each link is created directly inside its namespace; nothing
# touches the host's interfaces, routes or rules, and the addresses exist only in the namespaces.
#
# cone: endpoint-independent mapping (Linux NAT reuses a source's existing mapping) with the WAN
# side dropping `ct state new`: an unsolicited inbound packet must not create a conntrack entry,
# or the later outbound mapping finds its port taken and moves, and even cone fails. Inbound is
# then allowed only from an address the host has sent to ("port-restricted cone").
# symmetric: `masquerade random`: every new destination gets a random port.
# Mappings keep the host's port when it is free (generation 0); rebind moves the router to a port
# range (20000 + 1000 x generation) so a host's next packet leaves from a different port, as when
# a real NAT's mapping expires and comes back elsewhere. flush and rebind drop only UDP mappings by
# default, as when a NAT's UDP timeout (about 30 s) expires while its TCP connections (minutes to
# hours) stay.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Shared address space and a private /16 that exist only inside the lab's namespaces.
NET_I=100.127.0
NET_L1=10.231.1
NET_L2=10.231.2
PORT_BASE=20000
PORT_SPAN=1000
GENERATIONS=20

usage() {
  sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

check_name() {
  [[ "$1" =~ ^[a-z0-9]{1,8}$ ]] || { echo "lab: NAME must be 1-8 characters of [a-z0-9]: '$1'" >&2; exit 2; }
}

check_router() {
  [[ "$1" =~ ^r[12]$ ]] || { echo "lab: ROUTER must be r1 or r2: '$1'" >&2; exit 2; }
}

check_type() {
  [[ "$1" =~ ^(cone|symmetric)$ ]] || { echo "lab: NAT type must be cone or symmetric: '$1'" >&2; exit 2; }
}

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "lab: needs root (network namespaces, nftables, conntrack); run as root" >&2
    exit 1
  fi
}

ns() { echo "$1-$2"; }

NODES=(i r1 r2 h1 h2 h3)

down() {
  local name=$1
  for n in "${NODES[@]}"; do
    ip netns del "$(ns "$name" "$n")" 2>/dev/null || true
  done
}

# The router's NAT and WAN filter as one nft table, replaced whole (the type and the port range
# live in the table's comment so flush and mode can rebuild it).
router_rules() {
  local name=$1 router=$2 type=$3 gen=$4 R opts="" lo hi
  R=$(ns "$name" "$router")
  if [ "$gen" -gt 0 ]; then
    lo=$(( PORT_BASE + gen * PORT_SPAN )); hi=$(( lo + PORT_SPAN - 1 ))
    opts=" to :$lo-$hi"
  fi
  [ "$type" = symmetric ] && opts="$opts random"
  ip netns exec "$R" nft -f - <<NFT
table ip natlab
delete table ip natlab
table ip natlab {
  comment "$type $gen"
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" meta l4proto { tcp, udp } masquerade$opts
    oifname "wan" masquerade
  }
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan" ct state new drop
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "wan" ct state new drop
  }
}
NFT
}

# "cone 3" from the table's comment.
router_state() {
  ip netns exec "$(ns "$1" "$2")" nft list table ip natlab | sed -n 's/^[[:space:]]*comment "\(.*\)"$/\1/p'
}

# conntrack exits 1 when there was nothing to delete.
flush_mappings() {
  ip netns exec "$(ns "$1" "$2")" conntrack -F >/dev/null 2>&1 || true
}

flush_udp_mappings() {
  ip netns exec "$(ns "$1" "$2")" conntrack -D -p udp >/dev/null 2>&1 || true
}

up() {
  local name=$1 t1=${2:-cone} t2=${3:-cone}
  check_type "$t1"; check_type "$t2"
  need_root
  "$HERE/ensure-packages.sh" --nat
  for n in "${NODES[@]}"; do
    if ip netns list | grep -qw "^$(ns "$name" "$n")"; then
      echo "lab: namespace $(ns "$name" "$n") exists already (another lab with this NAME?)" >&2
      exit 1
    fi
  done
  # Whatever fails half way, nothing of this lab stays behind.
  trap 'down "$name"' ERR
  local I R1 R2 H1 H2 H3
  I=$(ns "$name" i); R1=$(ns "$name" r1); R2=$(ns "$name" r2)
  H1=$(ns "$name" h1); H2=$(ns "$name" h2); H3=$(ns "$name" h3)
  for n in "${NODES[@]}"; do
    ip netns add "$(ns "$name" "$n")"
    ip -n "$(ns "$name" "$n")" link set lo up
  done
  # The internet: one bridge, the registry's address on it.
  ip -n "$I" link add inet type bridge
  ip -n "$I" addr add "$NET_I.1/24" dev inet
  ip -n "$I" link set inet up
  local k R
  for k in 1 2; do
    R=$(ns "$name" "r$k")
    ip link add wan netns "$R" type veth peer name "port$k" netns "$I"
    ip -n "$I" link set "port$k" master inet
    ip -n "$I" link set "port$k" up
    ip -n "$R" addr add "$NET_I.1$k/24" dev wan
    ip -n "$R" link set wan up
    ip -n "$R" route add default via "$NET_I.1"
    ip -n "$R" link add lan type bridge
    ip -n "$R" link set lan up
    ip netns exec "$R" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
    # Bridged LAN traffic must not pass the router's iptables (loss) when br_netfilter is loaded.
    ip netns exec "$R" sh -c 'echo 0 > /proc/sys/net/bridge/bridge-nf-call-iptables' 2>/dev/null || true
  done
  ip -n "$R1" addr add "$NET_L1.1/24" dev lan
  ip -n "$R2" addr add "$NET_L2.1/24" dev lan
  # Hosts: eth0 in the host, a port of its router's LAN bridge on the other end.
  local spec H router addr gw
  for spec in "$H1:r1:$NET_L1.11:$NET_L1.1" "$H3:r1:$NET_L1.13:$NET_L1.1" "$H2:r2:$NET_L2.12:$NET_L2.1"; do
    IFS=: read -r H router addr gw <<<"$spec"
    R=$(ns "$name" "$router")
    local port="p${H##*-}"
    ip link add eth0 netns "$H" type veth peer name "$port" netns "$R"
    ip -n "$R" link set "$port" master lan
    ip -n "$R" link set "$port" up
    ip -n "$H" addr add "$addr/24" dev eth0
    ip -n "$H" link set eth0 up
    ip -n "$H" route add default via "$gw"
  done
  router_rules "$name" r1 "$t1" 0
  router_rules "$name" r2 "$t2" 0
  trap - ERR
  echo "NAT_NAME=$name"
  echo "I_NS=$I"
  echo "R1_NS=$R1"
  echo "R2_NS=$R2"
  echo "H1_NS=$H1"
  echo "H2_NS=$H2"
  echo "H3_NS=$H3"
  echo "REGISTRY_ADDR=$NET_I.1"
  echo "R1_WAN=$NET_I.11"
  echo "R2_WAN=$NET_I.12"
  echo "H1_ADDR=$NET_L1.11"
  echo "H2_ADDR=$NET_L2.12"
  echo "H3_ADDR=$NET_L1.13"
}

set_mode() {
  local name=$1 router=$2 type=$3
  router_rules "$name" "$router" "$type" 0
  flush_mappings "$name" "$router"
}

flush() {
  local name=$1 router=$2 what=${3:-udp}
  if [ "$what" = all ]; then
    flush_mappings "$name" "$router"
  else
    flush_udp_mappings "$name" "$router"
  fi
}

rebind() {
  local name=$1 router=$2 type gen
  read -r type gen <<<"$(router_state "$name" "$router")"
  router_rules "$name" "$router" "$type" $(( gen % (GENERATIONS - 1) + 1 ))
  flush_udp_mappings "$name" "$router"
}

# The other router's WAN address, as seen from this one.
other_wan() {
  if [ "$1" = r1 ]; then echo "$NET_I.12"; else echo "$NET_I.11"; fi
}

cut_path() {
  local name=$1 router=$2 other
  other=$(other_wan "$router")
  ip netns exec "$(ns "$name" "$router")" nft -f - <<NFT
table ip natcut
delete table ip natcut
table ip natcut {
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
    ip saddr $other drop
    ip daddr $other drop
  }
}
NFT
}

mend_path() {
  ip netns exec "$(ns "$1" "$2")" nft delete table ip natcut 2>/dev/null || true
}

# Loss where it is real: in the router's FORWARD chain (a drop in a sender's own OUTPUT chain
# surfaces as EPERM to the sender instead of as loss on the path).
loss() {
  local name=$1 percent=$2 routers=("${@:3}") R p
  [[ "$percent" =~ ^[0-9]{1,2}$ ]] || { echo "lab: PERCENT must be 0-99: '$percent'" >&2; exit 2; }
  [ ${#routers[@]} -gt 0 ] || routers=(r1 r2)
  p=$(awk "BEGIN { printf \"%.2f\", $percent / 100 }")
  for r in "${routers[@]}"; do
    check_router "$r"
    R=$(ns "$name" "$r")
    ip netns exec "$R" iptables -F FORWARD
    if [ "$percent" -gt 0 ]; then
      ip netns exec "$R" iptables -A FORWARD -m statistic --mode random --probability "$p" -j DROP
    fi
  done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up)
    [ $# -ge 1 ] && [ $# -le 3 ] || usage
    check_name "$1"
    up "$@"
    ;;
  down)
    [ $# -eq 1 ] || usage
    check_name "$1"
    need_root
    down "$1"
    ;;
  mode)
    [ $# -eq 3 ] || usage
    check_name "$1"; check_router "$2"; check_type "$3"
    need_root
    set_mode "$@"
    ;;
  flush)
    [ $# -eq 2 ] || { [ $# -eq 3 ] && [ "$3" = all ]; } || usage
    check_name "$1"; check_router "$2"
    need_root
    flush "$@"
    ;;
  rebind|cut|mend)
    [ $# -eq 2 ] || usage
    check_name "$1"; check_router "$2"
    need_root
    case "$cmd" in
      rebind) rebind "$@" ;;
      cut) cut_path "$@" ;;
      mend) mend_path "$@" ;;
    esac
    ;;
  loss)
    [ $# -ge 2 ] || usage
    check_name "$1"
    need_root
    loss "$@"
    ;;
  run)
    [ $# -ge 1 ] || usage
    check_name "$1"
    name=$1; shift
    types=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do types+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || usage
    trap 'down "$name"' EXIT INT TERM
    vars=$(up "$name" "${types[@]}")
    set -a; eval "$vars"; set +a
    "$@"
    ;;
  *) usage ;;
esac

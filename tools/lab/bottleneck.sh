#!/usr/bin/env bash
# The bottleneck lab: three network namespaces A - R - B joined by veth pairs, with a tbf rate
# limit (a drop-tail byte queue of --buffer worth of the rate, 50 ms by default) on R's link to B.
# A is the sending side, B the receiving side; B -> A (the acks) is not limited. All traffic
# stays inside the namespaces; nothing touches the host's interfaces or routes.
#
#   bottleneck.sh up NAME RATE [DELAY [LOSS]]   create the lab; prints shell assignments (A_NS=... B_ADDR=...)
#   bottleneck.sh down NAME              remove it (idempotent; removing a namespace removes its veths)
#   bottleneck.sh run NAME RATE [DELAY] -- CMD...   up, run CMD with the assignments exported, always down
#
# NAME: at most 8 characters of [a-z0-9] (veth names are limited to 15); callers make it unique,
# e.g. "pl$$". RATE: a tc rate such as 20mbit or 100mbit. DELAY: added round-trip time, such as
# 40ms (0 by default). This kernel has no netem, and a rate limit is not a delay, so the lab delays
# with tools/lab/nfq_delay.py: an iptables NFQUEUE rule on R hands every packet from B to A (the
# return path: acks and probe echoes) to that program, which holds it DELAY and accepts it. The
# whole RTT is added on the return path, so the bottleneck's queue sees the data undelayed (see
# docs/PERFORMANCE.md, "Added RTT"). LOSS: random loss, a probability such as 0.05 (0 by default):
# iptables -m statistic --mode random on R's FORWARD chain drops that share of the packets R
# forwards, independently in each direction (data A -> B and acks B -> A), as tools/lab/nat.sh does.
# LAB_TCP_CC (environment, default cubic): the congestion control of the lab's TCP streams, set on
# its routes; bbr gives the kernel's own BBR, with its nanosecond pacing, as a reference.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Private addresses that exist only inside the lab's namespaces.
NET_AR=10.201.1
NET_RB=10.201.2
BUFFER_MS=${LAB_BUFFER_MS:-50}
TCP_CC=${LAB_TCP_CC:-cubic}
# The NFQUEUE number of the delay on R (one per namespace, so labs never share it).
DELAY_QUEUE=0

usage() {
  sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

check_name() {
  [[ "$1" =~ ^[a-z0-9]{1,8}$ ]] || { echo "lab: NAME must be 1-8 characters of [a-z0-9]: '$1'" >&2; exit 2; }
}

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "lab: needs root (network namespaces and tc); run as root" >&2
    exit 1
  fi
}

ns() { echo "$1-$2"; }

# The delay program's pid file: in /run (root's), one per lab.
delay_pidfile() { echo "/run/parley-lab-$1-delay.pid"; }

# "40ms" -> 40 (also "0", "0ms", "1s", "2.5ms"); exits 2 on anything else.
delay_ms() {
  local d=${1,,}
  case "$d" in
    0) echo 0; return ;;
    *ms) [[ "${d%ms}" =~ ^[0-9]+(\.[0-9]+)?$ ]] && { echo "${d%ms}"; return; } ;;
    *s) [[ "${d%s}" =~ ^[0-9]+$ ]] && { echo $(( ${d%s} * 1000 )); return; } ;;
  esac
  echo "lab: DELAY must be like 40ms or 1s: '$1'" >&2
  exit 2
}

down() {
  local name=$1 pidfile
  pidfile=$(delay_pidfile "$name")
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
    # Its closing line (packets delayed, how late at worst) goes to stderr for the run's record.
    sleep 0.2
    cat "/run/parley-lab-$name-delay.log" >&2 2>/dev/null || true
  fi
  rm -f "/run/parley-lab-$name-delay.log"
  for side in a r b; do
    ip netns del "$(ns "$name" "$side")" 2>/dev/null || true
  done
}

up() {
  local name=$1 rate=$2 delay=${3:-0} loss=${4:-0} dms
  dms=$(delay_ms "$delay")
  [[ "$loss" =~ ^(0(\.[0-9]+)?|1)$ ]] || { echo "lab: LOSS must be a probability like 0.05: '$loss'" >&2; exit 2; }
  [[ "$TCP_CC" =~ ^(cubic|bbr|reno)$ ]] || { echo "lab: LAB_TCP_CC must be cubic, bbr or reno: '$TCP_CC'" >&2; exit 2; }
  need_root
  # --delay also brings iptables, which the loss needs too.
  if [ "$dms" = 0 ] && [ "$loss" = 0 ]; then "$HERE/ensure-packages.sh"; else "$HERE/ensure-packages.sh" --delay; fi
  local A R B
  A=$(ns "$name" a); R=$(ns "$name" r); B=$(ns "$name" b)
  for n in "$A" "$R" "$B"; do
    if ip netns list | grep -qw "^$n"; then
      echo "lab: namespace $n exists already (another lab with this NAME?)" >&2
      exit 1
    fi
  done
  # Whatever fails half way, nothing of this lab stays behind.
  trap 'down "$name"' ERR
  ip netns add "$A"; ip netns add "$R"; ip netns add "$B"
  ip link add "${name}ar" netns "$A" type veth peer name "${name}ra" netns "$R"
  ip link add "${name}rb" netns "$R" type veth peer name "${name}br" netns "$B"
  ip -n "$A" addr add "$NET_AR.1/24" dev "${name}ar"
  ip -n "$R" addr add "$NET_AR.2/24" dev "${name}ra"
  ip -n "$R" addr add "$NET_RB.2/24" dev "${name}rb"
  ip -n "$B" addr add "$NET_RB.1/24" dev "${name}br"
  for pair in "$A:${name}ar" "$R:${name}ra" "$R:${name}rb" "$B:${name}br"; do
    ip -n "${pair%%:*}" link set "${pair#*:}" up
  done
  for n in "$A" "$R" "$B"; do ip -n "$n" link set lo up; done
  # congctl cubic (LAB_TCP_CC): TCP CUBIC on the lab's routes. The per-namespace sysctl below is
  # refused on this host's kernel ("I/O error"), which left TCP on the host's default (BBR) before;
  # the route's congestion-control attribute (RTAX_CC_ALGO) applies to every connection that uses the route.
  ip -n "$A" route add default via "$NET_AR.2" congctl "$TCP_CC"
  ip -n "$B" route add default via "$NET_RB.2" congctl "$TCP_CC"
  ip netns exec "$R" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
  # The same in the end namespaces, whatever the host's default (it may be BBR); see congctl above.
  for n in "$A" "$B"; do
    ip netns exec "$n" sh -c "echo $TCP_CC > /proc/sys/net/ipv4/tcp_congestion_control" 2>/dev/null || true
  done
  # veths offload segmentation; split into wire-sized packets so tbf meters what a link would carry.
  if command -v ethtool >/dev/null 2>&1; then
    for pair in "$A:${name}ar" "$R:${name}ra" "$R:${name}rb" "$B:${name}br"; do
      ip netns exec "${pair%%:*}" ethtool -K "${pair#*:}" tso off gso off gro off >/dev/null 2>&1 || true
    done
  fi
  # The bottleneck: tbf on R's egress to B. limit = rate x buffer, the drop-tail queue in bytes;
  # burst = a few full packets so the rate holds at the packet scale.
  local bps limit
  bps=$(rate_bits "$rate")
  limit=$(( bps / 8 * BUFFER_MS / 1000 ))
  tc -n "$R" qdisc add dev "${name}rb" root tbf rate "$rate" burst 15000 limit "$limit"
  if [ "$dms" != 0 ]; then
    start_delay "$name" "$R" "$dms"
  fi
  if [ "$loss" != 0 ]; then
    # Random loss in both directions; the filter table's FORWARD runs after the mangle table's
    # NFQUEUE delay, so a delayed packet may still be dropped, as on a lossy link.
    for dev in "${name}ra" "${name}rb"; do
      ip netns exec "$R" iptables -A FORWARD -i "$dev" -m statistic --mode random --probability "$loss" -j DROP
    done
  fi
  trap - ERR
  echo "A_NS=$A"
  echo "R_NS=$R"
  echo "B_NS=$B"
  echo "A_ADDR=$NET_AR.1"
  echo "B_ADDR=$NET_RB.1"
  echo "RATE_BITS=$bps"
  echo "BUFFER_MS=$BUFFER_MS"
  echo "DELAY_MS=$dms"
  echo "LOSS=$loss"
}

# The added RTT: the delay program bound to R's queue first (so no packet meets an unbound queue,
# which would drop it), then the rule that queues what comes from B. No --queue-bypass: if the
# program dies, the return path stops, which a run notices, instead of silently losing its delay.
start_delay() {
  local name=$1 R=$2 dms=$3 pidfile ready i
  pidfile=$(delay_pidfile "$name")
  ready=$(mktemp -u "/run/parley-lab-$name-delay.XXXXXX")
  # Real-time priority (SCHED_FIFO 10, when chrt is there): the delay is the lab's link, and on a
  # host shared with builds a normal process is late by whole scheduler slices.
  local rt=()
  # (Without the capability, as in some containers, it runs at normal priority.)
  if command -v chrt >/dev/null 2>&1 && chrt -f 10 true 2>/dev/null; then rt=(chrt -f 10); fi
  ip netns exec "$R" "${rt[@]}" python3 "$HERE/nfq_delay.py" --queue "$DELAY_QUEUE" --delay-ms "$dms" --ready "$ready" \
    </dev/null >/dev/null 2>"/run/parley-lab-$name-delay.log" &
  echo $! > "$pidfile"
  for i in $(seq 1 100); do
    [ -f "$ready" ] && break
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "/run/parley-lab-$name-delay.log" >&2; false; }
    sleep 0.05
  done
  [ -f "$ready" ] || { echo "lab: the delay program did not bind its queue" >&2; false; }
  rm -f "$ready"
  ip netns exec "$R" iptables -t mangle -A FORWARD -i "${name}rb" -j NFQUEUE --queue-num "$DELAY_QUEUE"
}

# "20mbit" -> 20000000 (tc's units: kbit, mbit, gbit, bit).
rate_bits() {
  local r=${1,,}
  case "$r" in
    *gbit) echo $(( ${r%gbit} * 1000000000 )) ;;
    *mbit) echo $(( ${r%mbit} * 1000000 )) ;;
    *kbit) echo $(( ${r%kbit} * 1000 )) ;;
    *bit)  echo "${r%bit}" ;;
    *) echo "lab: rate must end in bit, kbit, mbit or gbit: '$1'" >&2; exit 2 ;;
  esac
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up)
    [ $# -ge 2 ] || usage
    check_name "$1"
    up "$@"
    ;;
  down)
    [ $# -eq 1 ] || usage
    check_name "$1"
    need_root
    down "$1"
    ;;
  run)
    [ $# -ge 2 ] || usage
    check_name "$1"
    name=$1; rate=$2; delay=0; shift 2
    if [ $# -gt 0 ] && [ "$1" != "--" ]; then delay=$1; shift; fi
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || usage
    trap 'down "$name"' EXIT INT TERM
    vars=$(up "$name" "$rate" "$delay")
    set -a; eval "$vars"; set +a
    "$@"
    ;;
  *) usage ;;
esac

#!/usr/bin/env python3
"""A fixed delay for the bottleneck lab, since this kernel has no netem.

An iptables NFQUEUE rule hands each packet of one direction to this program (through the
kernel's nfnetlink_queue, spoken here directly on a netlink socket: the standard library only, no
libnetfilter_queue). The kernel keeps the packet; this program only remembers its id and when it
arrived, and accepts it DELAY later. Since every packet gets the same delay, they leave in the
order they came, so one batch verdict ("accept every id up to N") releases all that are due.

What it is and is not: a pure delay (FIFO, no rate limit, no drops while the kernel's queue of
--maxlen packets has room), accurate to the wake-up of a user-space process: on a loaded host a
packet can leave late by however long this process waits for a CPU, and a late wake-up releases
the packets due meanwhile together. Its own figures (packets, the worst lateness) are printed on
SIGTERM, so a run can say how honest its delay was.

    nfq_delay.py --queue N --delay-ms D [--maxlen P]   (run inside the namespace of the rule)
"""
import argparse
import collections
import os
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_CONFIG = 2
NFQNL_MSG_VERDICT_BATCH = 3
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1  # the packet's id and headers only, never its payload
NF_ACCEPT = 1
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLMSG_HDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid (host order)
NFGEN_HDR = struct.Struct("!BBH")  # family, version, queue number (big-endian)
ATTR_HDR = struct.Struct("=HH")  # len, type
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
RCVBUF = 8 << 20


def attr(kind, payload):
    raw = ATTR_HDR.pack(ATTR_HDR.size + len(payload), kind) + payload
    return raw + b"\0" * (-len(raw) % 4)


def message(kind, queue, attrs, seq, flags=NLM_F_REQUEST):
    body = NFGEN_HDR.pack(socket.AF_UNSPEC, 0, queue) + b"".join(attrs)
    mtype = (NFNL_SUBSYS_QUEUE << 8) | kind
    return NLMSG_HDR.pack(NLMSG_HDR.size + len(body), mtype, flags, seq, 0) + body


def configure(sock, queue, maxlen):
    """Binds the queue and asks for metadata only; each request is acknowledged or fails loudly."""
    requests = [
        [attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, socket.AF_INET))],
        [attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META) + b"\0\0\0")],
        [attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", maxlen))],
    ]
    for seq, attrs in enumerate(requests, 1):
        sock.send(message(NFQNL_MSG_CONFIG, queue, attrs, seq, NLM_F_REQUEST | NLM_F_ACK))
        data = sock.recv(65536)
        length, mtype, _, _, _ = NLMSG_HDR.unpack_from(data)
        if mtype == NLMSG_ERROR:
            (err,) = struct.unpack_from("=i", data, NLMSG_HDR.size)
            if err != 0:
                raise OSError(-err, "nfqueue config request %d refused: %s" % (seq, os.strerror(-err)))


def packet_ids(data):
    """The ids of the queued packets in one datagram from the kernel (several messages each)."""
    off = 0
    while off + NLMSG_HDR.size <= len(data):
        length, mtype, _, _, _ = NLMSG_HDR.unpack_from(data, off)
        if length < NLMSG_HDR.size:
            return
        if mtype & 0xff == NFQNL_MSG_PACKET and mtype >> 8 == NFNL_SUBSYS_QUEUE:
            a = off + NLMSG_HDR.size + NFGEN_HDR.size
            end = off + length
            while a + ATTR_HDR.size <= end:
                alen, akind = ATTR_HDR.unpack_from(data, a)
                if alen < ATTR_HDR.size:
                    break
                if akind & 0x7fff == NFQA_PACKET_HDR:
                    (pid,) = struct.unpack_from("!I", data, a + ATTR_HDR.size)
                    yield pid
                    break
                a += (alen + 3) & ~3
        off += (length + 3) & ~3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queue", type=int, required=True)
    ap.add_argument("--delay-ms", type=float, required=True)
    ap.add_argument("--maxlen", type=int, default=16384)
    ap.add_argument("--ready", help="file to create once the queue is bound")
    args = ap.parse_args()
    delay = args.delay_ms / 1000.0
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    try:
        sock.setsockopt(socket.SOL_SOCKET, 33, RCVBUF)  # SO_RCVBUFFORCE (root)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
    sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
    configure(sock, args.queue, args.maxlen)
    if args.ready:
        open(args.ready, "w").close()
    stats = {"packets": 0, "late_max": 0.0, "late_sum": 0.0}

    def report(*_):
        n = stats["packets"]
        print("nfq_delay: queue %d, %.1f ms: %d packets, lateness mean %.3f ms, max %.3f ms"
              % (args.queue, args.delay_ms, n, 1000 * stats["late_sum"] / max(n, 1), 1000 * stats["late_max"]),
              file=sys.stderr, flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, report)
    signal.signal(signal.SIGINT, report)
    held = collections.deque()  # (due, id), in arrival order = due order
    seq = 100
    sock.setblocking(False)
    while True:
        now = time.monotonic()
        last = None
        while held and held[0][0] <= now:
            due, last = held.popleft()
            late = now - due
            stats["packets"] += 1
            stats["late_sum"] += late
            if late > stats["late_max"]:
                stats["late_max"] = late
        if last is not None:
            seq += 1
            verdict = attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, last))
            sock.send(message(NFQNL_MSG_VERDICT_BATCH, args.queue, [verdict], seq))
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        readable, _, _ = select.select([sock], [], [], timeout)
        if readable:
            arrived = time.monotonic()
            while True:
                try:
                    data = sock.recv(1 << 16)
                except BlockingIOError:
                    break
                for pid in packet_ids(data):
                    held.append((arrived + delay, pid))


if __name__ == "__main__":
    main()

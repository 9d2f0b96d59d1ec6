#!/usr/bin/env python3
"""Samples the backlog of a network device's root qdisc (the lab's tbf bottleneck) over rtnetlink.

    ip netns exec NS python3 qdisc_backlog.py DEV INTERVAL_SECONDS OUT.csv

Every INTERVAL it asks the kernel for the qdisc's statistics (an RTM_GETQDISC dump; the legacy
TCA_STATS struct carries the backlog in bytes and packets) and appends a line
`monotonic_seconds,sent_bytes,dropped,backlog_bytes,backlog_packets` to OUT.csv, until it is
terminated (SIGTERM) or the device goes. The bytes waiting in the queue, divided by the
bottleneck's rate, are the queueing delay every packet arriving then will wait: what the bench's
probe measures too, but read from the kernel, so the probe's own scheduling noise (a JVM on a
2-core host) is not in it. One process and one netlink socket for the whole run (about 0.1 ms of
CPU a sample); tc -s -batch through a pipe stalled after a few hundred samples.
"""
import signal
import socket
import struct
import sys
import time

RTM_NEWQDISC, RTM_GETQDISC = 36, 38
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_DONE, NLMSG_ERROR = 3, 2
TCA_STATS = 3
TC_H_ROOT = 0xFFFFFFFF


def main():
    dev, interval, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    ifindex = socket.if_nametoindex(dev)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
    sock.bind((0, 0))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    seq = 0
    with open(out, 'w', buffering=1 << 16) as f:
        nxt = time.monotonic()
        while not stop:
            seq += 1
            stats = sample(sock, ifindex, seq)
            if stats is None:
                break
            f.write('%.4f,%d,%d,%d,%d\n' % ((time.monotonic(),) + stats))
            nxt += interval
            delay = nxt - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                nxt = time.monotonic()


def sample(sock, ifindex, seq):
    """(sent bytes, dropped, backlog bytes, backlog packets) of DEV's root qdisc, or None if gone."""
    tcmsg = struct.pack('BxxxiIII', socket.AF_UNSPEC, ifindex, 0, 0, 0)
    sock.send(struct.pack('IHHII', 16 + len(tcmsg), RTM_GETQDISC, NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + tcmsg)
    found = None
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            length, kind = struct.unpack_from('IH', data, off)
            if kind == NLMSG_DONE:
                return found
            if kind == NLMSG_ERROR:
                return None
            if kind == RTM_NEWQDISC:
                _, index, _, parent, _ = struct.unpack_from('BxxxiIII', data, off + 16)
                at = off + 36
                while at + 4 <= off + length:
                    alen, atype = struct.unpack_from('HH', data, at)
                    if alen < 4:
                        break
                    if atype == TCA_STATS and index == ifindex and parent == TC_H_ROOT:
                        sent, _, drops, _, _, _, qlen, backlog = struct.unpack_from('QIIIIIII', data, at + 4)
                        found = (sent, drops, backlog, qlen)
                    at += (alen + 3) & ~3
            off += (length + 3) & ~3


if __name__ == '__main__':
    main()

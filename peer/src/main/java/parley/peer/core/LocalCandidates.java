package parley.peer.core;

import parley.server.protocol.Candidate;
import parley.server.protocol.CandidateList;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * This peer's local candidates (PROTOCOL.md 7.8): its UDP socket's port on every non-loopback
 * interface address, IPv4 first, then IPv6, at most {@link CandidateList#MAX}. Enumerating the
 * interfaces asks the kernel and may be slow, so it runs on a worker, never on the loop.
 * Link-local and multicast addresses are left out: a candidate carries no interface scope, so a
 * link-local IPv6 address could not be dialed from it anyway.
 */
final class LocalCandidates {
    private LocalCandidates() {
    }

    /** The candidates of a socket bound to {@code bound}; a socket bound to one address has that one. */
    static List<Candidate> gather(InetSocketAddress bound) {
        List<InetAddress> addresses = new ArrayList<>();
        if (!bound.getAddress().isAnyLocalAddress()) {
            addresses.add(bound.getAddress());
        } else {
            try {
                for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (nif.isUp() && !nif.isLoopback()) {
                        addresses.addAll(Collections.list(nif.getInetAddresses()));
                    }
                }
            } catch (SocketException e) {
                return List.of(); // no interfaces to tell: the observed and announced endpoints remain
            }
        }
        List<Candidate> v4 = new ArrayList<>();
        List<Candidate> v6 = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isMulticastAddress() || a.isAnyLocalAddress()) {
                continue;
            }
            Candidate c = new Candidate(a.getAddress(), bound.getPort());
            List<Candidate> into = a instanceof Inet4Address ? v4 : v6;
            if (!into.contains(c)) {
                into.add(c);
            }
        }
        v4.addAll(v6);
        return List.copyOf(v4.subList(0, Math.min(v4.size(), CandidateList.MAX)));
    }
}

package parley.core.reliable;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Enumeration;

/**
 * The largest UDP payload the local interfaces let leave unfragmented, read once when an endpoint
 * opens: what path-MTU probing may search up to (PROTOCOL.md 9.8). Why: Java 17 cannot set the
 * don't-fragment bit on a UDP socket, so the kernel would fragment a datagram bigger than the
 * interface's MTU and a probe could "succeed" as fragments, which a single loss then costs whole.
 * A loopback peer goes out on the loopback interface; any other address on the largest MTU of the
 * interfaces that are up and not loopback (the route's interface is not known to Java).
 */
final class InterfaceMtu {
    /** IPv4's 20-byte header and UDP's 8. */
    static final int IPV4_UDP_HEADERS = 28;
    /** IPv6's 40-byte header and UDP's 8. */
    static final int IPV6_UDP_HEADERS = 48;

    private final int loopbackMtu;
    private final int otherMtu;

    InterfaceMtu(int loopbackMtu, int otherMtu) {
        this.loopbackMtu = loopbackMtu;
        this.otherMtu = otherMtu;
    }

    /** Reads the interfaces' MTUs; one that cannot be read counts as 0 (that kind of path is not probed). */
    static InterfaceMtu read() {
        int loopback = 0;
        int other = 0;
        try {
            Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
            while (all != null && all.hasMoreElements()) {
                NetworkInterface ni = all.nextElement();
                if (!ni.isUp()) {
                    continue;
                }
                if (ni.isLoopback()) {
                    loopback = Math.max(loopback, ni.getMTU());
                } else {
                    other = Math.max(other, ni.getMTU());
                }
            }
        } catch (SocketException e) {
            return new InterfaceMtu(0, 0);
        }
        return new InterfaceMtu(loopback, other);
    }

    /** The largest UDP payload towards {@code peer}, at most {@link ReliableConfig#MAX_UDP_PAYLOAD}; 0 if unknown. */
    int maxPayload(InetSocketAddress peer) {
        boolean loopback = peer.getAddress() != null && peer.getAddress().isLoopbackAddress();
        int mtu = loopback ? loopbackMtu : otherMtu;
        int headers = peer.getAddress() instanceof Inet6Address ? IPV6_UDP_HEADERS : IPV4_UDP_HEADERS;
        return Math.max(0, Math.min(ReliableConfig.MAX_UDP_PAYLOAD, mtu - headers));
    }
}

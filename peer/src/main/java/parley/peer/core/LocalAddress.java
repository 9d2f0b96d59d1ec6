package parley.peer.core;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The local address the route to a server leaves from: what the peer announces for its UDP socket. */
final class LocalAddress {
    private LocalAddress() {
    }

    static String towards(InetSocketAddress server) {
        InetAddress target = server.getAddress();
        if (target == null || target.isLoopbackAddress()) {
            return "127.0.0.1";
        }
        // Connecting a UDP socket sends nothing; it only asks the kernel for the route.
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(target, server.getPort());
            InetAddress local = s.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? "127.0.0.1" : local.getHostAddress();
        } catch (Exception e) {
            return "127.0.0.1";
        }
    }
}

package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datagram size follows the path (PROTOCOL.md 9.8), on synthetic time over {@link PathNet}:
 * a relayed path stays at the base and is never probed; a direct one is searched up to what the
 * interface carries; a fallback to the relay drops to the base at once, and the next direct path
 * is searched again from the base.
 */
class PmtuPathChangeTest {
    static final int BASE = new ReliableConfig().maxDatagram;
    /** Jumbo frames on a LAN: 9,000 less IPv4's and UDP's 28 header bytes (PathNet's addresses are IPv4). */
    static final int JUMBO_IPV4 = 9000 - InterfaceMtu.IPV4_UDP_HEADERS;

    static int size(PathNet net, PeerSession s) throws Exception {
        return net.on(() -> s.reliable().datagramSize());
    }

    static PmtuSearch.State state(PathNet net, PeerSession s) throws Exception {
        return net.on(() -> s.reliable().pmtu().state());
    }

    @Test
    void theSizeIsTheBaseOnTheRelayRaisedOnADirectPathAndResetByEachPathChange() throws Exception {
        try (PathNet net = new PathNet(new ReliableConfig(), true, false, false, false, new InterfaceMtu(65_536, 9000))) {
            net.send(net.sa, "first"); // the direct legs are blocked at first: the relay carries it
            net.run(100, 10);
            assertThat(PathNet.texts(net.recB)).containsExactly("first");
            assertThat(net.on(() -> net.sa.path().kind())).isEqualTo(SessionPath.Kind.RELAYED);
            assertThat(size(net, net.sa)).isEqualTo(BASE);
            assertThat(state(net, net.sa)).as("nothing is probed through the relay").isEqualTo(PmtuSearch.State.DISABLED);

            net.directOpen = true; // the next punching challenge gets through
            net.run(600, 10);
            assertThat(net.on(() -> net.sa.path().kind())).isEqualTo(SessionPath.Kind.DIRECT);
            assertThat(size(net, net.sa)).as("1,452, 8,952, then the interface's maximum").isEqualTo(JUMBO_IPV4);
            assertThat(size(net, net.sb)).isEqualTo(JUMBO_IPV4);
            assertThat(state(net, net.sa)).isEqualTo(PmtuSearch.State.COMPLETE);
            long probes = net.on(() -> net.sa.reliable().pmtu().probesSent());
            assertThat(probes).isEqualTo(3);

            net.directOpen = false; // the NAT mapping is gone: fallback to the relay
            for (int i = 0; i < 20; i++) {
                net.send(net.sa, "m" + i + "x".repeat(3000));
            }
            net.run(3_000, 10);
            assertThat(net.eventsA).containsExactly("direct " + PathNet.B, "relayed " + PathNet.RELAY);
            assertThat(PathNet.texts(net.recB)).hasSize(21);
            assertThat(net.badRelayFrames).isZero();
            assertThat(size(net, net.sa)).as("the relay path starts at the base").isEqualTo(BASE);
            assertThat(state(net, net.sa)).isEqualTo(PmtuSearch.State.DISABLED);

            net.directOpen = true; // punching finds the direct path again
            net.run(1_000, 10);
            assertThat(net.on(() -> net.sa.path().kind())).isEqualTo(SessionPath.Kind.DIRECT);
            assertThat(size(net, net.sa)).as("searched again on the new direct path").isEqualTo(JUMBO_IPV4);
            assertThat(net.on(() -> net.sa.reliable().pmtu().probesSent())).isEqualTo(probes + 3);
        }
    }
}

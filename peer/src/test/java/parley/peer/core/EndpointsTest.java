package parley.peer.core;

import org.junit.jupiter.api.Test;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a peer dials comes from the registry, which may be hostile (issue 10, PROTOCOL.md 7.5):
 * only unicast IP literals are used, so nothing it sends reaches the resolver (DNS would block the
 * loop) or names a broadcast, multicast or unspecified address.
 */
class EndpointsTest {
    @Test
    void onlyUnicastIpLiteralsAreDialled() {
        assertThat(Endpoints.usable("127.0.0.1", 7)).isEqualTo(new InetSocketAddress("127.0.0.1", 7));
        assertThat(Endpoints.usable("2001:db8::7", 7)).isNotNull();
        for (String hostile : new String[] {"1234", "1.2.3", "999.1.1.1", "01.2.3.4", "example.com", "localhost", "",
                "0.0.0.0", "::", "224.0.0.1", "ff02::1", "fe80::1%eth0", "[::1]", "::ffff:1.2.3.4", "1.2.3.4 "}) {
            assertThat(Endpoints.usable(hostile, 7)).as(hostile).isNull();
        }
        assertThat(Endpoints.usable("127.0.0.1", 0)).isNull();
    }

    @Test
    void theObservedEndpointIsPreferredAndAnUnusableOneFallsBackToTheAnnounced() {
        assertThat(Endpoints.pick(endpoints("10.0.0.2", 5, "198.51.100.9", 6))).isEqualTo(new InetSocketAddress("198.51.100.9", 6));
        assertThat(Endpoints.pick(endpoints("10.0.0.2", 5, "999.1.1.1", 6))).isEqualTo(new InetSocketAddress("10.0.0.2", 5));
        assertThat(Endpoints.pick(endpoints("1234", 5, "", 0))).isNull();
    }

    private static parley.server.protocol.Endpoints endpoints(String announced, int aPort, String observed, int oPort) {
        ByteBuffer b = ByteBuffer.allocate(256);
        BodyWriter w = new BodyWriter().wrap(b, 0);
        parley.server.protocol.Endpoints.write(w, announced, aPort, observed, oPort);
        return parley.server.protocol.Endpoints.decode(new BodyReader().wrap(b, 0, w.length()));
    }
}

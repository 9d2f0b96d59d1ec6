package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --server a,b} (PROTOCOL.md 7.13): when the registry node in use dies, the peer moves to
 * the next address of its list and logs in again there by itself. The two nodes share their
 * accounts as a cluster's nodes do through the shared store: here node B starts from a copy of
 * node A's database, taken while A was stopped.
 */
class RegistryFailoverTest extends PeerFixture {
    @Test
    void whenTheNodeInUseDiesThePeerLogsInOnTheNextAddressOfItsList() throws Exception {
        InetSocketAddress a = registry.address();
        PeerConfig c = config("amy");
        c.registryUdpPort = 0;
        // Node B's address is known before it runs: take a port, give it back, start B on it later.
        int bPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            bPort = s.getLocalPort();
        }
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", bPort);
        c.servers = List.of(a, b);
        TestPeer amy = peer(c).signUp();

        // Node B gets A's accounts (the shared store of a real cluster), then A comes back too.
        registry.stop();
        Path bDir = dir.resolve("registry-b");
        Files.createDirectories(bDir);
        for (String f : new String[] {"registry.db", "registry.db-wal", "registry.db-shm"}) {
            Path from = dir.resolve("registry").resolve(f);
            if (Files.exists(from)) {
                Files.copy(from, bDir.resolve(f));
            }
        }
        try (TestRegistry nodeB = new TestRegistry(bDir, b)) {
            registry.restart();
            Seen back = amy.await(e -> e.type().equals("logged_in") && Boolean.TRUE.equals(e.get("relogin")));
            assertThat(back).isNotNull();
            // Kill the node amy is on now; she must come back on the other one.
            boolean onA = c.server.equals(a);
            amy.mark();
            if (onA) {
                registry.stop();
            } else {
                nodeB.stop();
            }
            amy.await(e -> e.type().equals("logged_in") && Boolean.TRUE.equals(e.get("relogin")));
            assertThat(c.server.equals(onA ? b : a)).as("amy moved to the surviving node").isTrue();
            amy.cmd("/who");
            amy.await("who");
        }
    }
}

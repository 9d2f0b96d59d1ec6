package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One source address cannot hold more than its share of connections that have not logged in:
 * over the cap a new connection is refused with TOO_MANY_CONNECTIONS and closed; a login or a
 * close gives the slot back. Real sockets on loopback.
 */
class PreLoginCapTest {
    @TempDir
    Path dir;

    /** Answered NOT_AUTHENTICATED: the connection was taken and is waiting for a login. */
    private static void assertTaken(SyncRegistryClient c) throws Exception {
        assertThat(c.call(RegistryOpcodes.WHO).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
    }

    private static void assertRefused(SyncRegistryClient c) throws Exception {
        assertThat(c.connectionErrors().poll(10, TimeUnit.SECONDS)).startsWith("TOO_MANY_CONNECTIONS");
        assertThat(c.closedFuture().get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void anAddressOverItsPreLoginCapIsRefusedUntilOneLogsInOrCloses() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.maxUnauthenticatedPerAddress = 3;
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            SyncRegistryClient a = fx.client();
            SyncRegistryClient b = fx.client();
            SyncRegistryClient c = fx.client();
            for (SyncRegistryClient x : new SyncRegistryClient[] {a, b, c}) {
                assertTaken(x);
            }
            assertRefused(fx.client());

            Users.register(a, "alice", "pw-alice");
            Users.login(a, "alice", "pw-alice");
            SyncRegistryClient d = fx.client();
            assertTaken(d); // alice's login gave her slot back

            assertRefused(fx.client());
            int before = fx.server.query(Registry::connectionCount);
            b.close();
            // b's close reaches the loop asynchronously; its slot is free once the loop has seen it.
            for (int i = 0; i < 1000 && fx.server.query(Registry::connectionCount) >= before; i++) {
                Thread.sleep(10);
            }
            SyncRegistryClient e = fx.client();
            assertTaken(e);
            assertThat(a.call(RegistryOpcodes.WHO).ok()).as("logged-in sessions are not counted").isTrue();
        }
    }

    @Test
    void zeroTurnsTheCapOff() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.maxUnauthenticatedPerAddress = 0;
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            for (int i = 0; i < 20; i++) {
                assertTaken(fx.client());
            }
        }
    }

    @Test
    void anIpv6SourceCountsByItsSlash64() throws Exception {
        PreLoginLimit limit = new PreLoginLimit(2);
        java.net.InetAddress a = PreLoginLimit.keyOf(java.net.InetAddress.getByName("2001:db8:1:2::1"));
        java.net.InetAddress b = PreLoginLimit.keyOf(java.net.InetAddress.getByName("2001:db8:1:2:ffff::9"));
        java.net.InetAddress other = PreLoginLimit.keyOf(java.net.InetAddress.getByName("2001:db8:1:3::1"));
        assertThat(a).isEqualTo(b);
        limit.acquire(a);
        limit.acquire(b);
        assertThat(limit.full(PreLoginLimit.keyOf(java.net.InetAddress.getByName("2001:db8:1:2::77")))).isTrue();
        assertThat(limit.full(other)).isFalse();
        java.net.InetAddress v4 = java.net.InetAddress.getByName("192.0.2.1");
        assertThat(PreLoginLimit.keyOf(v4)).isEqualTo(v4);
        limit.release(a);
        assertThat(limit.full(b)).isFalse();
    }
}

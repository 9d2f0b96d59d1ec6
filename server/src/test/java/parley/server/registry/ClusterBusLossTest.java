package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Losing Redis does not crash a node: once its lease runs out it answers BUS_UNAVAILABLE (161) to
 * what needs the bus, keeps its sessions (HEARTBEAT still works), and serves again by itself when
 * Redis is back (Lettuce reconnects, the bus resubscribes, the nodes exchange their sessions).
 */
class ClusterBusLossTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    static int contactsError(SyncRegistryClient c) throws Exception {
        return c.call(RegistryOpcodes.CONTACTS).error;
    }

    @Test
    void aRedisRestartIsRefusedWithBusUnavailableAndThenRecoveredFrom(@TempDir Path dir) throws Exception {
        try (ClusterNode n1 = ClusterNode.redis("n1", redis.uri(), dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.redis("n2", redis.uri(), dir.resolve("n2"))) {
            ClusterNode.userOnEveryNode(new ClusterNode[] {n1, n2}, "alice", "bob");
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient bob = n2.login("bob");
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()));
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);

            redis.stop();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> contactsError(alice) == RegistryErrors.BUS_UNAVAILABLE));
            // Cut off, node 1 shows bob offline rather than a presence it can no longer vouch for.
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.OFFLINE);
            assertThat(alice.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(PresenceState.ONLINE)).ok())
                    .as("a session is kept while the bus is away").isTrue();
            assertThat(Users.named(alice, RegistryOpcodes.BLOCK, "bob").error).isEqualTo(RegistryErrors.BUS_UNAVAILABLE);

            redis.restart();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(() -> contactsError(alice) == 0));
            // The nodes exchanged their sessions again: bob is back online for alice.
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterPresenceTest.contactState(alice, "bob") == PresenceState.ONLINE));
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterPresenceTest.contactState(bob, "alice") == PresenceState.ONLINE));
        }
    }
}

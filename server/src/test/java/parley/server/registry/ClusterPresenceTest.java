package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.BodyReader;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UserEntry;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Push;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two registry nodes on one throwaway Redis, real sockets: contacts made across nodes, presence
 * pushed across nodes, a second login on the other node replacing the first.
 */
class ClusterPresenceTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    /** The next PRESENCE push about {@code name} on {@code c}, skipping others. */
    static UserEntry presenceOf(SyncRegistryClient c, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Push p = c.awaitPush(RegistryOpcodes.PRESENCE, 1, TimeUnit.SECONDS);
            if (p != null) {
                UserEntry e = UserEntry.decode(p.body());
                if (e.name().equals(name)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no PRESENCE push about " + name);
    }

    static int contactState(SyncRegistryClient c, String name) throws Exception {
        Users.ContactList l = Users.contacts(c);
        int i = l.contacts.indexOf(name);
        return i < 0 ? -1 : l.states.get(i);
    }

    @Test
    void contactsOnTwoNodesSeeEachOtherAndASecondLoginElsewhereReplacesTheFirst(@TempDir Path dir) throws Exception {
        try (ClusterNode n1 = ClusterNode.redis("n1", redis.uri(), dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.redis("n2", redis.uri(), dir.resolve("n2"))) {
            ClusterNode.userOnEveryNode(new ClusterNode[] {n1, n2}, "alice", "bob");
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient bob = n2.login("bob");
            // The request made on node 1 reaches bob on node 2, and his accept there reaches node 1.
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            assertThat(bob.awaitPush(RegistryOpcodes.CONTACT_EVENT, 20, TimeUnit.SECONDS)).isNotNull();
            assertThat(Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()).isTrue();
            assertThat(presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);
            assertThat(contactState(bob, "alice")).isEqualTo(PresenceState.ONLINE);

            // Bob goes away on node 2: alice on node 1 is told.
            assertThat(bob.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(PresenceState.AWAY)).ok()).isTrue();
            assertThat(presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.AWAY);

            // Bob logs in again on node 1: his node-2 session is replaced, alice sees him online.
            SyncRegistryClient bobAgain = n1.login("bob");
            Push closed = bob.awaitPush(RegistryOpcodes.SESSION_CLOSED, 20, TimeUnit.SECONDS);
            assertThat(closed).as("SESSION_CLOSED on node 2").isNotNull();
            assertThat(closed.body().u16()).isEqualTo(RegistryErrors.SESSION_REPLACED);
            assertThat(presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);
            assertThat(contactState(bobAgain, "alice")).isEqualTo(PresenceState.ONLINE);

            // Bob logs out: alice sees him offline.
            assertThat(bobAgain.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
            assertThat(presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.OFFLINE);
        }
    }
}

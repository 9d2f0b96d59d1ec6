package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.MailEntry;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Push;
import parley.server.store.PostgresFixture;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three registry nodes sharing ONE PostgreSQL database and one Redis (throwaway instances), real
 * sockets: every account is registered once, on one node, and used on the others; contacts,
 * presence, introductions, identity bundles, offline mail and a block cross nodes; the nodes
 * survive a Redis outage; and, as processes, the SIGKILL of one.
 */
class ClusterOnPostgresTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    @Test
    void threeNodesOnOneStoreShareAccountsContactsMailAndBlocks(@TempDir Path dir) throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        try (ClusterNode n1 = ClusterNode.onPostgres("n1", redis.uri(), store, dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.onPostgres("n2", redis.uri(), store, dir.resolve("n2"));
             ClusterNode n3 = ClusterNode.onPostgres("n3", redis.uri(), store, dir.resolve("n3"))) {
            // Each account registered once, on one node; the nodes started before either existed.
            Users.register(n1.client(), "alice", "pw-alice");
            Users.register(n3.client(), "bob", "pw-bob");
            assertThat(Users.tryRegister(n2.client(), "bob", "pw-other").error)
                    .as("the name is taken on every node").isEqualTo(RegistryErrors.USERNAME_TAKEN);

            // alice (registered on node 1) logs in on node 1, bob (registered on node 3) on node 3;
            // node 1 knows bob, node 3 knows alice.
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient bob = n3.login("bob");
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            assertThat(bob.awaitPush(RegistryOpcodes.CONTACT_EVENT, 20, TimeUnit.SECONDS)).isNotNull();
            assertThat(Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()).isTrue();
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);
            assertThat(ClusterPresenceTest.contactState(bob, "alice")).isEqualTo(PresenceState.ONLINE);

            // Introduced across nodes (the registry's side: PEER_INVITE on node 3, PEER_READY on node 1).
            for (SyncRegistryClient c : List.of(alice, bob)) {
                assertThat(c.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new AnnounceEndpoint("127.0.0.1", 4001)::encode).ok())
                        .isTrue();
            }
            SyncRegistryClient.Answer connect = alice.call(RegistryOpcodes.PEER_CONNECT,
                    new PeerConnect("bob", 11L, new byte[32], 0, List.of())::encode);
            assertThat(connect.ok()).as("PEER_CONNECT: %s", connect).isTrue();
            Push invite = bob.awaitPush(RegistryOpcodes.PEER_INVITE, 20, TimeUnit.SECONDS);
            assertThat(invite).as("PEER_INVITE on node 3").isNotNull();
            int inviteId = PeerIntroduction.decodeInvite(invite.body()).inviteId();
            assertThat(bob.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(inviteId, PeerAnswer.ACCEPT, 22L, new byte[32], 0, List.of())::encode).ok()).isTrue();
            Push ready = alice.awaitPush(RegistryOpcodes.PEER_READY, 20, TimeUnit.SECONDS);
            assertThat(ready).as("PEER_READY on node 1").isNotNull();
            assertThat(PeerIntroduction.decodeReady(ready.body()).sessionId()).isEqualTo(22L);

            // An identity bundle set on node 1 is what IDENTITY_LOOKUP answers on node 3.
            parley.server.protocol.IdentityBundle bundle = IdentityRulesTest.bundle();
            assertThat(alice.call(RegistryOpcodes.SET_IDENTITY, bundle::encode).ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(() -> bundle.equals(
                    parley.server.protocol.IdentityBundle.readOptional(
                            bob.call(RegistryOpcodes.IDENTITY_LOOKUP, w -> w.string("alice")).body()))));

            // bob goes offline; alice deposits through node 1; bob drains on node 2.
            assertThat(bob.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.OFFLINE);
            assertThat(MailboxServerTest.deposit(alice, "bob", 1, new byte[] {1})).isPositive();
            SyncRegistryClient bobOn2 = n2.login("bob");
            List<MailEntry> mail = MailboxServerTest.drain(bobOn2, 10);
            assertThat(mail).hasSize(1);
            // bob online on node 2: a deposit through node 1 is announced there, counting both entries.
            assertThat(MailboxServerTest.deposit(alice, "bob", 2, new byte[] {2})).isPositive();
            assertThat(bobOn2.mailWaiting().poll(20, TimeUnit.SECONDS)).as("MAIL_WAITING on node 2").isEqualTo(2L);
            assertThat(MailboxServerTest.ack(bobOn2, MailboxServerTest.drain(bobOn2, 10).get(1).sequence())).isZero();

            // A Redis restart is survived: the nodes serve again and bob's presence comes back.
            redis.stop();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterBusLossTest.contactsError(alice) == RegistryErrors.BUS_UNAVAILABLE));
            redis.restart();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterPresenceTest.contactState(alice, "bob") == PresenceState.ONLINE));
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterPresenceTest.contactState(bobOn2, "alice") == PresenceState.ONLINE));

            // A block acknowledged on node 1 is enforced on node 2 (and node 3) for bob's next requests.
            assertThat(Users.named(alice, RegistryOpcodes.BLOCK, "bob").ok()).isTrue();
            assertThat(Users.search(bobOn2, "alice")).doesNotContain("alice");
            assertThat(Users.contacts(bobOn2).contacts).doesNotContain("alice");
            assertThat(MailboxServerTest.deposit(bobOn2, "alice", 3, new byte[] {3}))
                    .isEqualTo(-RegistryErrors.NO_SUCH_USER);
            SyncRegistryClient bobOn3 = n3.login("bob");
            assertThat(Users.search(bobOn3, "alice")).doesNotContain("alice");
        }
    }

    /**
     * Node processes on the shared store ({@code --store postgresql://... --bus redis://...}):
     * node 3 killed with SIGKILL; its user's contact on node 1 sees him offline within the lease,
     * and he logs in on node 2, where he never registered, with the contact he accepted on node 3.
     */
    @Test
    void aKilledNodesUserGoesOfflineAndLogsInOnAnotherNodeWithNothingLost(@TempDir Path dir) throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        try (NodeProcess n1 = new NodeProcess(dir.resolve("n1"), node("n1", store));
             NodeProcess n2 = new NodeProcess(dir.resolve("n2"), node("n2", store));
             NodeProcess n3 = new NodeProcess(dir.resolve("n3"), node("n3", store))) {
            for (NodeProcess n : List.of(n1, n2, n3)) {
                assertThat(n.ready()).as("node started: %s", n.output).isTrue();
            }
            SyncRegistryClient alice = n1.client();
            SyncRegistryClient bob = n3.client();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> Users.tryRegister(alice, "alice", "pw-alice").ok()));
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> Users.tryRegister(bob, "bob", "pw-bob").ok()));
            Users.login(alice, "alice", "pw-alice");
            Users.login(bob, "bob", "pw-bob");
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()));
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);

            n3.kill();
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.OFFLINE);
            SyncRegistryClient bobOn2 = n2.client();
            Users.login(bobOn2, "bob", "pw-bob");
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);
            assertThat(ClusterPresenceTest.contactState(bobOn2, "alice")).isEqualTo(PresenceState.ONLINE);
        }
    }

    private static String[] node(String id, String store) {
        return new String[] {"--store", store, "--bus", redis.uri(), "--node-id", id, "--cluster-lease", "2",
                "--port", "0", "--udp-port", "0"};
    }
}

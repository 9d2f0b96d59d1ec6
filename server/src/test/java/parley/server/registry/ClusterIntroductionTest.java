package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.BodyReader;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Push;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introductions between users on two nodes (PROTOCOL.md 7.5, 7.13): alice on node 1 asks for
 * bob on node 2; bob gets PEER_INVITE with alice's endpoint, answers on node 2, and alice gets
 * PEER_READY with bob's endpoint and a grant for node 2's relay, which ends when alice's session
 * on node 1 does. A decline reaches alice as
 * PEER_DECLINED, and after a block on node 2 alice's node refuses as for an offline user.
 */
class ClusterIntroductionTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    private static void announce(SyncRegistryClient c, int port) throws Exception {
        assertThat(c.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new AnnounceEndpoint("127.0.0.1", port)::encode).ok()).isTrue();
    }

    @Test
    void usersOnTwoNodesAreIntroducedBothWaysAndADeclineAndABlockReachTheOtherNode(@TempDir Path dir) throws Exception {
        try (ClusterNode n1 = ClusterNode.redis("n1", redis.uri(), dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.redis("n2", redis.uri(), dir.resolve("n2"))) {
            ClusterNode.userOnEveryNode(new ClusterNode[] {n1, n2}, "alice", "bob");
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient bob = n2.login("bob");
            announce(alice, 4001);
            announce(bob, 4002);
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()));
            ClusterPresenceTest.presenceOf(alice, "bob");

            BodyReader connected = alice.call(RegistryOpcodes.PEER_CONNECT, new PeerConnect("bob", 11L, new byte[32], 0, List.of())::encode).body();
            int aliceInvite = connected.i32();
            Push invitePush = bob.awaitPush(RegistryOpcodes.PEER_INVITE, 20, TimeUnit.SECONDS);
            assertThat(invitePush).as("PEER_INVITE on node 2").isNotNull();
            PeerIntroduction invite = PeerIntroduction.decodeInvite(invitePush.body());
            assertThat(invite.name()).isEqualTo("alice");
            assertThat(invite.sessionId()).isEqualTo(11L);
            assertThat(invite.endpoints().announcedPort()).isEqualTo(4001);
            SyncRegistryClient.Answer answered = bob.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(invite.inviteId(), PeerAnswer.ACCEPT, 22L, new byte[32], 0, List.of())::encode);
            assertThat(answered.ok()).isTrue();
            assertThat(parley.server.protocol.RelayGrant.read(answered.body()).atRegistry())
                    .as("bob's grant: his own node's relay").isTrue();
            Push readyPush = alice.awaitPush(RegistryOpcodes.PEER_READY, 20, TimeUnit.SECONDS);
            assertThat(readyPush).as("PEER_READY on node 1").isNotNull();
            PeerIntroduction ready = PeerIntroduction.decodeReady(readyPush.body());
            assertThat(ready.inviteId()).isEqualTo(aliceInvite);
            assertThat(ready.name()).isEqualTo("bob");
            assertThat(ready.sessionId()).isEqualTo(22L);
            assertThat(ready.endpoints().announcedPort()).isEqualTo(4002);
            // alice's grant names node 2's relay, where the pair was allocated at bob's answer.
            assertThat(ready.relay()).as("alice's grant across nodes").isNotNull();
            assertThat(ready.relay().host()).isEqualTo("127.0.0.1");
            assertThat(ready.relay().port()).isEqualTo(n2.fixture.server.udpAddress().getPort());
            assertThat(n2.fixture.server.relayStats().sessionsCurrent()).isEqualTo(1);
            assertThat(n1.fixture.server.relayStats().sessionsTotal()).isZero();
            // alice's session ends on node 1: node 2 ends the relayed session when the bus says so.
            assertThat(alice.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> n2.fixture.server.relayStats().sessionsCurrent() == 0));
            alice = n1.login("alice");
            announce(alice, 4001);
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterPresenceTest.contactState(bob, "alice") == parley.server.protocol.PresenceState.ONLINE));

            // The other way round, declined.
            assertThat(bob.call(RegistryOpcodes.PEER_CONNECT, new PeerConnect("alice", 33L, new byte[32], 0, List.of())::encode).ok()).isTrue();
            PeerIntroduction back = PeerIntroduction.decodeInvite(alice.awaitPush(RegistryOpcodes.PEER_INVITE, 20, TimeUnit.SECONDS).body());
            assertThat(alice.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(back.inviteId(), PeerAnswer.DECLINE, 0L, new byte[32], 0, List.of())::encode).ok()).isTrue();
            assertThat(bob.awaitPush(RegistryOpcodes.PEER_DECLINED, 20, TimeUnit.SECONDS)).as("PEER_DECLINED on node 2").isNotNull();

            // Bob blocks alice on node 2: once acknowledged, node 1 answers alice as for a user who does not exist.
            assertThat(Users.named(bob, RegistryOpcodes.BLOCK, "alice").ok()).isTrue();
            assertThat(alice.call(RegistryOpcodes.PEER_CONNECT, new PeerConnect("bob", 44L, new byte[32], 0, List.of())::encode).error)
                    .isEqualTo(RegistryErrors.NO_SUCH_USER);
        }
    }
}

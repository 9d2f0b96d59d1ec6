package parley.peer.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.peer.core.PeerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, end to end with real peers: alice logged in on node 1 and bob on node 2 of one
 * cluster (TwoNodes: shared PostgreSQL, Redis bus) become contacts, are introduced across the
 * nodes and chat both ways with delivery confirmations.
 */
class CrossNodeChatTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @AfterEach
    void closeAll() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // best effort after a failed test
            }
        }
    }

    @Test
    void peersOnTwoNodesAreIntroducedAndChatBothWaysWithDeliveryConfirmations() throws Exception {
        TwoNodes cluster = track(new TwoNodes(c -> { }));
        TestPeer alice = track(TestPeer.start(cluster.on(0).config("alice", dir))).signUp();
        TestPeer bob = track(TestPeer.start(cluster.on(1).config("bob", dir))).signUp();

        DeliveryTest.befriend(alice, bob);

        alice.cmd("/msg bob hello across nodes");
        Seen sending = alice.await("sending");
        Seen got = bob.await("message", "text", "hello across nodes");
        assertThat(got.get("from")).isEqualTo("alice");
        alice.await("delivered", "id", sending.get("id"));

        bob.cmd("/msg alice and back");
        Seen back = bob.await("sending");
        alice.await("message", "text", "and back");
        bob.await("delivered", "id", back.get("id"));

        String alicePrint = alice.await("session_open").string("fingerprint");
        assertThat(bob.await("session_open").string("fingerprint")).isEqualTo(alicePrint);
    }

    /**
     * "Or through the relay on either node": with --no-direct on both sides the only path is a
     * relay; across nodes it is the relay of the answerer's node (PROTOCOL.md 7.13), whose address
     * the requester gets in its grant. Each invitation direction uses the other node's relay.
     */
    @Test
    void peersOnTwoNodesWithoutDirectPathsChatThroughTheRelayOfEitherNode() throws Exception {
        TwoNodes cluster = track(new TwoNodes(c -> { }));
        PeerConfig a = cluster.on(0).config("carol", dir);
        a.noDirect = true;
        PeerConfig b = cluster.on(1).config("dave", dir);
        b.noDirect = true;
        TestPeer carol = track(TestPeer.start(a)).signUp();
        TestPeer dave = track(TestPeer.start(b)).signUp();
        DeliveryTest.befriend(carol, dave);

        // carol asks: dave answers on node 2, whose relay carries the session.
        carol.cmd("/msg dave relayed by node 2");
        Seen sending = carol.await("sending");
        dave.await("message", "text", "relayed by node 2");
        carol.await("delivered", "id", sending.get("id"));
        dave.cmd("/msg carol and back through node 2");
        carol.await("message", "text", "and back through node 2");
        assertThat(carol.await("path", "user", "dave").string("remote"))
                .isEqualTo("127.0.0.1:" + cluster.node(1).udpAddress().getPort());
        assertThat(cluster.node(1).relayStats().packets()).isPositive();
        assertThat(cluster.node(0).relayStats().packets()).isZero();

        // The other way round: dave asks a new peer on node 1, whose relay carries that session.
        PeerConfig e = cluster.on(0).config("erin", dir);
        e.noDirect = true;
        TestPeer erin = track(TestPeer.start(e)).signUp();
        DeliveryTest.befriend(erin, dave);
        dave.cmd("/msg erin relayed by node 1");
        Seen toErin = dave.await(x -> x.type().equals("sending") && "erin".equals(x.get("to")));
        erin.await("message", "text", "relayed by node 1");
        dave.await("delivered", "id", toErin.get("id"));
        assertThat(dave.await("path", "user", "erin").string("remote"))
                .isEqualTo("127.0.0.1:" + cluster.node(0).udpAddress().getPort());
        assertThat(cluster.node(0).relayStats().packets()).isPositive();
    }

    /**
     * Group chat with members on two nodes (issue 16 with 7.12): amy on node 1 creates #ops and
     * invites bob and carol, logged in on node 2; they join there, everyone hears of every join,
     * a message reaches every member, and a kick made on node 1 reaches carol on node 2, after
     * which the group reads as nonexistent to her there.
     */
    @Test
    void groupMembersOnTwoNodesJoinChatAndAreKicked() throws Exception {
        TwoNodes cluster = track(new TwoNodes(c -> { }));
        TestPeer amy = track(TestPeer.start(cluster.on(0).config("amy", dir))).signUp();
        TestPeer bob = track(TestPeer.start(cluster.on(1).config("bob", dir))).signUp();
        TestPeer carol = track(TestPeer.start(cluster.on(1).config("carol", dir))).signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);

        amy.cmd("/msg #ops hello members on node 2");
        bob.await("message", "text", "hello members on node 2");
        carol.await("message", "text", "hello members on node 2");
        bob.cmd("/msg #ops from node 2");
        amy.await("message", "text", "from node 2");

        amy.cmd("/group kick #ops carol");
        carol.await("group", "change", "kicked");
        bob.await(e -> e.type().equals("group") && "member_kicked".equals(e.get("change")) && "carol".equals(e.get("user")));
        carol.cmd("/group members #ops");
        carol.await(e -> e.type().equals("error") && "NO_SUCH_GROUP".equals(e.get("code")));
    }
}

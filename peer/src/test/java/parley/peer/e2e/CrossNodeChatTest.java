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
}

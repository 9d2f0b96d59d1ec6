package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;
import parley.peer.net.Faults;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: "a member removed from the group receives nothing sent after the removal, including
 * messages in flight at that moment", on an open P2P session (the mailbox path is
 * {@link GroupOrderTest}'s). The race is made deterministic by holding the copy on the wire: bob's
 * UDP sends are dropped (his channel keeps the copy and retransmits it) while amy kicks carol and
 * both carol and bob hear of it; then the path is restored and the copy reaches carol, who is no
 * longer a member. She must never display it, and bob must never count her as reached.
 */
class GroupKickRaceTest extends PeerFixture {
    /** The group message: long enough that its datagram is told from acks and probes by size alone. */
    private static final String TEXT = "in-flight " + "x".repeat(800);
    private static final int COPY_BYTES = 800;

    @Test
    void aCopyInFlightOnAnOpenSessionAcrossTheKickIsNeverDisplayedNorCountedDelivered() throws Exception {
        AtomicBoolean cut = new AtomicBoolean();
        CountDownLatch copiesOut = new CountDownLatch(2);
        PeerConfig bc = config("bob");
        bc.faults = Faults.dropping((sequence, datagram) -> {
            if (cut.get() && datagram.remaining() > COPY_BYTES) {
                copiesOut.countDown(); // one of the group copies (acks and probes are far smaller)
            }
            return cut.get();
        });
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer(bc).signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        // Open sessions from bob: his group copies go over them (chat kind 0x04), not the mailbox.
        for (TestPeer to : new TestPeer[] {amy, carol}) {
            bob.cmd("/msg " + to.name + " hi");
            bob.await("delivered", "to", to.name);
        }
        GroupChatTest.group(amy, bob, carol);
        bob.await(e -> e.type().equals("group") && "member_joined".equals(e.get("change")) && "carol".equals(e.get("user")));

        bob.mark();
        carol.mark();
        cut.set(true);
        bob.cmd("/msg #ops " + TEXT);
        Seen sent = bob.await("sending", "text", TEXT);
        assertThat(sent.get("members")).isEqualTo(2L);
        Object id = sent.get("id");
        // Both copies (to amy and carol) are on the wire before the kick: the race is really run.
        assertThat(copiesOut.await(TestPeer.TIMEOUT_S, TimeUnit.SECONDS)).as("bob's copies left").isTrue();
        amy.cmd("/group kick #ops carol");
        carol.await("group", "change", "kicked");
        bob.await(e -> e.type().equals("group") && "member_kicked".equals(e.get("change")) && "carol".equals(e.get("user")));
        // The copy is still on the wire: for bob it ends as for any non-member.
        bob.await(e -> e.type().equals("failed") && "carol".equals(e.get("to")) && id.equals(e.get("id"))
                && "not_member".equals(e.get("reason")) && "ops".equals(e.get("group")));
        cut.set(false);

        amy.await("message", "text", TEXT);
        bob.await(e -> e.type().equals("delivered") && "amy".equals(e.get("to")) && id.equals(e.get("id")));
        // A 1:1 text on the same session after the copy: once carol shows it, the copy has reached her too.
        bob.cmd("/msg carol after");
        carol.await("message", "text", "after");
        bob.await("delivered", "to", "carol");
        assertThat(carol.jsonLines()).noneMatch(l -> l.contains("in-flight"));
        assertThat(bob.seen("delivered")).as("a copy a non-member received must not count as reached")
                .noneMatch(e -> "carol".equals(e.get("to")) && id.equals(e.get("id")));
        assertThat(bob.seen("queued")).as("the copy stayed on the session").noneMatch(e -> id.equals(e.get("id")));
        assertThat(bob.seen("session_closed")).as("the session stayed open across the race").isEmpty();
        // /history #ops says how many members the message reached: amy, not carol.
        bob.mark();
        bob.cmd("/history #ops 10");
        Seen h = bob.await("group_history");
        assertThat(GroupChatTest.lines(h)).containsExactly("bob: " + TEXT);
        @SuppressWarnings("unchecked")
        java.util.List<java.util.Map<String, Object>> rows = (java.util.List<java.util.Map<String, Object>>) h.get("messages");
        assertThat(rows.get(0).get("reached")).isEqualTo(1L);
    }
}

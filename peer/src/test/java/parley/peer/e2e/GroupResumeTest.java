package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;
import parley.peer.net.Faults;
import parley.peer.store.GroupCopyLog;
import parley.peer.store.LocalStore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, the sender's side of a crash: a group message whose copies are still on their way
 * when the sender's process is killed (SIGKILL, nothing runs after it) reaches every member after
 * the sender starts again, exactly once, and the sender's states and {@code /history #g}
 * reached-counts come out right. bob, the sender, runs in a process of his own
 * ({@link ProcessPeer}) for the run that is killed; his next run is an ordinary one on the same
 * data directory. Each member's receiving side dedupes by (group, sender, sequence), over either
 * path.
 */
class GroupResumeTest extends PeerFixture {
    /** Long group texts: their copies are the only datagrams KillablePeerMain holds. */
    private static final String HELD_1 = "held-one " + "x".repeat(KillablePeerMain.HOLD_ABOVE);
    private static final String HELD_2 = "held-two " + "y".repeat(KillablePeerMain.HOLD_ABOVE);
    private PeerConfig carol(java.util.function.BooleanSupplier cut) {
        PeerConfig c = config("carol");
        c.faults = new Faults(0, 0, 0, 0, (sequence, datagram) -> cut.getAsBoolean());
        return c;
    }

    /**
     * carol writes to bob's killed process and so finds her session with it dead (its probes go
     * unanswered). Else she would find it only after its idle keepalive (15 s) went unanswered,
     * and send her receipts for bob's next run over it until then: they would reach him through
     * the mailbox only after.
     */
    private static void sessionGone(TestPeer carol) {
        carol.cmd("/msg bob are-you-there");
        carol.await(e -> e.type().equals("session_closed") && "bob".equals(e.get("user")));
    }

    /**
     * (a) carol is online with an open session, dave offline. bob's copies to carol stay on the
     * session unacknowledged (his datagrams carrying them are dropped), and his deposits for dave
     * never reach the registry (his registry connection holds everything he sends from then on).
     * bob is killed. His next run resends both messages to both, and each shows them once, in
     * the group's order.
     */
    @Test
    @SuppressWarnings("unchecked")
    void copiesOnASessionAndOnTheirWayToAMailboxWhenTheSenderIsKilledReachEveryMemberOnceInOrder() throws Exception {
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer(carol(() -> false)).signUp();
        TestPeer dave = peer("dave").signUp();
        GroupChatTest.friends(bob, carol, dave);
        GroupChatTest.group(bob, carol, dave);
        bob.cmd("/msg #ops first");
        Object first = bob.await("sending", "text", "first").get("id");
        for (String m : new String[] {"carol", "dave"}) {
            bob.await(e -> e.type().equals("delivered") && m.equals(e.get("to")) && first.equals(e.get("id")));
        }
        dave.session.quit(10, TimeUnit.SECONDS);
        bob.session.quit(10, TimeUnit.SECONDS);

        long[] ids = new long[2];
        try (HoldingProxy proxy = new HoldingProxy(registry.address());
             ProcessPeer killed = new ProcessPeer("bob", proxy.address(), registry.udpPort(), dir.resolve("bob"))) {
            killed.cmd("/login bob pw-bob");
            killed.await("logged_in");
            killed.cmd("/msg carol hi");
            killed.await("delivered", ProcessPeer.field("to", "carol")); // an open session: group copies to carol go over it
            carol.mark();
            killed.cmd("/history #ops");
            killed.await("group_history"); // the groups are loaded
            killed.hold();
            proxy.holdRequests();
            killed.cmd("/msg #ops " + HELD_1);
            killed.cmd("/msg #ops " + HELD_2);
            ids[0] = ProcessPeer.number(killed.await("sending", "held-one"), "id");
            ids[1] = ProcessPeer.number(killed.await("sending", "held-two"), "id");
            killed.awaitHeld(); // a copy to carol left and is held on the wire
            // The store answers in order: once this history is out, both messages and their copies are recorded.
            killed.cmd("/history #ops");
            String h = killed.await("group_history", "held-two");
            assertThat(h).contains("held-one");
            killed.kill();
        }
        assertThat(carol.seen("message")).noneMatch(e -> String.valueOf(e.get("text")).startsWith("held-"));
        sessionGone(carol);

        TestPeer bob2 = peer("bob").logIn();
        TestPeer dave2 = peer("dave").logIn();
        for (long id : ids) {
            for (String m : new String[] {"carol", "dave"}) {
                Seen d = bob2.await(e -> e.type().equals("delivered") && m.equals(e.get("to")) && Long.valueOf(id).equals(e.get("id")));
                assertThat(d.get("group")).isEqualTo("ops");
            }
        }
        assertThat(shown(carol, HELD_1)).isEqualTo(1);
        assertThat(shown(carol, HELD_2)).isEqualTo(1);
        assertThat(shown(dave2, HELD_1)).isEqualTo(1);
        assertThat(shown(dave2, HELD_2)).isEqualTo(1);
        // The catch-up shows dave the two in the group's order.
        assertThat(dave2.seen("message")).filteredOn(e -> "ops".equals(e.get("group"))).extracting(e -> e.get("text"))
                .containsSubsequence(HELD_1, HELD_2);
        for (long id : ids) {
            assertThat(bob2.seen("delivered")).filteredOn(e -> Long.valueOf(id).equals(e.get("id"))).hasSize(2);
            assertThat(bob2.seen("failed")).noneMatch(e -> Long.valueOf(id).equals(e.get("id")));
        }
        assertReached(bob2, ids, 2L);
        List<String> expected = List.of("bob: first", "bob: " + HELD_1, "bob: " + HELD_2);
        assertThat(GroupChatTest.history(carol)).isEqualTo(expected);
        assertThat(GroupChatTest.history(dave2)).isEqualTo(expected);
    }

    /**
     * (b) Copies that did arrive, though the sender never recorded it: carol displays bob's
     * message but her ACK is dropped; dave's copy is deposited and queued, and the record of its
     * deposit is put back to pending in bob's store after the kill (exactly as a process killed
     * between the registry storing it and its answer leaves it). dave reads it before bob comes
     * back. bob's next run sends both copies again, over the mailbox; carol and dave drop the
     * repeats, and confirm them: bob sees one {@code delivered} for each, and neither shows the
     * message twice.
     */
    @Test
    void aCopyThatArrivedButWhoseAckOrDepositAnswerTheSenderNeverRecordedIsNotShownTwice() throws Exception {
        AtomicBoolean cut = new AtomicBoolean(); // carol's acks to bob are lost
        PeerConfig cc = carol(cut::get);
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer(cc).signUp();
        TestPeer dave = peer("dave").signUp();
        GroupChatTest.friends(bob, carol, dave);
        GroupChatTest.group(bob, carol, dave);
        dave.session.quit(10, TimeUnit.SECONDS);
        bob.session.quit(10, TimeUnit.SECONDS);

        long id;
        try (ProcessPeer killed = new ProcessPeer("bob", registry.address(), registry.udpPort(), dir.resolve("bob"))) {
            killed.cmd("/login bob pw-bob");
            killed.await("logged_in");
            killed.cmd("/msg carol hi");
            killed.await("delivered", ProcessPeer.field("to", "carol"));
            carol.mark();
            killed.cmd("/history #ops");
            killed.await("group_history");
            cut.set(true);
            killed.cmd("/msg #ops arrived");
            id = ProcessPeer.number(killed.await("sending", "arrived"), "id");
            carol.await("message", "text", "arrived");
            killed.await("queued", ProcessPeer.field("to", "dave"));
            killed.kill();
            assertThat(String.join("\n", killed.lines())).doesNotContain("\"event\":\"delivered\",\"id\":" + id);
        }
        cut.set(false);
        putBackPending(id, "dave");
        sessionGone(carol);

        TestPeer dave2 = peer("dave").logIn();
        dave2.await("message", "text", "arrived"); // the first copy, read before bob is back
        TestPeer bob2 = peer("bob").logIn();
        for (String m : new String[] {"carol", "dave"}) {
            Seen d = bob2.await(e -> e.type().equals("delivered") && m.equals(e.get("to")) && Long.valueOf(id).equals(e.get("id")));
            assertThat(d.get("group")).isEqualTo("ops");
        }
        // A barrier: dave's mailbox is read in order, so once he shows this, he has read the repeat too.
        bob2.cmd("/msg #ops after");
        dave2.await("message", "text", "after");
        carol.await("message", "text", "after");
        assertThat(shown(carol, "arrived")).isEqualTo(1);
        assertThat(shown(dave2, "arrived")).isEqualTo(1);
        assertThat(bob2.seen("delivered")).filteredOn(e -> Long.valueOf(id).equals(e.get("id"))).hasSize(2);
        List<String> expected = List.of("bob: arrived", "bob: after");
        assertThat(GroupChatTest.history(carol)).isEqualTo(expected);
        assertThat(GroupChatTest.history(dave2)).isEqualTo(expected);
        assertReached(bob2, new long[] {id}, 2L);
    }

    /**
     * (c) Privacy across the crash: carol leaves the group while bob is down with his copy to her
     * still pending. His next run sends her nothing and ends the copy {@code failed not_member},
     * with its group; she never shows the message.
     */
    @Test
    void aPendingCopyToAMemberWhoLeftWhileTheSenderWasDownEndsFailedNotMemberAndIsNotSent() throws Exception {
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(bob, carol);
        GroupChatTest.group(bob, carol);
        bob.session.quit(10, TimeUnit.SECONDS);

        long id;
        try (ProcessPeer killed = new ProcessPeer("bob", registry.address(), registry.udpPort(), dir.resolve("bob"))) {
            killed.cmd("/login bob pw-bob");
            killed.await("logged_in");
            killed.cmd("/msg carol hi");
            killed.await("delivered", ProcessPeer.field("to", "carol"));
            killed.cmd("/history #ops");
            killed.await("group_history");
            killed.hold();
            killed.cmd("/msg #ops " + HELD_1);
            id = ProcessPeer.number(killed.await("sending", "held-one"), "id");
            killed.awaitHeld();
            killed.kill();
        }
        carol.cmd("/group leave #ops");
        carol.await("group", "change", "left");

        TestPeer bob2 = peer("bob").logIn();
        Seen f = bob2.await(e -> e.type().equals("failed") && "carol".equals(e.get("to")) && Long.valueOf(id).equals(e.get("id")));
        assertThat(f.get("reason")).isEqualTo("not_member");
        assertThat(f.get("group")).isEqualTo("ops");
        assertThat(bob2.seen("queued")).noneMatch(e -> Long.valueOf(id).equals(e.get("id")));
        assertThat(carol.seen("message")).noneMatch(e -> HELD_1.equals(e.get("text")));
        assertReached(bob2, new long[] {id}, 0L);
    }

    /** dave's copy as a process killed before MAIL_DEPOSIT's answer leaves it: recorded, not known to be queued. */
    private void putBackPending(long id, String member) throws Exception {
        String url = "jdbc:sqlite:" + LocalStore.fileFor(dir.resolve("bob"), "bob");
        try (Connection db = DriverManager.getConnection(url);
             PreparedStatement s = db.prepareStatement("UPDATE group_copies SET delivered = ? WHERE id = ? AND member = ?")) {
            s.setInt(1, GroupCopyLog.PENDING);
            s.setLong(2, id);
            s.setString(3, member);
            assertThat(s.executeUpdate()).as("dave's copy was recorded").isEqualTo(1);
        }
    }

    private static long shown(TestPeer p, String text) {
        return p.seen("message").stream().filter(e -> text.equals(e.get("text")) && "ops".equals(e.get("group"))).count();
    }

    @SuppressWarnings("unchecked")
    private static void assertReached(TestPeer bob, long[] ids, long members) {
        bob.mark();
        bob.cmd("/history #ops");
        List<Map<String, Object>> h = (List<Map<String, Object>>) bob.await("group_history").get("messages");
        for (long id : ids) {
            assertThat(h).filteredOn(m -> Long.valueOf(id).equals(m.get("id"))).extracting(m -> m.get("reached"))
                    .containsExactly(members);
        }
    }
}

package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group chat end to end (issue 14; PROTOCOL.md 7.12, 9.3.2): a real registry and real peers on
 * loopback, driven as scripts drive {@code ./parley peer --json}. Three members sending at once
 * end with the same order; nobody is added without accepting; a member who was offline catches
 * up from the mailbox in order, exactly once, and keeps it across a restart; a kicked member is
 * sent nothing after the kick; a non-member can neither post nor tell the group exists.
 */
class GroupChatTest extends PeerFixture {
    static void friends(TestPeer... peers) {
        for (int i = 0; i < peers.length; i++) {
            for (int j = i + 1; j < peers.length; j++) {
                DeliveryTest.befriend(peers[i], peers[j]);
            }
        }
    }

    /**
     * {@code owner} creates #ops and each of {@code others} is invited and accepts. Returns once
     * every member has heard of every later join: a member sends only to the members it knows of,
     * so a message sent before its GROUP_CHANGED push arrived would rightly skip the newcomer.
     */
    static void group(TestPeer owner, TestPeer... others) {
        owner.cmd("/group create #ops");
        owner.await(e -> e.type().equals("group") && "created".equals(e.get("change")));
        List<TestPeer> joined = new ArrayList<>();
        for (TestPeer p : others) {
            owner.cmd("/group invite #ops " + p.name);
            p.await(e -> e.type().equals("group_invite") && "ops".equals(e.get("group")) && owner.name.equals(e.get("from")));
            p.cmd("/accept #ops");
            p.await(e -> e.type().equals("group") && "joined".equals(e.get("change")));
            owner.await(e -> e.type().equals("group") && "member_joined".equals(e.get("change")) && p.name.equals(e.get("user")));
            for (TestPeer earlier : joined) {
                earlier.await(e -> e.type().equals("group") && "member_joined".equals(e.get("change")) && p.name.equals(e.get("user")));
            }
            joined.add(p);
        }
    }

    static List<Seen> groupMessages(TestPeer p, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestPeer.TIMEOUT_S);
        while (true) {
            List<Seen> got = new ArrayList<>();
            for (Seen e : p.seen("message")) {
                if ("ops".equals(e.get("group"))) {
                    got.add(e);
                }
            }
            if (got.size() >= n || System.nanoTime() > deadline) {
                assertThat(got).as(p.name + "'s group messages").hasSize(n);
                return got;
            }
            p.await(e -> "message".equals(e.type()) && "ops".equals(e.get("group")) && !got.contains(e));
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> history(TestPeer p) {
        p.mark();
        p.cmd("/history #ops 1000");
        return lines(p.await("group_history"));
    }

    /** A group_history event's messages as "from: text". */
    @SuppressWarnings("unchecked")
    static List<String> lines(Seen history) {
        List<Map<String, Object>> h = (List<Map<String, Object>>) history.get("messages");
        List<String> out = new ArrayList<>();
        for (Map<String, Object> m : h) {
            out.add(m.get("from") + ": " + m.get("text"));
        }
        return out;
    }

    @Test
    void threeMembersSendingAtOnceSeeTheSameOrder() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        friends(amy, bob, carol);
        // Open sessions between every pair: the copies go over them (chat kind 0x04), not the mailbox.
        for (TestPeer[] pair : new TestPeer[][] {{amy, bob}, {amy, carol}, {bob, carol}}) {
            pair[0].cmd("/msg " + pair[1].name + " hi");
            pair[0].await("delivered", "to", pair[1].name);
        }
        group(amy, bob, carol);
        amy.mark();
        bob.mark();
        carol.mark();
        int each = 5;
        carol.cmd("/chat #ops"); // carol talks in plain lines
        carol.await("chat", "user", "#ops");
        for (int i = 0; i < each; i++) {
            amy.cmd("/msg #ops amy-" + i);
            bob.cmd("/msg #ops bob-" + i);
            carol.cmd("carol-" + i);
        }
        for (TestPeer p : List.of(amy, bob, carol)) {
            assertThat(groupMessages(p, 2 * each)).extracting(e -> e.get("from")).doesNotContain(p.name);
        }
        for (TestPeer to : List.of(bob, carol)) {
            amy.await(e -> e.type().equals("delivered") && to.name.equals(e.get("to")) && "ops".equals(e.get("group")));
        }
        assertThat(amy.seen("queued")).as("every member had a session").isEmpty();
        List<String> order = history(amy);
        assertThat(order).hasSize(3 * each);
        assertThat(history(bob)).containsExactlyElementsOf(order);
        assertThat(history(carol)).containsExactlyElementsOf(order);
        // Each sender's own messages keep their order inside the total order.
        assertThat(order.stream().filter(s -> s.startsWith("bob:")).toList())
                .containsExactly("bob: bob-0", "bob: bob-1", "bob: bob-2", "bob: bob-3", "bob: bob-4");
    }

    @Test
    void nobodyIsAddedWithoutAcceptingAndADeclineLeavesThemOut() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        friends(amy, bob);
        amy.cmd("/group create #ops");
        amy.await("group", "change", "created");
        amy.cmd("/group invite #ops bob");
        bob.await("group_invite", "group", "ops");
        // Invited is not a member: amy's message goes to nobody, and bob cannot post.
        amy.cmd("/msg #ops before-consent");
        assertThat(amy.await("sending", "text", "before-consent").get("members")).isEqualTo(0L);
        bob.cmd("/msg #ops not-yet");
        bob.await("error", "code", "NO_SUCH_GROUP");
        bob.cmd("/decline #ops");
        bob.await("group", "change", "declined");
        amy.await(e -> e.type().equals("group") && "member_declined".equals(e.get("change")) && "bob".equals(e.get("user")));
        bob.mark();
        bob.cmd("/group members #ops");
        Seen outsider = bob.await("error");
        bob.cmd("/group members #nosuch");
        Seen nonexistent = bob.await(e -> e.type().equals("error") && e != outsider);
        assertThat(outsider.get("code")).isEqualTo("NO_SUCH_GROUP").isEqualTo(nonexistent.get("code"));
        assertThat(String.valueOf(outsider.get("message")).replace("ops", "X"))
                .isEqualTo(String.valueOf(nonexistent.get("message")).replace("nosuch", "X"));
        assertThat(bob.seen("message")).isEmpty();
    }

    @Test
    void anOfflineMemberCatchesUpInOrderExactlyOnceAndKeepsItAcrossARestart() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        // bob and carol are not contacts: their copies to each other go through the mailbox (7.12, "Group mail").
        friends(amy, bob);
        friends(amy, carol);
        group(amy, bob, carol);
        carol.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "carol".equals(e.get("user")) && "offline".equals(e.get("state")));
        bob.mark();
        for (int i = 0; i < 3; i++) {
            amy.cmd("/msg #ops amy-" + i);
            amy.await("sending", "text", "amy-" + i);
            bob.await("message", "text", "amy-" + i);
            bob.cmd("/msg #ops bob-" + i);
            amy.await("message", "text", "bob-" + i);
        }
        amy.await(e -> e.type().equals("queued") && "carol".equals(e.get("to")) && "ops".equals(e.get("group")));
        List<String> order = history(amy);
        assertThat(order).hasSize(6);
        assertThat(history(bob)).containsExactlyElementsOf(order);

        TestPeer carol2 = peer("carol").logIn();
        List<Seen> caught = groupMessages(carol2, 6);
        assertThat(caught).extracting(e -> e.get("from") + ": " + e.get("text")).containsExactlyElementsOf(order);
        assertThat(history(carol2)).containsExactlyElementsOf(order);
        // Every copy was sealed for carol and is confirmed back by her receipts.
        amy.await(e -> e.type().equals("delivered") && "carol".equals(e.get("to")) && "ops".equals(e.get("group")));

        carol2.session.quit(10, TimeUnit.SECONDS);
        TestPeer carol3 = peer("carol").logIn();
        assertThat(history(carol3)).containsExactlyElementsOf(order);
        assertThat(carol3.seen("message")).isEmpty();
        bob.await(e -> e.type().equals("delivered") && "carol".equals(e.get("to")) && "ops".equals(e.get("group")));
        // carol's own sequence goes on after the restart: her next message is not taken for a repeat.
        carol3.cmd("/msg #ops carol-after-restart");
        amy.await("message", "text", "carol-after-restart");
        bob.await("message", "text", "carol-after-restart");
    }

    @Test
    void aKickedMemberIsSentNothingAfterTheKickAndANonMemberCannotPost() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        TestPeer dave = peer("dave").signUp();
        friends(amy, bob, carol, dave);
        group(amy, bob, carol);
        bob.cmd("/msg #ops before-kick");
        carol.await("message", "text", "before-kick");
        // Only the owner or an admin may kick.
        bob.cmd("/group kick #ops carol");
        bob.await("error", "code", "NOT_GROUP_ADMIN");
        amy.cmd("/group kick #ops carol");
        carol.await("group", "change", "kicked");
        bob.await(e -> e.type().equals("group") && "member_kicked".equals(e.get("change")) && "carol".equals(e.get("user")));
        carol.mark();
        bob.cmd("/msg #ops after-kick");
        Seen sent = bob.await("sending", "text", "after-kick");
        assertThat(sent.get("members")).isEqualTo(1L);
        amy.await("message", "text", "after-kick");
        bob.await(e -> e.type().equals("delivered") && "amy".equals(e.get("to")) && sent.get("id").equals(e.get("id"))
                || e.type().equals("queued") && "amy".equals(e.get("to")) && sent.get("id").equals(e.get("id")));
        assertThat(bob.jsonLines()).noneMatch(l -> l.contains("\"to\":\"carol\"") && l.contains(String.valueOf(sent.get("id"))));
        // carol is an outsider now: she cannot post and the group reads as nonexistent to her.
        carol.cmd("/msg #ops still-here");
        carol.await("error", "code", "NO_SUCH_GROUP");
        carol.cmd("/group members #ops");
        carol.await(e -> e.type().equals("error") && "NO_SUCH_GROUP".equals(e.get("code")) && String.valueOf(e.get("message")).contains("#ops"));
        dave.cmd("/msg #ops hello");
        dave.await("error", "code", "NO_SUCH_GROUP");
        // A later message of amy's still reaches bob and not carol.
        amy.cmd("/msg #ops later");
        bob.await("message", "text", "later");
        assertThat(carol.seen("message")).isEmpty();
    }
}

package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's order and removal promises end to end (a real registry and peers on loopback).
 * A message that arrives after later ones is placed where it belongs in {@code /history} and
 * marked {@code late} in the live view; a hole in a sender's sequence that the mailbox cannot
 * fill is reported ({@code group_gap}); a member kicked while a message to them is still in
 * flight (sealed in their mailbox, not yet read) never displays it.
 *
 * <p>The orders are made deterministic with the registry's privacy rules, not with timing: while
 * bob blocks amy, amy's copies to him are discarded by the registry (he reads to her as a member
 * who is offline), so his Lamport clock stays behind and his next message is concurrent with
 * hers; while carol blocks amy, amy's copy of one message is discarded, leaving a hole nobody can
 * fill.
 */
class GroupOrderTest extends PeerFixture {
    @Test
    void aMessageArrivingAfterLaterOnesIsPlacedWhereItBelongsAndMarkedLate() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);
        bob.cmd("/block amy");
        bob.await("contact", "change", "blocked");
        bob.mark();
        carol.mark();
        amy.cmd("/msg #ops a1");
        carol.await("message", "text", "a1");
        amy.cmd("/msg #ops a2");
        carol.await("message", "text", "a2");
        // bob never got a1 and a2: his message carries Lamport time 1, as a1 does, and sorts after
        // it (same time, "amy" < "bob") but before a2, which carol already shows.
        assertThat(bob.seen("message")).isEmpty();
        bob.cmd("/msg #ops b1");
        Seen late = carol.await("message", "text", "b1");
        assertThat(late.get("late")).isEqualTo(true);
        assertThat(carol.seen("message")).filteredOn(e -> !"b1".equals(e.get("text")))
                .extracting(e -> e.get("late")).containsOnly(false);
        assertThat(GroupChatTest.history(carol)).containsExactly("amy: a1", "bob: b1", "amy: a2");
    }

    @Test
    void aHoleInASendersSequenceTheMailboxCannotFillIsReported() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, carol);
        GroupChatTest.group(amy, carol);
        carol.mark();
        amy.cmd("/msg #ops one");
        carol.await("message", "text", "one");
        carol.cmd("/block amy");
        carol.await("contact", "change", "blocked");
        amy.mark();
        amy.cmd("/msg #ops two");
        Seen two = amy.await("sending", "text", "two");
        // Discarded by the registry (carol reads to amy as a member who is offline, PROTOCOL.md 7.12): queued, never confirmed.
        amy.await(e -> e.type().equals("queued") && "carol".equals(e.get("to")) && two.get("id").equals(e.get("id")));
        carol.cmd("/unblock amy");
        carol.await("contact", "change", "unblocked");
        amy.cmd("/msg #ops three");
        carol.await("message", "text", "three");
        Seen gap = carol.await("group_gap");
        assertThat(gap.get("group")).isEqualTo("ops");
        assertThat(gap.get("from")).isEqualTo("amy");
        assertThat(gap.get("first")).isEqualTo(2L);
        assertThat(gap.get("missing")).isEqualTo(1L);
        assertThat(GroupChatTest.history(carol)).containsExactly("amy: one", "amy: three");
        // Later messages are placed after it as usual.
        amy.cmd("/msg #ops four");
        carol.await("message", "text", "four");
        assertThat(GroupChatTest.history(carol)).containsExactly("amy: one", "amy: three", "amy: four");
    }

    @Test
    void aMemberKickedWhileAMessageToThemIsInFlightNeverDisplaysIt() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);
        bob.await(e -> e.type().equals("group") && "member_joined".equals(e.get("change")) && "carol".equals(e.get("user")));
        carol.session.quit(10, TimeUnit.SECONDS);
        bob.await(e -> e.type().equals("presence") && "carol".equals(e.get("user")) && "offline".equals(e.get("state")));
        // In flight: sealed in carol's mailbox, not yet read, when she is removed.
        bob.mark();
        bob.cmd("/msg #ops in-flight");
        Seen sent = bob.await("sending", "text", "in-flight");
        assertThat(sent.get("members")).isEqualTo(2L);
        bob.await(e -> e.type().equals("queued") && "carol".equals(e.get("to")) && sent.get("id").equals(e.get("id")));
        amy.await("message", "text", "in-flight");
        amy.cmd("/group kick #ops carol");
        bob.await(e -> e.type().equals("group") && "member_kicked".equals(e.get("change")) && "carol".equals(e.get("user")));
        // Her copy still out ends for bob as it would for any non-member: failed, not_member.
        bob.await(e -> e.type().equals("failed") && "carol".equals(e.get("to")) && sent.get("id").equals(e.get("id"))
                && "not_member".equals(e.get("reason")) && "ops".equals(e.get("group")));
        bob.cmd("/msg #ops after-kick");
        assertThat(bob.await("sending", "text", "after-kick").get("members")).isEqualTo(1L);
        amy.await("message", "text", "after-kick");

        // A 1:1 text deposited after the group copy: carol's mailbox hands it over after that copy.
        bob.cmd("/msg carol ping");
        Object ping = bob.await("sending", "text", "ping").get("id");
        bob.await(e -> e.type().equals("queued") && ping.equals(e.get("id")));

        TestPeer carol2 = peer("carol").logIn();
        carol2.await("message", "text", "ping");
        carol2.cmd("/history #ops 10");
        carol2.await("error", "code", "NO_SUCH_GROUP");
        amy.cmd("/msg #ops later");
        bob.await("message", "text", "later");
        assertThat(carol2.seen("message")).extracting(e -> e.get("text")).containsExactly("ping");
        // Nor does bob hear that she has it: her receipts come in mailbox order, ping's after the group copy's would.
        bob.await(e -> e.type().equals("delivered") && "carol".equals(e.get("to")) && ping.equals(e.get("id")));
        assertThat(bob.seen("delivered")).as("no receipt for a copy a non-member dropped")
                .noneMatch(e -> "carol".equals(e.get("to")) && sent.get("id").equals(e.get("id")));
        assertThat(carol2.jsonLines()).noneMatch(l -> l.contains("in-flight") || l.contains("after-kick") || l.contains("later"));
    }
}

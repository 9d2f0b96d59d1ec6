package parley.peer.term;

import org.junit.jupiter.api.Test;
import parley.peer.event.AccountEvents;
import parley.peer.event.ContactEvents;
import parley.peer.event.FileEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;

import static org.assertj.core.api.Assertions.assertThat;

class StatusModelTest {
    @Test
    void showsVisibilityPartnerAndUnreadCountsFromEvents() {
        StatusModel m = new StatusModel();
        m.apply(new AccountEvents.LoggedIn("amy", "contacts", false));
        m.apply(new MessageEvents.Chat("bob"));
        m.apply(new MessageEvents.Message("bob", 1, "hi", 1));
        m.apply(new MessageEvents.Message("carol", 2, "yo", 1));
        m.apply(new MessageEvents.Message("carol", 3, "yo", 1));
        m.apply(new AccountEvents.Visibility("nobody"));
        assertThat(m.render()).isEqualTo("amy | visibility: nobody | registry: online | chat: bob (unverified) | unread: carol(2)");
        m.apply(new SessionEvents.Verify("bob", null, "00000", true));
        assertThat(m.render()).contains("chat: bob (verified)");
        m.apply(new SessionEvents.IdentityChanged("BOB", "a", "b", false));
        assertThat(m.render()).as("a changed identity drops the mark").contains("chat: bob (unverified)");
        m.apply(new MessageEvents.Chat("Carol"));
        assertThat(m.unread("carol")).isZero();
        m.apply(new AccountEvents.Connection("lost", "x"));
        assertThat(m.render()).contains("registry: lost").doesNotContain("unread");
    }

    /** Issue 12: the status line shows when the current chat goes through the relay. */
    @Test
    void marksTheCurrentChatWhileItIsRelayed() {
        StatusModel m = new StatusModel();
        m.apply(new AccountEvents.LoggedIn("amy", "contacts", false));
        m.apply(new MessageEvents.Chat("bob"));
        m.apply(new SessionEvents.Path("Bob", "relayed", "10.0.0.1:1", "203.0.113.7:7400", -1));
        assertThat(m.render()).isEqualTo("amy | visibility: contacts | registry: online | chat: bob (unverified) (relayed)");
        m.apply(new SessionEvents.Path("bob", "direct", "10.0.0.1:1", "198.51.100.4:2", 900));
        assertThat(m.render()).doesNotContain("relayed");
        m.apply(new SessionEvents.Path("bob", "relayed", "10.0.0.1:1", "203.0.113.7:7400", 900));
        m.apply(new SessionEvents.SessionClosed("bob", "closed"));
        assertThat(m.render()).doesNotContain("relayed");
        m.apply(new SessionEvents.Path("carol", "relayed", "10.0.0.1:1", "203.0.113.7:7400", -1));
        assertThat(m.render()).doesNotContain("relayed"); // carol is not the current chat
    }

    @Test
    void knownUsersCollectNamesForCompletion() {
        KnownUsers k = new KnownUsers();
        k.apply(new ContactEvents.ContactRequest("dora"));
        k.apply(new ContactEvents.Who(java.util.List.of(new ContactEvents.UserState("eve", "online", 1))));
        k.apply(new ContactEvents.Contacts(java.util.List.of(), java.util.List.of("fay"), java.util.List.of(), java.util.List.of("gus"), java.util.List.of()));
        assertThat(k.snapshot()).containsExactly("dora", "eve", "fay", "gus");
    }

    /** Issue 15: a progress bar (percent, rate, ETA) of the transfer that moved last, gone when it ends. */
    @Test
    void showsAProgressBarWhileAFileMoves() {
        StatusModel m = new StatusModel();
        m.apply(new AccountEvents.LoggedIn("amy", "contacts", false));
        m.apply(new FileEvents.Transfer("00c0ffee12345678", "bob", "out", 5L << 20, 10L << 20, 8_000_000L, "active"));
        assertThat(m.render()).isEqualTo("amy | visibility: contacts | registry: online | chat: -"
                + " | file out: [#####-----] 50% 8.0 Mbit/s 0:05 left");
        m.apply(new FileEvents.Transfer("0000000000000001", "carol", "in", 0, 1000, 0, "resumed"));
        assertThat(m.render()).endsWith(" | file in: [----------] 0% (+1)");
        m.apply(new FileEvents.Transfer("00c0ffee12345678", "bob", "out", 10L << 20, 10L << 20, 0, "done"));
        m.apply(new FileEvents.Transfer("0000000000000001", "carol", "in", 0, 1000, 0, "paused"));
        assertThat(m.render()).doesNotContain("file");
    }
}

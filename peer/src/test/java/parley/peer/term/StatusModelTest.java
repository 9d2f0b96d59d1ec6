package parley.peer.term;

import org.junit.jupiter.api.Test;
import parley.peer.event.Events;

import static org.assertj.core.api.Assertions.assertThat;

class StatusModelTest {
    @Test
    void showsVisibilityPartnerAndUnreadCountsFromEvents() {
        StatusModel m = new StatusModel();
        m.apply(Events.loggedIn("amy", "contacts", false));
        m.apply(Events.chat("bob"));
        m.apply(Events.message("bob", 1, "hi", 1));
        m.apply(Events.message("carol", 2, "yo", 1));
        m.apply(Events.message("carol", 3, "yo", 1));
        m.apply(Events.visibility("nobody"));
        assertThat(m.render()).isEqualTo("amy | visibility: nobody | registry: online | chat: bob | unread: carol(2)");
        m.apply(Events.chat("Carol"));
        assertThat(m.unread("carol")).isZero();
        m.apply(Events.connection("lost", "x"));
        assertThat(m.render()).contains("registry: lost").doesNotContain("unread");
    }

    @Test
    void knownUsersCollectNamesForCompletion() {
        KnownUsers k = new KnownUsers();
        k.apply(Events.contactRequest("dora"));
        k.apply(Events.who(java.util.List.of(Events.userEntry("eve", "online", 1))));
        k.apply(Events.contacts(java.util.List.of(), java.util.List.of("fay"), java.util.List.of(), java.util.List.of("gus")));
        assertThat(k.snapshot()).containsExactly("dora", "eve", "fay", "gus");
    }
}

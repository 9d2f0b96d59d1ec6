package parley.peer;

import org.junit.jupiter.api.Test;
import parley.peer.core.PresenceBook;
import parley.server.protocol.PresenceState;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceBookTest {
    private static final long LEASE = 15_000;

    @Test
    void anOnlineContactGoesStaleWhenNotConfirmedWithinALease() {
        PresenceBook book = new PresenceBook();
        assertThat(book.update("Bob", PresenceState.ONLINE, 1, 0)).isTrue();
        assertThat(book.update("bob", PresenceState.ONLINE, 1, 10)).isFalse();
        assertThat(book.expire(LEASE - 1 + 10, LEASE)).isEmpty();
        assertThat(book.expire(LEASE + 10, LEASE)).extracting(e -> e.user).containsExactly("Bob");
        assertThat(book.get("BOB").shown()).isEqualTo("stale");
        assertThat(book.expire(LEASE * 3, LEASE)).isEmpty(); // reported once
    }

    @Test
    void heartbeatsConfirmAndAFreshUpdateClearsStaleness() {
        PresenceBook book = new PresenceBook();
        book.update("bob", PresenceState.ONLINE, 1, 0);
        book.confirmAll(LEASE);
        assertThat(book.expire(LEASE + 1, LEASE)).isEmpty();
        assertThat(book.expire(2 * LEASE, LEASE)).hasSize(1);
        assertThat(book.update("bob", PresenceState.ONLINE, 1, 2 * LEASE + 1)).isTrue();
        assertThat(book.get("bob").shown()).isEqualTo("online");
    }

    @Test
    void offlineEntriesNeverGoStale() {
        PresenceBook book = new PresenceBook();
        book.update("amy", PresenceState.OFFLINE, 99, 0);
        assertThat(book.expire(10 * LEASE, LEASE)).isEmpty();
        assertThat(book.get("amy").shown()).isEqualTo("offline");
    }
}

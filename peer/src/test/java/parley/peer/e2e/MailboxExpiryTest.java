package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sealed message left unread past the mailbox's time to live comes back to its sender as
 * {@code failed} with reason {@code expired} (PROTOCOL.md 7.10, 7.11), on the registry's synthetic
 * wall clock; the recipient, logging in later, gets nothing.
 */
class MailboxExpiryTest extends PeerFixture {
    @Test
    @SuppressWarnings("unchecked")
    void anExpiredMailIsReportedFailedExpiredToItsSenderAndNeverDelivered() throws Exception {
        AtomicLong wall = new AtomicLong(System.currentTimeMillis());
        registry.close();
        registry = new TestRegistry(dir.resolve("registry"), c -> {
            c.wallClockMillis = wall::get;
            c.mailboxTtlMillis = TimeUnit.DAYS.toMillis(1);
            c.mailboxSweepNanos = TimeUnit.MILLISECONDS.toNanos(20);
        });
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        bob.session.quit(10, TimeUnit.SECONDS);

        amy.cmd("/msg bob you will never read this");
        Object id = amy.await("sending", "text", "you will never read this").get("id");
        amy.await("queued", "id", id);
        wall.addAndGet(TimeUnit.DAYS.toMillis(2));
        Seen failed = amy.await("failed", "id", id);
        assertThat(failed.get("reason")).isEqualTo("expired");
        assertThat(failed.get("to")).isEqualTo("bob");

        amy.cmd("/history bob");
        java.util.List<java.util.Map<String, Object>> h = (java.util.List<java.util.Map<String, Object>>) amy.await("history").get("messages");
        assertThat(h).singleElement().satisfies(m -> {
            assertThat(m.get("state")).isEqualTo("failed");
            assertThat(m.get("reason")).isEqualTo("expired");
        });

        TestPeer bob2 = peer("bob").logIn();
        bob2.cmd("/history amy");
        assertThat(bob2.await("history").toString()).doesNotContain("you will never read this");
        assertThat(bob2.seen("message")).isEmpty();
    }
}

package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sealed message left unread past the mailbox's time to live comes back to its sender as
 * {@code failed} with reason {@code expired} (PROTOCOL.md 7.10, 7.11), on the registry's synthetic
 * wall clock; the recipient, logging in later, gets nothing. A group copy that expires ends the
 * same way, as {@code failed} for that member with its {@code group} (PROTOCOL.md 9.3.2).
 */
class MailboxExpiryTest extends PeerFixture {
    /** The registry's synthetic wall clock; a test moves it past the mailbox's time to live. */
    private final AtomicLong wall = new AtomicLong(System.currentTimeMillis());

    private void registryOnSyntheticWallClock() throws Exception {
        registry.close();
        registry = new TestRegistry(dir.resolve("registry"), c -> {
            c.wallClockMillis = wall::get;
            c.mailboxTtlMillis = TimeUnit.DAYS.toMillis(1);
            c.mailboxSweepNanos = TimeUnit.MILLISECONDS.toNanos(20);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExpiredMailIsReportedFailedExpiredToItsSenderAndNeverDelivered() throws Exception {
        registryOnSyntheticWallClock();
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

    @Test
    void anExpiredGroupCopyIsReportedFailedExpiredForThatMemberWithItsGroup() throws Exception {
        registryOnSyntheticWallClock();
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);
        carol.session.quit(10, TimeUnit.SECONDS);

        amy.cmd("/msg #ops carol will never read this");
        Object id = amy.await("sending", "text", "carol will never read this").get("id");
        amy.await(e -> e.type().equals("queued") && id.equals(e.get("id")) && "carol".equals(e.get("to")));
        amy.await(e -> e.type().equals("delivered") && id.equals(e.get("id")) && "bob".equals(e.get("to")));
        wall.addAndGet(TimeUnit.DAYS.toMillis(2));
        Seen failed = amy.await(e -> e.type().equals("failed") && id.equals(e.get("id")));
        assertThat(failed.get("to")).isEqualTo("carol");
        assertThat(failed.get("group")).isEqualTo("ops");
        assertThat(failed.get("reason")).isEqualTo("expired");
    }

    /** The expiry notice reaches a later run of the sender: the copy recorded in its local store still ends, with its group. */
    @Test
    void aGroupCopyThatExpiresWhileItsSenderRestartsIsStillReportedFailedForThatMember() throws Exception {
        registryOnSyntheticWallClock();
        TestPeer amy = peer("amy").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, carol);
        GroupChatTest.group(amy, carol);
        carol.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "carol".equals(e.get("user")) && "offline".equals(e.get("state")));

        amy.cmd("/msg #ops never read, sender restarted");
        Object id = amy.await("sending", "text", "never read, sender restarted").get("id");
        amy.await(e -> e.type().equals("queued") && id.equals(e.get("id")) && "carol".equals(e.get("to")));
        amy.session.quit(10, TimeUnit.SECONDS);
        wall.addAndGet(TimeUnit.DAYS.toMillis(2));

        TestPeer amy2 = peer("amy").logIn();
        Seen failed = amy2.await(e -> e.type().equals("failed") && id.equals(e.get("id")));
        assertThat(failed.get("to")).isEqualTo("carol");
        assertThat(failed.get("group")).isEqualTo("ops");
        assertThat(failed.get("reason")).isEqualTo("expired");
    }
}

package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deposit the registry refuses with MAILBOX_FULL (PROTOCOL.md 7.10) makes the message
 * {@code failed} for its sender, with a reason that says the recipient's mailbox is full and what
 * to do, in the event and in the history; the mail that fitted stays {@code queued}.
 */
class MailboxFullTest extends PeerFixture {
    @Test
    @SuppressWarnings("unchecked")
    void aDepositIntoAFullMailboxFailsWithAClearReason() throws Exception {
        registry.close();
        registry = new TestRegistry(dir.resolve("registry"), c -> c.mailboxMaxCount = 1);
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        bob.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "bob".equals(e.get("user")) && "offline".equals(e.get("state")));

        amy.cmd("/msg bob fits");
        Object fits = amy.await("sending", "text", "fits").get("id");
        amy.await("queued", "id", fits);
        amy.cmd("/msg bob does-not-fit");
        Object full = amy.await("sending", "text", "does-not-fit").get("id");
        Seen failed = amy.await("failed", "id", full);
        assertThat(failed.get("to")).isEqualTo("bob");
        assertThat(String.valueOf(failed.get("reason"))).contains("bob's mailbox is full").contains("MAILBOX_FULL");

        amy.cmd("/history bob");
        List<Map<String, Object>> h = (List<Map<String, Object>>) amy.await("history").get("messages");
        assertThat(h).extracting(m -> m.get("state")).containsExactly("queued", "failed");
        assertThat(String.valueOf(h.get(1).get("reason"))).contains("bob's mailbox is full");
    }
}

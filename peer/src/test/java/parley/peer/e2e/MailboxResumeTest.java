package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.store.LocalStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message on its way to a mailbox when the sender's process died (stored as {@code mailing}:
 * sealing or MAIL_DEPOSIT under way) is deposited again at the next start, once the identity keys
 * are loaded, instead of being reported failed (PROTOCOL.md 7.10: MAIL_DEPOSIT is idempotent by
 * message id). The crash is put in place in amy's store by the test while she is stopped: the row
 * exactly as a process killed between the start of sealing and the registry's answer leaves it.
 */
class MailboxResumeTest extends PeerFixture {
    @Test
    @SuppressWarnings("unchecked")
    void aMessageLeftMailingByADeadProcessIsDepositedAtTheNextStartAndDelivered() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        bob.session.quit(10, TimeUnit.SECONDS);
        amy.session.quit(10, TimeUnit.SECONDS);

        long id = 4242L;
        long pendingId = 4243L;
        try (LocalStore s = LocalStore.open(LocalStore.fileFor(dir.resolve("amy"), "amy"))) {
            s.addOutgoing(id, "bob", "sealing when amy died", System.currentTimeMillis());
            assertThat(s.markMailing(id, "bob")).isTrue();
            s.addOutgoing(pendingId, "bob", "never left amy", System.currentTimeMillis());
        }

        TestPeer amy2 = peer("amy").logIn();
        amy2.await("queued", "id", id);
        amy2.await("failed", "id", pendingId); // still pending, not on its way to the mailbox: failed as before
        assertThat(amy2.seen("failed")).extracting(e -> ((Number) e.get("id")).longValue()).containsExactly(pendingId);

        TestPeer bob2 = peer("bob").logIn();
        Seen m = bob2.await("message", "text", "sealing when amy died");
        assertThat(m.get("from")).isEqualTo("amy");
        amy2.await("delivered", "id", id);
        amy2.cmd("/history bob");
        List<Map<String, Object>> h = (List<Map<String, Object>>) amy2.await("history").get("messages");
        assertThat(h).filteredOn(e -> ((Number) e.get("id")).longValue() == id)
                .singleElement().satisfies(e -> assertThat(e.get("state")).isEqualTo("delivered"));
    }
}

package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once across a restart of the recipient (PROTOCOL.md 7.11): a message bob read from his
 * mailbox, and whose direct copy reaches him only after he restarted, is shown once. The dedup is
 * the local history keyed by (sender, id), not memory. The mailbox copy is put in place by the
 * test (sealed with amy's real key, with the id amy's next message will carry), so the direct copy
 * really comes second.
 */
class MailboxDedupRestartTest extends PeerFixture {
    @Test
    @SuppressWarnings("unchecked")
    void aDirectCopyAfterItsMailboxCopyIsShownOnceEvenAfterARestart() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.openChat(amy, bob);
        long hello = ((Number) bob.await("message", "text", "hello bob").get("id")).longValue();
        long next = hello + 1; // amy numbers her messages one after another

        bob.session.quit(10, TimeUnit.SECONDS);
        amy.mark();
        registry.stop();
        amy.await("connection", "state", "lost");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry").resolve("registry.db").toAbsolutePath())) {
            depositSealed(c, next, "sent twice");
        }
        registry.restart();
        amy.await(e -> e.type().equals("logged_in") && Boolean.TRUE.equals(e.get("relogin")));

        TestPeer bob2 = peer("bob").logIn();
        assertThat(bob2.await("message", "text", "sent twice").get("id")).isEqualTo(next);
        bob2.session.quit(10, TimeUnit.SECONDS);

        TestPeer bob3 = peer("bob").logIn();
        amy.cmd("/msg bob sent twice");
        Seen sending = amy.await("sending", "text", "sent twice");
        assertThat(((Number) sending.get("id")).longValue()).isEqualTo(next);
        amy.await("delivered", "id", sending.get("id"));
        amy.cmd("/msg bob after");
        bob3.await("message", "text", "after");
        assertThat(bob3.seen("message")).extracting(m -> m.get("text")).containsExactly("after");
        bob3.cmd("/history amy");
        List<Map<String, Object>> h = (List<Map<String, Object>>) bob3.await("history").get("messages");
        assertThat(h).extracting(m -> m.get("text")).containsExactly("hello bob", "sent twice", "after");
    }

    /** Seals a text from amy to bob with their real keys and appends it to bob's mailbox. */
    private void depositSealed(Connection c, long id, String text) throws Exception {
        SealedMailRows.appendFromAmyToBob(dir, c, id, text);
    }
}

package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the recipient refuses from its mailbox (PROTOCOL.md 7.11), with a registry that tampers:
 * the test edits the registry's database while it is stopped. A flipped byte in a sealed blob is
 * refused and counted; a sealed copy of a message that already came directly (the direct path and
 * the mailbox racing) is shown once and counted as a replay; the good mail between them arrives.
 */
class MailboxRefusalsTest extends PeerFixture {
    @Test
    void aTamperedBlobIsRefusedAndCountedAndACopyOfADirectMessageIsShownOnce() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.openChat(amy, bob);
        Seen direct = bob.await("message", "text", "hello bob");
        long directId = ((Number) direct.get("id")).longValue();

        bob.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("session_closed") || e.type().equals("presence") && "offline".equals(e.get("state")));
        amy.cmd("/msg bob tamper-me");
        long tampered = ((Number) amy.await("sending", "text", "tamper-me").get("id")).longValue();
        amy.cmd("/msg bob good-one");
        Object good = amy.await("sending", "text", "good-one").get("id");
        amy.await("queued", "id", tampered);
        amy.await("queued", "id", good);
        amy.session.quit(10, TimeUnit.SECONDS);

        registry.stop();
        Path db = dir.resolve("registry").resolve("registry.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
            flipAByte(c, tampered);
            insertSealedCopy(c, directId, "hello bob");
        }
        registry.restart();

        TestPeer bob2 = peer("bob").logIn();
        bob2.await("message", "text", "good-one");
        bob2.await(e -> e.type().equals("info") && String.valueOf(e.get("message")).startsWith("refused a sealed message")
                && String.valueOf(e.get("message")).contains("(undecryptable; 1 so far)"));
        bob2.await(e -> e.type().equals("info") && String.valueOf(e.get("message")).contains("#" + directId)
                && String.valueOf(e.get("message")).contains("(replay; 1 so far)"));
        assertThat(bob2.seen("message")).extracting(m -> m.get("text")).containsExactly("good-one");
        bob2.cmd("/history amy");
        assertThat(bob2.await("history").toString()).contains("hello bob", "good-one").doesNotContain("tamper-me");
    }

    private static void flipAByte(Connection c, long messageId) throws Exception {
        byte[] blob;
        try (PreparedStatement q = c.prepareStatement("SELECT blob FROM mailbox WHERE message_id = ?")) {
            q.setLong(1, messageId);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                blob = rs.getBytes(1);
            }
        }
        blob[blob.length / 2] ^= 0x40;
        try (PreparedStatement u = c.prepareStatement("UPDATE mailbox SET blob = ? WHERE message_id = ?")) {
            u.setBytes(1, blob);
            u.setLong(2, messageId);
            assertThat(u.executeUpdate()).isEqualTo(1);
        }
    }

    /** Seals amy's direct message again, with her real key, and puts it at the end of bob's mailbox. */
    private void insertSealedCopy(Connection c, long id, String text) throws Exception {
        assertThat(SealedMailRows.appendFromAmyToBob(dir, c, id, text)).as("bob's mailbox had a sequence").isTrue();
    }
}

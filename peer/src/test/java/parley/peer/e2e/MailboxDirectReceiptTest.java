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
 * The receipt of a mailbox message goes directly when the two have a session open (PROTOCOL.md
 * 7.11, RECEIPT payload 9.3.1): bob reads amy's sealed message while they chat, amy gets
 * {@code delivered} once over the session, and nothing is sealed into amy's mailbox. To have the
 * mail read while the session is open, the test takes the real sealed entry out of bob's mailbox
 * (registry stopped), lets the two open a session, and puts it back; bob's drain at his relogin
 * reads it.
 */
class MailboxDirectReceiptTest extends PeerFixture {
    @Test
    void aMailboxMessageReadDuringASessionIsConfirmedByADirectReceipt() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        bob.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "bob".equals(e.get("user")) && "offline".equals(e.get("state")));
        amy.cmd("/msg bob read me in a session");
        Object id = amy.await("sending", "text", "read me in a session").get("id");
        amy.await("queued", "id", id);

        registry.stop();
        Object[] row;
        try (Connection c = db()) {
            row = takeRow(c, ((Number) id).longValue());
        }
        registry.restart();
        amy.await(e -> e.type().equals("logged_in") && Boolean.TRUE.equals(e.get("relogin")));

        TestPeer bob2 = peer("bob").logIn();
        bob2.cmd("/contacts"); // answered after the login's own CONTACTS: bob knows amy is a contact (auto-accept)
        bob2.await("contacts");
        amy.cmd("/msg bob open a session");
        Object opener = amy.await("sending", "text", "open a session").get("id");
        bob2.await("message", "text", "open a session");
        amy.await("delivered", "id", opener);
        assertThat(bob2.seen("message")).extracting(m -> m.get("text")).containsExactly("open a session");

        amy.mark();
        bob2.mark();
        registry.stop();
        try (Connection c = db()) {
            putRow(c, row);
        }
        registry.restart();
        bob2.await("message", "text", "read me in a session");
        amy.await("delivered", "id", id);

        // The session still carries chat after that, and no sealed receipt waits in amy's mailbox.
        bob2.cmd("/msg amy got it");
        amy.await("message", "text", "got it");
        assertThat(amy.seen("delivered")).filteredOn(e -> id.equals(e.get("id"))).hasSize(1);
        try (Connection c = db(); PreparedStatement q = c.prepareStatement("SELECT count(*) FROM mailbox m"
                + " JOIN accounts a ON a.id = m.recipient WHERE a.username_key = 'amy'"); ResultSet rs = q.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).as("sealed receipts in amy's mailbox").isZero();
        }
    }

    private Connection db() throws Exception {
        Path db = dir.resolve("registry").resolve("registry.db");
        return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
    }

    /** Reads and deletes the mailbox entry of message {@code id}. */
    private static Object[] takeRow(Connection c, long id) throws Exception {
        Object[] row = new Object[9];
        try (PreparedStatement q = c.prepareStatement("SELECT recipient, seq, sender, message_id, deposited_at, expires_at,"
                + " kind, blob, about FROM mailbox WHERE message_id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
            }
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM mailbox WHERE message_id = ?")) {
            d.setLong(1, id);
            assertThat(d.executeUpdate()).isEqualTo(1);
        }
        return row;
    }

    private static void putRow(Connection c, Object[] row) throws Exception {
        try (PreparedStatement i = c.prepareStatement("INSERT INTO mailbox(recipient, seq, sender, message_id, deposited_at,"
                + " expires_at, kind, blob, about) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int k = 0; k < row.length; k++) {
                i.setObject(k + 1, row[k]);
            }
            assertThat(i.executeUpdate()).isEqualTo(1);
        }
    }
}

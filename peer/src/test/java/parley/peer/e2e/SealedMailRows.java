package parley.peer.e2e;

import parley.peer.identity.IdentityKeys;
import parley.peer.mail.SealedMail;
import parley.peer.store.LocalStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes a sealed text from amy to bob straight into a stopped registry's mailbox table, with the
 * two peers' real identity keys from their data directories under {@code dir}: the mail a
 * deposit would have left, for tests that need it there without going through a deposit.
 */
final class SealedMailRows {
    private SealedMailRows() {
    }

    /**
     * Appends the mail at the end of bob's mailbox (the next sequence) and returns whether bob's
     * mailbox had a sequence already.
     */
    static boolean appendFromAmyToBob(Path dir, Connection c, long id, String text) throws Exception {
        IdentityKeys amyKeys = IdentityKeys.load(IdentityKeys.fileBeside(LocalStore.fileFor(dir.resolve("amy"), "amy")));
        IdentityKeys bobKeys = IdentityKeys.load(IdentityKeys.fileBeside(LocalStore.fileFor(dir.resolve("bob"), "bob")));
        byte[] blob = new SealedMail().seal(SealedMail.Mail.text("amy", id, System.currentTimeMillis(), text), "bob",
                bobKeys.x25519Public(), amyKeys::sign);
        long amyId = accountId(c, "amy");
        long bobId = accountId(c, "bob");
        long seq = 1;
        boolean hadSequence = false;
        try (PreparedStatement q = c.prepareStatement("SELECT last_seq FROM mailbox_seq WHERE recipient = ?")) {
            q.setLong(1, bobId);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    hadSequence = true;
                    seq = rs.getLong(1) + 1;
                }
            }
        }
        try (PreparedStatement u = c.prepareStatement("INSERT OR REPLACE INTO mailbox_seq(recipient, last_seq) VALUES (?, ?)")) {
            u.setLong(1, bobId);
            u.setLong(2, seq);
            u.executeUpdate();
        }
        long now = System.currentTimeMillis();
        try (PreparedStatement i = c.prepareStatement("INSERT INTO mailbox(recipient, seq, sender, message_id, deposited_at,"
                + " expires_at, kind, blob, about) VALUES (?, ?, ?, ?, ?, ?, 1, ?, NULL)")) {
            i.setLong(1, bobId);
            i.setLong(2, seq);
            i.setLong(3, amyId);
            i.setLong(4, id);
            i.setLong(5, now);
            i.setLong(6, now + TimeUnit.DAYS.toMillis(1));
            i.setBytes(7, blob);
            assertThat(i.executeUpdate()).isEqualTo(1);
        }
        return hadSequence;
    }

    private static long accountId(Connection c, String name) throws Exception {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM accounts WHERE username_key = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }
}

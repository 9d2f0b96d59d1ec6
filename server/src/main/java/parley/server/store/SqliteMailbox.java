package parley.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The mailbox's SQL on the registry's SQLite connection ({@link SqliteStore#mailbox}). Statements
 * are prepared once and reused: this runs on the one storage thread, inside the group commit's
 * transaction, so the durability of every write is the batch's COMMIT.
 *
 * <p>Sequences come from {@code mailbox_seq}, a per-recipient high-water mark, so a sequence is
 * never reused after its entry is acknowledged and deleted.
 */
final class SqliteMailbox implements MailboxStore {
    private final PreparedStatement findRepeat;
    private final PreparedStatement bumpSequence;
    private final PreparedStatement insert;
    private final PreparedStatement page;
    private final PreparedStatement ackUsage;
    private final PreparedStatement ackDelete;
    private final PreparedStatement expired;
    private final PreparedStatement deleteOne;
    private final PreparedStatement usage;

    SqliteMailbox(Connection c) throws SQLException {
        findRepeat = c.prepareStatement("SELECT seq, expires_at FROM mailbox WHERE sender = ? AND recipient = ? AND message_id = ?");
        bumpSequence = c.prepareStatement("INSERT INTO mailbox_seq(recipient, last_seq) VALUES (?, 1)"
                + " ON CONFLICT(recipient) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
        insert = c.prepareStatement("INSERT INTO mailbox(recipient, seq, sender, message_id, deposited_at, expires_at, kind, blob, about)"
                + " VALUES (?,?,?,?,?,?,?,?,?)");
        page = c.prepareStatement("SELECT seq, kind, deposited_at, blob, about, message_id FROM mailbox"
                + " WHERE recipient = ? AND seq > ? ORDER BY seq LIMIT ?");
        ackUsage = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(length(blob)), 0) FROM mailbox WHERE recipient = ? AND seq <= ?");
        ackDelete = c.prepareStatement("DELETE FROM mailbox WHERE recipient = ? AND seq <= ?");
        expired = c.prepareStatement("SELECT m.recipient, m.seq, m.sender, m.message_id, m.kind, length(m.blob), a.username"
                + " FROM mailbox m JOIN accounts a ON a.id = m.recipient WHERE m.expires_at <= ? ORDER BY m.expires_at LIMIT ?");
        deleteOne = c.prepareStatement("DELETE FROM mailbox WHERE recipient = ? AND seq = ?");
        usage = c.prepareStatement("SELECT recipient, COUNT(*), COALESCE(SUM(length(blob)), 0) FROM mailbox GROUP BY recipient ORDER BY recipient");
    }

    /**
     * Three statements: look for the same (sender, recipient, message id), take the next
     * sequence (one upsert that returns it), insert. Looking first keeps sequences free of gaps.
     */
    @Override
    public MailDepositResult deposit(long sender, long recipient, long messageId, long depositedAtMillis, long expiresAtMillis,
                                     byte[] blob, boolean mayInsert) throws StorageFailure {
        try {
            findRepeat.setLong(1, sender);
            findRepeat.setLong(2, recipient);
            findRepeat.setLong(3, messageId);
            try (ResultSet rs = findRepeat.executeQuery()) {
                if (rs.next()) {
                    return new MailDepositResult(false, rs.getLong(1), rs.getLong(2));
                }
            }
            if (!mayInsert) {
                return null;
            }
            long seq = nextSequence(recipient);
            insert(recipient, seq, sender, messageId, depositedAtMillis, expiresAtMillis, MailRow.SEALED, blob, null);
            return new MailDepositResult(true, seq, expiresAtMillis);
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    private long nextSequence(long recipient) throws SQLException {
        bumpSequence.setLong(1, recipient);
        try (ResultSet rs = bumpSequence.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void insert(long recipient, long seq, Long sender, long messageId, long at, long expires, int kind, byte[] blob,
                        String about) throws SQLException {
        insert.setLong(1, recipient);
        insert.setLong(2, seq);
        insert.setObject(3, sender);
        insert.setLong(4, messageId);
        insert.setLong(5, at);
        insert.setLong(6, expires);
        insert.setInt(7, kind);
        insert.setBytes(8, blob);
        insert.setString(9, about);
        insert.executeUpdate();
    }

    @Override
    public MailPageRows fetch(long recipient, long afterSequence, int maxEntries, int budget, ToIntFunction<MailRow> cost)
            throws StorageFailure {
        List<MailRow> rows = new ArrayList<>(Math.min(maxEntries, 64));
        boolean more = false;
        int used = 0;
        try {
            page.setLong(1, recipient);
            page.setLong(2, afterSequence);
            page.setInt(3, maxEntries + 1); // one more than asked: tells whether entries remain
            try (ResultSet rs = page.executeQuery()) {
                while (rs.next()) {
                    MailRow row = new MailRow(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getBytes(4), rs.getString(5), rs.getLong(6));
                    int c = cost.applyAsInt(row);
                    if (rows.size() == maxEntries || (!rows.isEmpty() && used + c > budget)) {
                        more = true;
                        break;
                    }
                    rows.add(row);
                    used += c;
                }
            }
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
        return new MailPageRows(more, rows);
    }

    @Override
    public MailboxUsage ack(long recipient, long upToSequence) throws StorageFailure {
        try {
            ackUsage.setLong(1, recipient);
            ackUsage.setLong(2, upToSequence);
            MailboxUsage gone;
            try (ResultSet rs = ackUsage.executeQuery()) {
                rs.next();
                gone = new MailboxUsage(recipient, rs.getInt(1), rs.getLong(2));
            }
            if (gone.count() > 0) {
                ackDelete.setLong(1, recipient);
                ackDelete.setLong(2, upToSequence);
                ackDelete.executeUpdate();
            }
            return gone;
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    @Override
    public MailExpiry expire(long nowMillis, long noticeTtlMillis, int limit) throws StorageFailure {
        record Due(long recipient, long seq, Long sender, long messageId, int kind, long bytes, String recipientName) {
        }
        List<Due> due = new ArrayList<>();
        try {
            expired.setLong(1, nowMillis);
            expired.setInt(2, limit + 1);
            try (ResultSet rs = expired.executeQuery()) {
                while (rs.next()) {
                    long sender = rs.getLong(3);
                    Long from = rs.wasNull() ? null : sender;
                    due.add(new Due(rs.getLong(1), rs.getLong(2), from, rs.getLong(4), rs.getInt(5), rs.getLong(6), rs.getString(7)));
                }
            }
            boolean more = due.size() > limit;
            if (more) {
                due.remove(due.size() - 1);
            }
            Map<Long, long[]> removed = new LinkedHashMap<>();
            List<MailboxUsage> notices = new ArrayList<>();
            for (Due d : due) {
                deleteOne.setLong(1, d.recipient());
                deleteOne.setLong(2, d.seq());
                deleteOne.executeUpdate();
                long[] r = removed.computeIfAbsent(d.recipient(), k -> new long[2]);
                r[0]++;
                r[1] += d.bytes();
                if (d.kind() == MailRow.SEALED && d.sender() != null) {
                    long seq = nextSequence(d.sender());
                    insert(d.sender(), seq, null, d.messageId(), nowMillis, nowMillis + noticeTtlMillis, MailRow.EXPIRED, null,
                            d.recipientName());
                    notices.add(new MailboxUsage(d.sender(), 1, 0));
                }
            }
            List<MailboxUsage> out = new ArrayList<>(removed.size());
            removed.forEach((account, r) -> out.add(new MailboxUsage(account, (int) r[0], r[1])));
            return new MailExpiry(List.copyOf(out), List.copyOf(notices), more);
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    @Override
    public List<MailboxUsage> usage() throws StorageFailure {
        List<MailboxUsage> out = new ArrayList<>();
        try (ResultSet rs = usage.executeQuery()) {
            while (rs.next()) {
                out.add(new MailboxUsage(rs.getLong(1), rs.getInt(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
        return out;
    }

    void close() throws SQLException {
        for (PreparedStatement p : new PreparedStatement[] {findRepeat, bumpSequence, insert, page, ackUsage, ackDelete,
                expired, deleteOne, usage}) {
            p.close();
        }
    }
}

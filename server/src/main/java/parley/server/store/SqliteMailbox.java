package parley.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p><b>Sequences in memory, written once per commit group.</b> A deposit used to cost three
 * statements (repeat lookup, sequence upsert, insert) plus its savepoint. Now the storage thread
 * keeps each recipient's high-water mark in {@link #lastSeq} (read once from the database: the
 * larger of {@code mailbox_seq} and the largest stored sequence), numbers a deposit from it, and
 * writes {@code mailbox_seq} once per touched recipient just before the group's COMMIT
 * ({@link #beforeCommit}), in the same transaction, so the mark is exactly as durable as the rows.
 * A ROLLBACK forgets the marks ({@link #rolledBack}); they are read again on next use.
 *
 * <p><b>Repeats by the UNIQUE constraint.</b> The insert is {@code ON CONFLICT(sender, recipient,
 * message_id) DO NOTHING}: a change count of 0 is a repeat, and only then is the stored entry
 * looked up (to answer its sequence). The mark advances only after the insert stored a row, so
 * repeats leave no gaps. A deposit is thus one write statement, atomic by itself: SQLite undoes a
 * failed statement alone, which is why {@link GroupCommitter} runs it without a savepoint.
 */
final class SqliteMailbox implements MailboxStore {
    private final PreparedStatement findRepeat;
    private final PreparedStatement readMark;
    private final PreparedStatement writeMark;
    private final PreparedStatement insertSealed;
    private final PreparedStatement insert;
    private final PreparedStatement page;
    private final PreparedStatement ackUsage;
    private final PreparedStatement ackDelete;
    private final PreparedStatement expired;
    private final PreparedStatement deleteOne;
    private final PreparedStatement usage;

    SqliteMailbox(Connection c) throws SQLException {
        findRepeat = c.prepareStatement("SELECT seq, expires_at FROM mailbox WHERE sender = ? AND recipient = ? AND message_id = ?");
        readMark = c.prepareStatement("SELECT max(COALESCE((SELECT last_seq FROM mailbox_seq WHERE recipient = ?1), 0),"
                + " COALESCE((SELECT max(seq) FROM mailbox WHERE recipient = ?1), 0))");
        writeMark = c.prepareStatement("INSERT INTO mailbox_seq(recipient, last_seq) VALUES (?, ?)"
                + " ON CONFLICT(recipient) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)");
        insertSealed = c.prepareStatement("INSERT INTO mailbox(recipient, seq, sender, message_id, deposited_at, expires_at, kind, blob,"
                + " about) VALUES (?,?,?,?,?,?," + MailRow.SEALED + ",?,NULL) ON CONFLICT(sender, recipient, message_id) DO NOTHING");
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

    /** Marks kept in memory at most; beyond it they are forgotten after a commit and read again on use. */
    private static final int MAX_MARKS = 65_536;
    // Storage thread only: recipient -> last sequence handed out; recipients whose mark is not yet written.
    private final Map<Long, Long> lastSeq = new HashMap<>();
    private final Map<Long, Long> unwritten = new LinkedHashMap<>();
    private boolean inTransaction;

    /**
     * One statement in the common case: the insert, numbered from the in-memory mark, which
     * stores nothing for a repeat (then the repeat is looked up to answer its sequence). With
     * {@code mayInsert} false it only looks for the repeat.
     */
    @Override
    public MailDepositResult deposit(long sender, long recipient, long messageId, long depositedAtMillis, long expiresAtMillis,
                                     byte[] blob, boolean mayInsert) throws StorageFailure {
        try {
            if (!mayInsert) {
                return findRepeat(sender, recipient, messageId);
            }
            long seq = mark(recipient) + 1;
            insertSealed.setLong(1, recipient);
            insertSealed.setLong(2, seq);
            insertSealed.setLong(3, sender);
            insertSealed.setLong(4, messageId);
            insertSealed.setLong(5, depositedAtMillis);
            insertSealed.setLong(6, expiresAtMillis);
            insertSealed.setBytes(7, blob);
            if (insertSealed.executeUpdate() == 0) {
                return findRepeat(sender, recipient, messageId);
            }
            advance(recipient, seq);
            return new MailDepositResult(true, seq, expiresAtMillis);
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    private MailDepositResult findRepeat(long sender, long recipient, long messageId) throws SQLException {
        findRepeat.setLong(1, sender);
        findRepeat.setLong(2, recipient);
        findRepeat.setLong(3, messageId);
        try (ResultSet rs = findRepeat.executeQuery()) {
            return rs.next() ? new MailDepositResult(false, rs.getLong(1), rs.getLong(2)) : null;
        }
    }

    /** The recipient's last sequence handed out: from memory, else read once from the database. */
    private long mark(long recipient) throws SQLException {
        Long known = lastSeq.get(recipient);
        if (known != null) {
            return known;
        }
        readMark.setLong(1, recipient);
        try (ResultSet rs = readMark.executeQuery()) {
            rs.next();
            long last = rs.getLong(1);
            lastSeq.put(recipient, last);
            return last;
        }
    }

    /** Records that {@code seq} was stored; the mark is written before COMMIT (at once outside a transaction). */
    private void advance(long recipient, long seq) throws SQLException {
        lastSeq.put(recipient, seq);
        if (inTransaction) {
            unwritten.put(recipient, seq);
        } else {
            writeMark(recipient, seq);
        }
    }

    private void writeMark(long recipient, long seq) throws SQLException {
        writeMark.setLong(1, recipient);
        writeMark.setLong(2, seq);
        writeMark.executeUpdate();
    }

    private long nextSequence(long recipient) throws SQLException {
        long seq = mark(recipient) + 1;
        advance(recipient, seq);
        return seq;
    }

    /** A transaction began: marks are written at its commit. */
    void began() {
        inTransaction = true;
    }

    /** Inside the transaction, just before COMMIT: one mark write per recipient touched. */
    void beforeCommit() throws SQLException {
        for (Map.Entry<Long, Long> e : unwritten.entrySet()) {
            writeMark(e.getKey(), e.getValue());
        }
        unwritten.clear();
    }

    /** The COMMIT returned: the marks in memory are the database's. */
    void committed() {
        inTransaction = false;
        if (lastSeq.size() > MAX_MARKS) {
            lastSeq.clear(); // all written: reading them again is correct, and memory stays bounded
        }
    }

    /** A ROLLBACK: forget every mark; the next use reads it again. */
    void rolledBack() {
        inTransaction = false;
        lastSeq.clear();
        unwritten.clear();
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
        for (PreparedStatement p : new PreparedStatement[] {findRepeat, readMark, writeMark, insertSealed, insert, page, ackUsage, ackDelete,
                expired, deleteOne, usage}) {
            p.close();
        }
    }
}

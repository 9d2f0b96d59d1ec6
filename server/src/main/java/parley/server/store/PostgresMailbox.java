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
 * The mailbox's SQL on PostgreSQL ({@link PostgresStore#mailbox}), inside the group commit's
 * transaction. Answers exactly as {@link SqliteMailbox} does; the difference is where sequences
 * come from.
 *
 * <p><b>Sequences from the database, not from memory.</b> SQLite's store numbers deposits from a
 * mark it keeps in memory, which is right for the one process that owns the file. Several nodes
 * share a PostgreSQL database, so here a deposit takes the recipient's next sequence with one
 * upsert on {@code mailbox_seq} ({@code ... DO UPDATE SET last_seq = last_seq + 1 RETURNING}),
 * in the same statement as the repeat lookup and the insert (one round trip per deposit). Its
 * row lock orders concurrent deposits to one recipient from every node until the transaction
 * commits, so sequences stay unique and increasing. A repeat is looked up first and takes no
 * sequence; only two nodes storing the same repeat at the same instant can leave a gap, which
 * the protocol allows (sequences increase, they need not be dense).
 *
 * <p><b>Expiry on several nodes.</b> Each node may run an expiry pass over the same rows; an entry
 * counts (and notifies its sender) only for the pass whose DELETE removed it.
 */
final class PostgresMailbox implements MailboxStore {
    private static final String FIND_REPEAT =
            "SELECT seq, expires_at FROM mailbox WHERE sender = ? AND recipient = ? AND message_id = ?";
    private static final String NEXT_SEQ = "INSERT INTO mailbox_seq(recipient, last_seq) VALUES (?, 1)"
            + " ON CONFLICT (recipient) DO UPDATE SET last_seq = mailbox_seq.last_seq + 1 RETURNING last_seq";
    /**
     * A deposit in one round trip: the repeat if there is one; else (when allowed) the recipient's
     * next sequence and the row. Answers one row (stored?, seq, expires_at), or none when the
     * mailbox was full and there is no repeat, or when another node stored the same deposit at
     * the same instant (then the repeat is looked up).
     */
    private static final String DEPOSIT = "WITH rep AS ("
            + " SELECT seq, expires_at FROM mailbox WHERE sender = ? AND recipient = ? AND message_id = ?),"
            + " next AS (INSERT INTO mailbox_seq(recipient, last_seq) SELECT ?, 1 WHERE ? AND NOT EXISTS (SELECT 1 FROM rep)"
            + " ON CONFLICT (recipient) DO UPDATE SET last_seq = mailbox_seq.last_seq + 1 RETURNING last_seq),"
            + " ins AS (INSERT INTO mailbox(recipient, seq, sender, message_id, deposited_at, expires_at, kind, blob, about)"
            + " SELECT ?, last_seq, ?, ?, ?, ?, " + MailRow.SEALED + ", ?, NULL FROM next ON CONFLICT DO NOTHING"
            + " RETURNING seq, expires_at)"
            + " SELECT TRUE, seq, expires_at FROM ins UNION ALL SELECT FALSE, seq, expires_at FROM rep";
    private static final String INSERT = "INSERT INTO mailbox(recipient, seq, sender, message_id, deposited_at, expires_at, kind,"
            + " blob, about) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING";
    private static final String PAGE = "SELECT seq, kind, deposited_at, blob, about, message_id FROM mailbox"
            + " WHERE recipient = ? AND seq > ? ORDER BY seq LIMIT ?";
    private static final String ACK_USAGE =
            "SELECT COUNT(*), COALESCE(SUM(octet_length(blob)), 0) FROM mailbox WHERE recipient = ? AND seq <= ?";
    private static final String ACK_DELETE = "DELETE FROM mailbox WHERE recipient = ? AND seq <= ?";
    private static final String EXPIRED = "SELECT m.recipient, m.seq, m.sender, m.message_id, m.kind,"
            + " COALESCE(octet_length(m.blob), 0), a.username"
            + " FROM mailbox m JOIN accounts a ON a.id = m.recipient WHERE m.expires_at <= ? ORDER BY m.expires_at LIMIT ?";
    private static final String DELETE_ONE = "DELETE FROM mailbox WHERE recipient = ? AND seq = ?";
    private static final String USAGE = "SELECT recipient, COUNT(*), COALESCE(SUM(octet_length(blob)), 0) FROM mailbox"
            + " GROUP BY recipient ORDER BY recipient";

    private final PostgresTransaction tx;

    PostgresMailbox(PostgresTransaction tx) {
        this.tx = tx;
    }

    @Override
    public MailDepositResult deposit(long sender, long recipient, long messageId, long depositedAtMillis, long expiresAtMillis,
                                     byte[] blob, boolean mayInsert) throws StorageFailure {
        return tx.run(c -> {
            try (PreparedStatement p = c.prepareStatement(DEPOSIT)) {
                int i = 0;
                p.setLong(++i, sender);
                p.setLong(++i, recipient);
                p.setLong(++i, messageId);
                p.setLong(++i, recipient);
                p.setBoolean(++i, mayInsert);
                p.setLong(++i, recipient);
                p.setLong(++i, sender);
                p.setLong(++i, messageId);
                p.setLong(++i, depositedAtMillis);
                p.setLong(++i, expiresAtMillis);
                p.setBytes(++i, blob);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        return new MailDepositResult(rs.getBoolean(1), rs.getLong(2), rs.getLong(3));
                    }
                }
            }
            return mayInsert ? findRepeat(c, sender, recipient, messageId) : null; // another node stored it meanwhile
        });
    }

    private static MailDepositResult findRepeat(Connection c, long sender, long recipient, long messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(FIND_REPEAT)) {
            p.setLong(1, sender);
            p.setLong(2, recipient);
            p.setLong(3, messageId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new MailDepositResult(false, rs.getLong(1), rs.getLong(2)) : null;
            }
        }
    }

    private static long nextSequence(Connection c, long recipient) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(NEXT_SEQ)) {
            p.setLong(1, recipient);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int insert(Connection c, long recipient, long seq, Long sender, long messageId, long at, long expires, int kind,
                              byte[] blob, String about) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(INSERT)) {
            p.setLong(1, recipient);
            p.setLong(2, seq);
            if (sender == null) {
                p.setNull(3, java.sql.Types.BIGINT);
            } else {
                p.setLong(3, sender);
            }
            p.setLong(4, messageId);
            p.setLong(5, at);
            p.setLong(6, expires);
            p.setInt(7, kind);
            p.setBytes(8, blob);
            p.setString(9, about);
            return p.executeUpdate();
        }
    }

    @Override
    public MailPageRows fetch(long recipient, long afterSequence, int maxEntries, int budget, ToIntFunction<MailRow> cost)
            throws StorageFailure {
        return tx.run(c -> {
            List<MailRow> rows = new ArrayList<>(Math.min(maxEntries, 64));
            boolean more = false;
            int used = 0;
            try (PreparedStatement p = c.prepareStatement(PAGE)) {
                p.setLong(1, recipient);
                p.setLong(2, afterSequence);
                p.setInt(3, maxEntries + 1); // one more than asked: tells whether entries remain
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        MailRow row = new MailRow(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getBytes(4), rs.getString(5),
                                rs.getLong(6));
                        int rowCost = cost.applyAsInt(row);
                        if (rows.size() == maxEntries || (!rows.isEmpty() && used + rowCost > budget)) {
                            more = true;
                            break;
                        }
                        rows.add(row);
                        used += rowCost;
                    }
                }
            }
            return new MailPageRows(more, rows);
        });
    }

    @Override
    public MailboxUsage ack(long recipient, long upToSequence) throws StorageFailure {
        return tx.run(c -> {
            MailboxUsage gone;
            try (PreparedStatement p = c.prepareStatement(ACK_USAGE)) {
                p.setLong(1, recipient);
                p.setLong(2, upToSequence);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    gone = new MailboxUsage(recipient, rs.getInt(1), rs.getLong(2));
                }
            }
            if (gone.count() > 0) {
                PostgresStore.update(c, ACK_DELETE, recipient, upToSequence);
            }
            return gone;
        });
    }

    @Override
    public MailExpiry expire(long nowMillis, long noticeTtlMillis, int limit) throws StorageFailure {
        record Due(long recipient, long seq, Long sender, long messageId, int kind, long bytes, String recipientName) {
        }
        return tx.run(c -> {
            List<Due> due = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(EXPIRED)) {
                p.setLong(1, nowMillis);
                p.setInt(2, limit + 1);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        long sender = rs.getLong(3);
                        Long from = rs.wasNull() ? null : sender;
                        due.add(new Due(rs.getLong(1), rs.getLong(2), from, rs.getLong(4), rs.getInt(5), rs.getLong(6), rs.getString(7)));
                    }
                }
            }
            boolean more = due.size() > limit;
            if (more) {
                due.remove(due.size() - 1);
            }
            Map<Long, long[]> removed = new LinkedHashMap<>();
            List<MailboxUsage> notices = new ArrayList<>();
            for (Due d : due) {
                if (PostgresStore.update(c, DELETE_ONE, d.recipient(), d.seq()) == 0) {
                    continue; // another node's pass took it
                }
                long[] r = removed.computeIfAbsent(d.recipient(), k -> new long[2]);
                r[0]++;
                r[1] += d.bytes();
                if (d.kind() == MailRow.SEALED && d.sender() != null) {
                    long seq = nextSequence(c, d.sender());
                    insert(c, d.sender(), seq, null, d.messageId(), nowMillis, nowMillis + noticeTtlMillis, MailRow.EXPIRED, null,
                            d.recipientName());
                    notices.add(new MailboxUsage(d.sender(), 1, 0));
                }
            }
            List<MailboxUsage> out = new ArrayList<>(removed.size());
            removed.forEach((account, r) -> out.add(new MailboxUsage(account, (int) r[0], r[1])));
            return new MailExpiry(List.copyOf(out), List.copyOf(notices), more);
        });
    }

    @Override
    public List<MailboxUsage> usage() throws StorageFailure {
        return tx.run(c -> {
            List<MailboxUsage> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(USAGE); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new MailboxUsage(rs.getLong(1), rs.getInt(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }
}

package parley.peer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The copies of our own group messages (PROTOCOL.md 9.3.2), one row per (message id, member), in
 * the account's history database. A row is written {@link #PENDING} with the message itself,
 * before any copy leaves; it becomes {@link #QUEUED} when the member's mailbox holds the copy
 * (MAIL_DEPOSIT's answer), {@link #DELIVERED} on the channel's ACK or the member's RECEIPT, and
 * {@link #FAILED} when the copy fails (a REJECT, a removed member, the registry's expiry notice):
 * kept, so a message that reached nobody reads as reached by 0 members, not as unrecorded. Why
 * durable: a RECEIPT or EXPIRED notice may reach a later run of the client than the one that sent
 * the copy, and memory alone would match it to nothing; and a copy still {@link #PENDING} when the
 * process stopped (on a session waiting for its ACK, being sealed or deposited) is sent again by
 * the next run ({@link #pending}), else that member would never get it (issue 14: "a client
 * restart loses no history"). Copies delivered over a session are recorded {@code delivered} too,
 * so the reach count survives a restart whole. The state is kept in the column {@code delivered}
 * (its name from when it held only 0 and 1: rows of older runs read as queued or delivered, as
 * they were). Storage thread only.
 */
public final class GroupCopyLog {
    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS group_copies ("
            + " id INTEGER NOT NULL, member TEXT NOT NULL, group_id BLOB NOT NULL, delivered INTEGER NOT NULL,"
            + " PRIMARY KEY (id, member))";
    private static final String INDEX = "CREATE INDEX IF NOT EXISTS group_copies_by_group ON group_copies (group_id, id)";

    /** In the member's mailbox, waiting for her RECEIPT or the expiry notice. */
    public static final int QUEUED = 0;
    /** Reached the member (ACK or RECEIPT). */
    public static final int DELIVERED = 1;
    /** Not known to have reached the member nor her mailbox: a restart sends it again. */
    public static final int PENDING = 2;
    /** Ended without reaching the member. */
    public static final int FAILED = 3;

    /** A copy still pending, with what it takes to send it again (its message's stored row). */
    public record Pending(byte[] group, long id, String member, long sequence, long lamport, String text, long sentAt) {
    }

    private final PreparedStatement out;
    private final PreparedStatement queued;
    private final PreparedStatement pending;
    private final PreparedStatement delivered;
    private final PreparedStatement find;
    private final PreparedStatement markDelivered;
    private final PreparedStatement markFailed;
    private final PreparedStatement reached;

    GroupCopyLog(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(SCHEMA);
            s.execute(INDEX);
        }
        out = db.prepareStatement("INSERT OR IGNORE INTO group_copies (id, member, group_id, delivered) VALUES (?, ?, ?, " + PENDING + ")");
        queued = db.prepareStatement("UPDATE group_copies SET delivered = " + QUEUED + " WHERE id = ? AND member = ?"
                + " AND delivered = " + PENDING);
        pending = db.prepareStatement("SELECT c.group_id, c.id, c.member, m.seq, m.lamport, m.text, m.sent_at"
                + " FROM group_copies c JOIN group_messages m ON m.group_id = c.group_id AND m.id = c.id AND m.sender = ?"
                + " WHERE c.delivered = " + PENDING + " ORDER BY m.lamport, c.member");
        delivered = db.prepareStatement("INSERT INTO group_copies (id, member, group_id, delivered) VALUES (?, ?, ?, " + DELIVERED + ")"
                + " ON CONFLICT(id, member) DO UPDATE SET delivered = " + DELIVERED);
        find = db.prepareStatement("SELECT group_id FROM group_copies WHERE id = ? AND member = ? AND delivered IN (" + QUEUED + ", " + PENDING + ")");
        markDelivered = db.prepareStatement("UPDATE group_copies SET delivered = " + DELIVERED + " WHERE id = ? AND member = ?");
        markFailed = db.prepareStatement("UPDATE group_copies SET delivered = " + FAILED + " WHERE id = ? AND member = ?");
        reached = db.prepareStatement("SELECT id, SUM(delivered = " + DELIVERED + ") FROM group_copies WHERE group_id = ? GROUP BY id");
    }

    /** Copy {@code id} of {@code group} is on its way to {@code member} (a no-op if it is recorded already). */
    public void out(byte[] group, long id, String member) throws SQLException {
        out.setBytes(3, group);
        update(out, id, member);
    }

    /** Copy {@code id} to {@code member} is in her mailbox (if it was still pending). */
    public void queued(long id, String member) throws SQLException {
        update(queued, id, member);
    }

    /**
     * Every copy of {@code self}'s messages still pending, in the group's order (Lamport time):
     * what a run that stopped left unsettled and unqueued.
     */
    public java.util.List<Pending> pending(String self) throws SQLException {
        pending.setString(1, self);
        java.util.List<Pending> rows = new java.util.ArrayList<>();
        try (ResultSet rs = pending.executeQuery()) {
            while (rs.next()) {
                rows.add(new Pending(rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getString(6), rs.getLong(7)));
            }
        }
        return rows;
    }

    /** Copy {@code id} reached {@code member} (whichever way it went). */
    public void delivered(byte[] group, long id, String member) throws SQLException {
        delivered.setBytes(3, group);
        update(delivered, id, member);
    }

    /** Copy {@code id} to {@code member} ended without reaching her. */
    public void failed(long id, String member) throws SQLException {
        update(markFailed, id, member);
    }

    /**
     * Settles copy {@code id} to {@code member} if it is still out (queued, or pending: a RECEIPT may
     * come for a copy whose deposit's answer an earlier run never heard): delivered, or (expired) failed.
     * Returns its group's id, or null if no such copy is out (not ours, or settled already).
     */
    public byte[] settle(long id, String member, boolean reached) throws SQLException {
        find.setLong(1, id);
        find.setString(2, member);
        byte[] group;
        try (ResultSet rs = find.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            group = rs.getBytes(1);
        }
        update(reached ? markDelivered : markFailed, id, member);
        return group;
    }

    /** Runs {@code statement}, whose first two parameters are a copy's key: message id, then member. */
    private static void update(PreparedStatement statement, long id, String member) throws SQLException {
        statement.setLong(1, id);
        statement.setString(2, member);
        statement.executeUpdate();
    }

    /** Per own message of {@code group} with a copy recorded: how many members it reached. */
    public Map<Long, Integer> reached(byte[] group) throws SQLException {
        reached.setBytes(1, group);
        Map<Long, Integer> counts = new HashMap<>();
        try (ResultSet rs = reached.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getLong(1), rs.getInt(2));
            }
        }
        return counts;
    }
}

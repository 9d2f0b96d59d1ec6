package parley.peer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The copies of our own group messages (PROTOCOL.md 9.3.2) that left for a member's mailbox, one
 * row per (message id, member), in the account's history database. A row is written before its
 * copy is deposited and stays {@code out} until that member's RECEIPT ({@code delivered}) or the
 * registry's expiry notice (the row goes). Why durable: a RECEIPT or EXPIRED notice may reach a
 * later run of the client than the one that sent the copy, and memory alone would match it to
 * nothing, so the sender would never learn the copy's end and {@code /history #g} would under-count
 * the members reached (issue 14: "a client restart loses no history"). Copies delivered over a
 * session are recorded {@code delivered} too, so the reach count survives a restart whole.
 * Storage thread only.
 */
public final class GroupCopyLog {
    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS group_copies ("
            + " id INTEGER NOT NULL, member TEXT NOT NULL, group_id BLOB NOT NULL, delivered INTEGER NOT NULL,"
            + " PRIMARY KEY (id, member))";
    private static final String INDEX = "CREATE INDEX IF NOT EXISTS group_copies_by_group ON group_copies (group_id, id)";

    private final PreparedStatement out;
    private final PreparedStatement delivered;
    private final PreparedStatement find;
    private final PreparedStatement markDelivered;
    private final PreparedStatement remove;
    private final PreparedStatement reached;

    GroupCopyLog(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(SCHEMA);
            s.execute(INDEX);
        }
        out = db.prepareStatement("INSERT OR IGNORE INTO group_copies (id, member, group_id, delivered) VALUES (?, ?, ?, 0)");
        delivered = db.prepareStatement("INSERT INTO group_copies (id, member, group_id, delivered) VALUES (?, ?, ?, 1)"
                + " ON CONFLICT(id, member) DO UPDATE SET delivered = 1");
        find = db.prepareStatement("SELECT group_id FROM group_copies WHERE id = ? AND member = ? AND delivered = 0");
        markDelivered = db.prepareStatement("UPDATE group_copies SET delivered = 1 WHERE id = ? AND member = ?");
        remove = db.prepareStatement("DELETE FROM group_copies WHERE id = ? AND member = ?");
        reached = db.prepareStatement("SELECT id, SUM(delivered) FROM group_copies WHERE group_id = ? GROUP BY id");
    }

    /** Copy {@code id} of {@code group} is on its way to {@code member}'s mailbox. */
    public void out(byte[] group, long id, String member) throws SQLException {
        out.setLong(1, id);
        out.setString(2, member);
        out.setBytes(3, group);
        out.executeUpdate();
    }

    /** Copy {@code id} reached {@code member} (whichever way it went). */
    public void delivered(byte[] group, long id, String member) throws SQLException {
        delivered.setLong(1, id);
        delivered.setString(2, member);
        delivered.setBytes(3, group);
        delivered.executeUpdate();
    }

    /** Copy {@code id} to {@code member} ended without reaching her: forgotten. */
    public void remove(long id, String member) throws SQLException {
        remove.setLong(1, id);
        remove.setString(2, member);
        remove.executeUpdate();
    }

    /**
     * Settles copy {@code id} to {@code member} if it is still out: delivered, or (expired) removed.
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
        PreparedStatement end = reached ? markDelivered : remove;
        end.setLong(1, id);
        end.setString(2, member);
        end.executeUpdate();
        return group;
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

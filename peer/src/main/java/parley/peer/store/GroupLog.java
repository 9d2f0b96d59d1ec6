package parley.peer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The group messages this account holds (PROTOCOL.md 9.3.2), in the account's history database:
 * one row per (group, sender, sequence), so a repeat is never stored twice and a restart rebuilds
 * each group's timeline, Lamport clock and own sequence from what is here instead of starting
 * over (which would make the next own message a "repeat" its receivers drop). Storage thread only.
 */
public final class GroupLog {
    /** One stored group message. */
    public record Row(byte[] group, String sender, long sequence, long lamport, long id, String text, long sentAt) {
    }

    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS group_messages ("
            + " group_id BLOB NOT NULL, sender TEXT NOT NULL, seq INTEGER NOT NULL, lamport INTEGER NOT NULL,"
            + " id INTEGER NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL,"
            + " PRIMARY KEY (group_id, sender, seq))";

    private final PreparedStatement insert;
    private final PreparedStatement load;

    GroupLog(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(SCHEMA);
        }
        insert = db.prepareStatement("INSERT OR IGNORE INTO group_messages (group_id, sender, seq, lamport, id, text, sent_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
        load = db.prepareStatement("SELECT group_id, sender, seq, lamport, id, text, sent_at FROM group_messages"
                + " WHERE group_id = ? ORDER BY lamport, sender");
    }

    /** Stores the message; false if (group, sender, sequence) was already held. */
    public boolean addIfNew(Row r) throws SQLException {
        insert.setBytes(1, r.group());
        insert.setString(2, r.sender());
        insert.setLong(3, r.sequence());
        insert.setLong(4, r.lamport());
        insert.setLong(5, r.id());
        insert.setString(6, r.text());
        insert.setLong(7, r.sentAt());
        return insert.executeUpdate() == 1;
    }

    /** Every message held of {@code group}, in display order. */
    public List<Row> load(byte[] group) throws SQLException {
        load.setBytes(1, group);
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = load.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getBytes(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getString(6), rs.getLong(7)));
            }
        }
        return out;
    }
}

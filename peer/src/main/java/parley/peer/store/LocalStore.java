package parley.peer.store;

import parley.core.util.PrivateFiles;

import parley.server.protocol.Usernames;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One account's local SQLite file: message history with delivery states, the session key
 * fingerprints last seen per contact, and each contact's pinned identity. Blocking JDBC: call from the storage thread only.
 *
 * <p>Outgoing messages are written as {@code pending} when accepted and updated when delivered or
 * failed, so a message still pending when the process dies is found (and reported failed) at
 * the next start instead of vanishing.
 */
public final class LocalStore implements AutoCloseable {
    private static final String SCHEMA = ""
            + "CREATE TABLE IF NOT EXISTS messages ("
            + " id INTEGER NOT NULL, peer TEXT NOT NULL, outgoing INTEGER NOT NULL, text TEXT NOT NULL,"
            + " sent_at INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT,"
            + " PRIMARY KEY (peer, outgoing, id));"
            + "CREATE INDEX IF NOT EXISTS messages_by_peer ON messages (peer, sent_at);"
            + "CREATE INDEX IF NOT EXISTS messages_by_state ON messages (state);"
            + "CREATE TABLE IF NOT EXISTS fingerprints ("
            + " peer TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, seen_at INTEGER NOT NULL);"
            // Identity pins (PROTOCOL.md 7.9): the contact's bundle as first seen, whether the
            // user confirmed its safety number, and whether a change awaits confirmation.
            + "CREATE TABLE IF NOT EXISTS identities ("
            + " peer TEXT PRIMARY KEY, bundle BLOB NOT NULL, verified INTEGER NOT NULL, changed INTEGER NOT NULL,"
            + " pinned_at INTEGER NOT NULL);";

    private final Connection db;
    private final PreparedStatement insert;
    private final PreparedStatement setState;
    private final PreparedStatement history;
    private final PreparedStatement pending;
    private final PreparedStatement settle;
    private final PreparedStatement toMailing;
    private final PreparedStatement mailing;
    private final PreparedStatement putFingerprint;
    private final PreparedStatement getFingerprint;
    private final PreparedStatement putPin;
    private final GroupLog groups;
    private final GroupCopyLog groupCopies;

    private LocalStore(Connection db) throws SQLException {
        this.db = db;
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            for (String stmt : SCHEMA.split(";")) {
                s.execute(stmt);
            }
        }
        insert = db.prepareStatement("INSERT OR IGNORE INTO messages (id, peer, outgoing, text, sent_at, state, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?, NULL)");
        setState = db.prepareStatement("UPDATE messages SET state = ?, reason = ? WHERE outgoing = 1 AND id = ?");
        settle = db.prepareStatement("UPDATE messages SET state = ?, reason = ? WHERE outgoing = 1 AND id = ? AND peer = ?"
                + " AND state IN ('" + StoredMessage.PENDING + "', '" + StoredMessage.MAILING + "', '" + StoredMessage.QUEUED + "')");
        toMailing = db.prepareStatement("UPDATE messages SET state = '" + StoredMessage.MAILING + "', reason = NULL"
                + " WHERE outgoing = 1 AND id = ? AND peer = ? AND state IN ('" + StoredMessage.PENDING + "', '"
                + StoredMessage.MAILING + "')");
        mailing = db.prepareStatement("SELECT id, peer, outgoing, text, sent_at, state, reason FROM messages"
                + " WHERE outgoing = 1 AND state = '" + StoredMessage.MAILING + "' ORDER BY sent_at, rowid");
        history = db.prepareStatement("SELECT id, peer, outgoing, text, sent_at, state, reason FROM messages"
                + " WHERE peer = ? ORDER BY sent_at DESC, rowid DESC LIMIT ?");
        pending = db.prepareStatement("SELECT id, peer, outgoing, text, sent_at, state, reason FROM messages"
                + " WHERE state = 'pending' ORDER BY sent_at");
        putFingerprint = db.prepareStatement("INSERT INTO fingerprints (peer, fingerprint, seen_at) VALUES (?, ?, ?)"
                + " ON CONFLICT(peer) DO UPDATE SET fingerprint = excluded.fingerprint, seen_at = excluded.seen_at");
        getFingerprint = db.prepareStatement("SELECT fingerprint FROM fingerprints WHERE peer = ?");
        putPin = db.prepareStatement("INSERT INTO identities (peer, bundle, verified, changed, pinned_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT(peer) DO UPDATE SET bundle = excluded.bundle, verified = excluded.verified,"
                + " changed = excluded.changed, pinned_at = excluded.pinned_at");
        groups = new GroupLog(db);
        groupCopies = new GroupCopyLog(db);
    }

    /** The group messages (issue 14), in the same database. */
    public GroupLog groups() {
        return groups;
    }

    /** Our group copies still out to a mailbox, and those delivered (issue 14), in the same database. */
    public GroupCopyLog groupCopies() {
        return groupCopies;
    }

    /**
     * Stores our own group message and a {@link GroupCopyLog#PENDING} copy for each of
     * {@code members}, in one transaction, before any copy leaves: a process that stops at any
     * point after this leaves every copy for the next run to send again, and none half recorded.
     * Returns {@link GroupLog#addIfNew}'s answer.
     */
    public boolean addOwnGroupMessage(GroupLog.Row row, java.util.List<String> members) throws SQLException {
        db.setAutoCommit(false);
        try {
            boolean fresh = groups.addIfNew(row);
            for (String m : members) {
                groupCopies.out(row.group(), row.id(), m);
            }
            db.commit();
            return fresh;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    /**
     * Opens (creating if needed) the database at {@code file}. Its directory is created 0700, and
     * the file is created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the
     * mode of the database, so they are 0600 too. Files an earlier version left readable are
     * tightened.
     */
    public static LocalStore open(Path file) throws SQLException {
        Path absolute = file.toAbsolutePath();
        try {
            PrivateFiles.prepareDatabase(absolute);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + file + ": " + e.getMessage(), e);
        }
        return new LocalStore(DriverManager.getConnection("jdbc:sqlite:" + absolute));
    }

    /**
     * The file of an account: usernames are unique without regard to case, so the file is too.
     * The name reaches here from the network (the registry's login reply), so it must pass the
     * registration rule and the path must stay under {@code dataDir}; otherwise a registry could
     * choose where the peer writes.
     *
     * @throws IllegalArgumentException if the name is not a valid user name or escapes the directory
     */
    public static Path fileFor(Path dataDir, String user) {
        Usernames.Problem problem = Usernames.validate(user);
        if (problem != null) {
            throw new IllegalArgumentException("refusing user name from the registry: " + problem.message());
        }
        Path root = dataDir.toAbsolutePath().normalize();
        Path file = root.resolve(Usernames.key(user)).resolve(HISTORY_FILE).normalize();
        if (!file.startsWith(root) || file.getParent().equals(root)) {
            throw new IllegalArgumentException("refusing user name that leaves the data directory: " + user);
        }
        return file;
    }

    public static final String HISTORY_FILE = "history.db";

    public void addOutgoing(long id, String peer, String text, long sentAt) throws SQLException {
        add(id, peer, true, text, sentAt, StoredMessage.PENDING);
    }

    public void addIncoming(long remoteId, String peer, String text, long sentAt) throws SQLException {
        add(remoteId, peer, false, text, sentAt, StoredMessage.RECEIVED);
    }

    /**
     * Stores a received message unless one with the same sender and id is there already, and says
     * whether it was new: the one place where a message that came both directly and through the
     * mailbox (or through the mailbox twice, after a crash before MAIL_ACK) becomes exactly once.
     */
    public boolean addIncomingIfNew(long remoteId, String peer, String text, long sentAt) throws SQLException {
        return add(remoteId, peer, false, text, sentAt, StoredMessage.RECEIVED) == 1;
    }

    /** A pending outgoing message goes to the recipient's mailbox: sealing starts (see {@link StoredMessage#MAILING}). */
    public boolean markMailing(long id, String peer) throws SQLException {
        toMailing.setLong(1, id);
        toMailing.setString(2, key(peer));
        return toMailing.executeUpdate() == 1;
    }

    /** The outgoing messages a process left on their way to the mailbox, oldest first: to deposit again. */
    public List<StoredMessage> mailing() throws SQLException {
        return read(mailing);
    }

    /** A pending or mailing outgoing message is now in the recipient's mailbox (MAIL_DEPOSIT answered). */
    public boolean markQueued(long id, String peer) throws SQLException {
        return settle(id, peer, StoredMessage.QUEUED, null);
    }

    /**
     * {@code peer} says it stored our message {@code id} (a receipt): delivered, if it was still
     * pending or queued. False for an unknown id, another peer's message, or one already settled,
     * so a repeated receipt changes nothing.
     */
    public boolean markDeliveredBy(long id, String peer) throws SQLException {
        return settle(id, peer, StoredMessage.DELIVERED, null);
    }

    /** As {@link #markDeliveredBy}, for a message that will not arrive (e.g. its mail expired). */
    public boolean markFailedFor(long id, String peer, String reason) throws SQLException {
        return settle(id, peer, StoredMessage.FAILED, reason);
    }

    private boolean settle(long id, String peer, String state, String reason) throws SQLException {
        settle.setString(1, state);
        settle.setString(2, reason);
        settle.setLong(3, id);
        settle.setString(4, key(peer));
        return settle.executeUpdate() == 1;
    }

    private int add(long id, String peer, boolean outgoing, String text, long sentAt, String state) throws SQLException {
        insert.setLong(1, id);
        insert.setString(2, key(peer));
        insert.setInt(3, outgoing ? 1 : 0);
        insert.setString(4, text);
        insert.setLong(5, sentAt);
        insert.setString(6, state);
        return insert.executeUpdate();
    }

    public void markDelivered(long id) throws SQLException {
        mark(id, StoredMessage.DELIVERED, null);
    }

    public void markFailed(long id, String reason) throws SQLException {
        mark(id, StoredMessage.FAILED, reason);
    }

    private void mark(long id, String state, String reason) throws SQLException {
        setState.setString(1, state);
        setState.setString(2, reason);
        setState.setLong(3, id);
        setState.executeUpdate();
    }

    /** The last {@code n} messages with {@code peer}, oldest first. */
    public List<StoredMessage> history(String peer, int n) throws SQLException {
        history.setString(1, key(peer));
        history.setInt(2, n);
        List<StoredMessage> out = read(history);
        Collections.reverse(out);
        return out;
    }

    /** Marks every still-pending outgoing message failed and returns them (as they were). */
    public List<StoredMessage> failPending(String reason) throws SQLException {
        List<StoredMessage> out = read(pending);
        db.setAutoCommit(false);
        try {
            for (StoredMessage m : out) {
                mark(m.id, StoredMessage.FAILED, reason);
            }
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
        return out;
    }

    public void rememberFingerprint(String peer, String fingerprint, long at) throws SQLException {
        putFingerprint.setString(1, key(peer));
        putFingerprint.setString(2, fingerprint);
        putFingerprint.setLong(3, at);
        putFingerprint.executeUpdate();
    }

    /** The fingerprint last seen for {@code peer}, or null. */
    public String fingerprint(String peer) throws SQLException {
        getFingerprint.setString(1, key(peer));
        try (ResultSet rs = getFingerprint.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Stores the pin of {@code peer}: its bundle, verified mark and pending-change mark. */
    public void pin(IdentityPin pin, long at) throws SQLException {
        putPin.setString(1, key(pin.user()));
        putPin.setBytes(2, pin.bundle());
        putPin.setInt(3, pin.verified() ? 1 : 0);
        putPin.setInt(4, pin.changed() ? 1 : 0);
        putPin.setLong(5, at);
        putPin.executeUpdate();
    }

    /** Every pinned identity, read once when the account's store opens. */
    public List<IdentityPin> pins() throws SQLException {
        List<IdentityPin> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT peer, bundle, verified, changed FROM identities ORDER BY peer")) {
            while (rs.next()) {
                out.add(new IdentityPin(rs.getString(1), rs.getBytes(2), rs.getInt(3) == 1, rs.getInt(4) == 1));
            }
        }
        return out;
    }

    private static List<StoredMessage> read(PreparedStatement q) throws SQLException {
        List<StoredMessage> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredMessage(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1, rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7)));
            }
        }
        return out;
    }

    private static String key(String peer) {
        return peer.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}

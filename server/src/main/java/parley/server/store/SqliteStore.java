package parley.server.store;

import parley.core.util.PrivateFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's SQL on SQLite through plain JDBC: blocking calls on one connection, no threads.
 * {@link GroupCommitter} runs it off the event loop and groups requests into transactions.
 *
 * <p><b>Durability.</b> The database runs with {@code journal_mode=WAL} and
 * {@code synchronous=FULL}, so {@link #commit} returns only after the WAL is fsynced.
 *
 * <p>Writes use ON CONFLICT DO NOTHING rather than INSERT OR IGNORE, which would also swallow
 * CHECK and foreign-key violations.
 */
public final class SqliteStore implements RegistryStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    private static final String DECOY_SECRET = "decoy_secret";
    private static final int DECOY_SECRET_BYTES = 32;
    private static final int BUSY_TIMEOUT_MILLIS = 5000;
    private static final String ACCOUNT_COLUMNS =
            "SELECT id, username, username_key, salt, iterations, stored_key, server_key, visibility, created_at FROM accounts";
    private static final String NAME_KEY_TAKEN = "UNIQUE constraint failed: accounts.username_key";
    /** SQLite's message for a ROLLBACK with nothing to roll back (a failed BEGIN, say). */
    private static final String NO_TRANSACTION = "no transaction is active";

    private final Connection connection;
    private final Statement control;
    private final byte[] decoySecret;
    private final SqliteMailbox mailbox;

    private SqliteStore(Connection connection, byte[] decoySecret) throws SQLException {
        this.connection = connection;
        this.control = connection.createStatement();
        this.decoySecret = decoySecret;
        this.mailbox = new SqliteMailbox(connection);
    }

    @Override
    public MailboxStore mailbox() {
        return mailbox;
    }

    /**
     * Opens (creating if needed) the database at {@code file} and applies pending migrations. Runs
     * on the calling thread: call at startup, not on the loop. The file, its directory and
     * SQLite's companion files are made owner-only first ({@link PrivateFiles}).
     */
    public static SqliteStore open(Path file) throws SQLException {
        try {
            PrivateFiles.prepareDatabase(file);
        } catch (IOException e) {
            throw new SQLException("cannot make " + file + " private to this user: " + e.getMessage(), e);
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
            }
            Schema.migrate(c, Schema.LATEST);
            return new SqliteStore(c, loadOrCreateDecoySecret(c));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public byte[] decoySecret() {
        return decoySecret.clone();
    }

    /** The JDBC connection, for tests that check its settings. */
    Connection connection() {
        return connection;
    }

    // ---- operations ---------------------------------------------------------------------------

    @Override
    public AccountRecord createAccount(String username, String usernameKey, ScramCredentials credentials,
                                       Visibility visibility, long createdAtMillis) throws StorageFailure {
        try {
            try (PreparedStatement p = connection.prepareStatement(
                    "INSERT INTO accounts(username, username_key, salt, iterations, stored_key, server_key, visibility, created_at)"
                            + " VALUES (?,?,?,?,?,?,?,?)")) {
                p.setString(1, username);
                p.setString(2, usernameKey);
                p.setBytes(3, credentials.salt());
                p.setInt(4, credentials.iterations());
                p.setBytes(5, credentials.storedKey());
                p.setBytes(6, credentials.serverKey());
                p.setInt(7, visibility.code());
                p.setLong(8, createdAtMillis);
                p.executeUpdate();
            }
            try (ResultSet rs = control.executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                return new AccountRecord(rs.getLong(1), username, usernameKey, credentials, visibility, createdAtMillis);
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains(NAME_KEY_TAKEN)) {
                throw new StorageFailure(StorageFailure.Kind.NAME_TAKEN, "user name is taken", e);
            }
            throw SqliteFailures.translate(e);
        }
    }

    @Override
    public AccountRecord loadAccount(String usernameKey) throws StorageFailure {
        try (PreparedStatement p = connection.prepareStatement(ACCOUNT_COLUMNS + " WHERE username_key = ?")) {
            p.setString(1, usernameKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? account(rs) : null;
            }
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    @Override
    public Snapshot loadAll() throws StorageFailure {
        List<AccountRecord> accounts = new ArrayList<>();
        List<ContactPair> contacts = new ArrayList<>();
        List<ContactRequestRecord> requests = new ArrayList<>();
        List<BlockRecord> blocks = new ArrayList<>();
        List<IdentityRecord> identities = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery(ACCOUNT_COLUMNS + " ORDER BY id")) {
                while (rs.next()) {
                    accounts.add(account(rs));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT low, high FROM contacts ORDER BY low, high")) {
                while (rs.next()) {
                    contacts.add(new ContactPair(rs.getLong(1), rs.getLong(2)));
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT from_id, to_id, created_at FROM contact_requests ORDER BY created_at, from_id, to_id")) {
                while (rs.next()) {
                    requests.add(new ContactRequestRecord(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT blocker, blocked FROM blocks ORDER BY blocker, blocked")) {
                while (rs.next()) {
                    blocks.add(new BlockRecord(rs.getLong(1), rs.getLong(2)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT account, bundle FROM identities ORDER BY account")) {
                while (rs.next()) {
                    identities.add(new IdentityRecord(rs.getLong(1), rs.getBytes(2)));
                }
            }
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
        return new Snapshot(decoySecret.clone(), List.copyOf(accounts), List.copyOf(contacts),
                List.copyOf(requests), List.copyOf(blocks), List.copyOf(identities));
    }

    @Override
    public boolean setVisibility(long accountId, Visibility visibility) throws StorageFailure {
        return execute("UPDATE accounts SET visibility = ? WHERE id = ?", visibility.code(), accountId) > 0;
    }

    @Override
    public boolean addContactRequest(long from, long to, long createdAtMillis) throws StorageFailure {
        return execute("INSERT INTO contact_requests(from_id, to_id, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                from, to, createdAtMillis) > 0;
    }

    @Override
    public boolean removeContactRequest(long from, long to) throws StorageFailure {
        return execute("DELETE FROM contact_requests WHERE from_id = ? AND to_id = ?", from, to) > 0;
    }

    @Override
    public boolean addContact(long a, long b, long createdAtMillis) throws StorageFailure {
        ContactPair pair = ContactPair.of(a, b);
        return execute("INSERT INTO contacts(low, high, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                pair.low(), pair.high(), createdAtMillis) > 0;
    }

    @Override
    public boolean acceptContactRequest(long from, long to, long createdAtMillis) throws StorageFailure {
        execute("DELETE FROM contact_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                from, to, to, from);
        return addContact(from, to, createdAtMillis);
    }

    @Override
    public boolean removeContact(long a, long b) throws StorageFailure {
        ContactPair pair = ContactPair.of(a, b);
        return execute("DELETE FROM contacts WHERE low = ? AND high = ?", pair.low(), pair.high()) > 0;
    }

    @Override
    public boolean block(long blocker, long blocked, long createdAtMillis) throws StorageFailure {
        // Not removeContact: a pair needs two different ids, and blocking oneself must reach the CHECK.
        execute("DELETE FROM contacts WHERE low = ? AND high = ?", Math.min(blocker, blocked), Math.max(blocker, blocked));
        execute("DELETE FROM contact_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                blocker, blocked, blocked, blocker);
        return execute("INSERT INTO blocks(blocker, blocked, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                blocker, blocked, createdAtMillis) > 0;
    }

    @Override
    public boolean unblock(long blocker, long blocked) throws StorageFailure {
        return execute("DELETE FROM blocks WHERE blocker = ? AND blocked = ?", blocker, blocked) > 0;
    }

    @Override
    public boolean setIdentity(long accountId, byte[] bundle, long atMillis) throws StorageFailure {
        return execute("INSERT INTO identities(account, bundle, updated_at) SELECT id, ?, ? FROM accounts WHERE id = ?"
                + " ON CONFLICT(account) DO UPDATE SET bundle = excluded.bundle, updated_at = excluded.updated_at",
                bundle, atMillis, accountId) > 0;
    }

    // ---- transactions -------------------------------------------------------------------------

    @Override
    public void begin() throws StorageFailure {
        control("BEGIN IMMEDIATE"); // take the write lock now, not at the first write
        mailbox.began();
    }

    @Override
    public void savepoint() throws StorageFailure {
        control("SAVEPOINT request");
    }

    @Override
    public void releaseSavepoint() throws StorageFailure {
        control("RELEASE request");
    }

    @Override
    public void rollbackToSavepoint() throws StorageFailure {
        control("ROLLBACK TO request");
        control("RELEASE request");
    }

    @Override
    public void commit() throws StorageFailure {
        try {
            mailbox.beforeCommit(); // the group's sequence marks, in this transaction
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
        control("COMMIT");
        mailbox.committed();
    }

    @Override
    public void rollback() throws StorageFailure {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains(NO_TRANSACTION)) {
                throw SqliteFailures.translate(e);
            }
        } finally {
            mailbox.rolledBack();
        }
    }

    @Override
    public void close() {
        try {
            mailbox.close();
            control.close();
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the database failed", e);
        }
    }

    // ---- machinery ----------------------------------------------------------------------------

    private void control(String sql) throws StorageFailure {
        try {
            control.execute(sql);
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    private int execute(String sql, Object... args) throws StorageFailure {
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    private static AccountRecord account(ResultSet rs) throws SQLException {
        Visibility v = Visibility.fromCode(rs.getInt(8));
        ScramCredentials creds = new ScramCredentials(rs.getBytes(4), rs.getInt(5), rs.getBytes(6), rs.getBytes(7));
        return new AccountRecord(rs.getLong(1), rs.getString(2), rs.getString(3), creds,
                v == null ? Visibility.DEFAULT : v, rs.getLong(9));
    }

    private static byte[] loadOrCreateDecoySecret(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM server_meta WHERE name = ?")) {
            p.setString(1, DECOY_SECRET);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    return rs.getBytes(1);
                }
            }
        }
        byte[] secret = new byte[DECOY_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO server_meta(name, value) VALUES (?, ?)")) {
            p.setString(1, DECOY_SECRET);
            p.setBytes(2, secret);
            p.executeUpdate();
        }
        return secret;
    }
}

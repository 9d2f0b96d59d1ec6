package parley.server.store;

import com.zaxxer.hikari.HikariDataSource;
import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's SQL on PostgreSQL (issue 16), the second implementation of {@link RegistryStore}
 * beside {@link SqliteStore}: the same operations and answers, so {@link GroupCommitter} runs
 * either on its worker thread, off the loop. Through pgjdbc and a small HikariCP pool
 * ({@link PostgresPool}), schema by Flyway ({@code db/postgresql}).
 *
 * <p><b>Portable SQL.</b> Only what PostgreSQL, CockroachDB and YugabyteDB all accept: upserts
 * with {@code ON CONFLICT}, {@code RETURNING}, no triggers or procedures. Transactions are short
 * (one group commit) and each statement touches the rows of one or two users, by key. A
 * serialization failure or deadlock is {@link StorageFailure.Kind#CONFLICT}, which the committer
 * retries; a lost server is {@link StorageFailure.Kind#UNAVAILABLE}.
 *
 * <p><b>Durability.</b> {@link #commit} returns once PostgreSQL has committed (with its default
 * {@code synchronous_commit=on}, after the WAL is flushed), and the registry replies only after.
 */
public final class PostgresStore implements RegistryStore {
    private static final String DECOY_SECRET = "decoy_secret";
    private static final int DECOY_SECRET_BYTES = 32;
    private static final String ACCOUNT_COLUMNS =
            "SELECT id, username, username_key, salt, iterations, stored_key, server_key, visibility, created_at FROM accounts";

    private final HikariDataSource pool;
    private final PostgresTransaction tx;
    private final PostgresMailbox mailbox;
    private final PostgresGroups groups;
    private final byte[] decoySecret;

    private PostgresStore(HikariDataSource pool) throws StorageFailure {
        this.pool = pool;
        this.tx = new PostgresTransaction(pool);
        this.mailbox = new PostgresMailbox(tx);
        this.groups = new PostgresGroups(tx);
        this.decoySecret = tx.run(PostgresStore::loadOrCreateDecoySecret);
    }

    /** Connects, migrates and reads the decoy secret. At startup, not on the loop. */
    public static PostgresStore open(PostgresLocation location) throws SQLException {
        return open(location, PostgresPool.CONNECTION_TIMEOUT);
    }

    /** As {@link #open(PostgresLocation)}, waiting at most {@code connectionTimeout} for a connection per batch. */
    public static PostgresStore open(PostgresLocation location, Duration connectionTimeout) throws SQLException {
        HikariDataSource pool = PostgresPool.open(location, connectionTimeout);
        try {
            return new PostgresStore(pool);
        } catch (StorageFailure | RuntimeException e) {
            pool.close();
            throw new SQLException("cannot read the server secret at " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] decoySecret() {
        return decoySecret.clone();
    }

    @Override
    public MailboxStore mailbox() {
        return mailbox;
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    /** Every node of a cluster writes here: see {@link RegistryStore#sharedByNodes()}. */
    @Override
    public boolean sharedByNodes() {
        return true;
    }

    /** A failed PostgreSQL statement aborts its transaction: every request needs its savepoint. */
    @Override
    public boolean statementsAtomic() {
        return false;
    }

    // ---- operations ---------------------------------------------------------------------------

    @Override
    public AccountRecord createAccount(String username, String usernameKey, ScramCredentials credentials,
                                       Visibility visibility, long createdAtMillis) throws StorageFailure {
        long id = tx.run(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO accounts(username, username_key, salt, iterations, stored_key, server_key, visibility, created_at)"
                            + " VALUES (?,?,?,?,?,?,?,?) RETURNING id")) {
                p.setString(1, username);
                p.setString(2, usernameKey);
                p.setBytes(3, credentials.salt());
                p.setInt(4, credentials.iterations());
                p.setBytes(5, credentials.storedKey());
                p.setBytes(6, credentials.serverKey());
                p.setInt(7, visibility.code());
                p.setLong(8, createdAtMillis);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new AccountRecord(id, username, usernameKey, credentials, visibility, createdAtMillis);
    }

    @Override
    public AccountRecord loadAccount(String usernameKey) throws StorageFailure {
        return tx.run(c -> {
            try (PreparedStatement p = c.prepareStatement(ACCOUNT_COLUMNS + " WHERE username_key = ?")) {
                p.setString(1, usernameKey);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? account(rs) : null;
                }
            }
        });
    }

    @Override
    public Snapshot loadAll() throws StorageFailure {
        List<AccountRecord> accounts = new ArrayList<>();
        List<ContactPair> contacts = new ArrayList<>();
        List<ContactRequestRecord> requests = new ArrayList<>();
        List<BlockRecord> blocks = new ArrayList<>();
        List<IdentityRecord> identities = new ArrayList<>();
        tx.run(c -> {
            try (Statement s = c.createStatement()) {
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
            }
            return null;
        });
        return new Snapshot(decoySecret.clone(), List.copyOf(accounts), List.copyOf(contacts),
                List.copyOf(requests), List.copyOf(blocks), List.copyOf(identities));
    }

    // The relation writes are the same SQL on both stores: RelationSql.

    @Override
    public boolean setVisibility(long accountId, Visibility visibility) throws StorageFailure {
        return RelationSql.setVisibility(this::update, accountId, visibility);
    }

    @Override
    public boolean addContactRequest(long from, long to, long createdAtMillis) throws StorageFailure {
        return RelationSql.addContactRequest(this::update, from, to, createdAtMillis);
    }

    @Override
    public boolean removeContactRequest(long from, long to) throws StorageFailure {
        return RelationSql.removeContactRequest(this::update, from, to);
    }

    @Override
    public boolean addContact(long a, long b, long createdAtMillis) throws StorageFailure {
        return RelationSql.addContact(this::update, a, b, createdAtMillis);
    }

    @Override
    public boolean acceptContactRequest(long from, long to, long createdAtMillis) throws StorageFailure {
        return RelationSql.acceptContactRequest(this::update, from, to, createdAtMillis);
    }

    @Override
    public boolean removeContact(long a, long b) throws StorageFailure {
        return RelationSql.removeContact(this::update, a, b);
    }

    @Override
    public boolean block(long blocker, long blocked, long createdAtMillis) throws StorageFailure {
        return RelationSql.block(this::update, blocker, blocked, createdAtMillis);
    }

    @Override
    public boolean unblock(long blocker, long blocked) throws StorageFailure {
        return RelationSql.unblock(this::update, blocker, blocked);
    }

    @Override
    public boolean setIdentity(long accountId, byte[] bundle, long atMillis) throws StorageFailure {
        return RelationSql.setIdentity(this::update, accountId, bundle, atMillis);
    }

    // ---- transactions -------------------------------------------------------------------------

    @Override
    public void begin() throws StorageFailure {
        tx.begin();
    }

    @Override
    public void savepoint() throws StorageFailure {
        tx.savepoint();
    }

    @Override
    public void releaseSavepoint() throws StorageFailure {
        tx.releaseSavepoint();
    }

    @Override
    public void rollbackToSavepoint() throws StorageFailure {
        tx.rollbackToSavepoint();
    }

    @Override
    public void commit() throws StorageFailure {
        tx.commit();
    }

    @Override
    public void rollback() throws StorageFailure {
        tx.rollback();
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- machinery ----------------------------------------------------------------------------

    private int update(String sql, Object... args) throws StorageFailure {
        return tx.run(c -> update(c, sql, args));
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        }
    }

    private static AccountRecord account(ResultSet rs) throws SQLException {
        Visibility v = Visibility.fromCode(rs.getInt(8));
        ScramCredentials creds = new ScramCredentials(rs.getBytes(4), rs.getInt(5), rs.getBytes(6), rs.getBytes(7));
        return new AccountRecord(rs.getLong(1), rs.getString(2), rs.getString(3), creds,
                v == null ? Visibility.DEFAULT : v, rs.getLong(9));
    }

    /** Race-free across nodes starting together: the first insert wins, everyone reads the winner. */
    private static byte[] loadOrCreateDecoySecret(Connection c) throws SQLException {
        byte[] candidate = new byte[DECOY_SECRET_BYTES];
        new SecureRandom().nextBytes(candidate);
        update(c, "INSERT INTO server_meta(name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", DECOY_SECRET, candidate);
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM server_meta WHERE name = ?")) {
            p.setString(1, DECOY_SECRET);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }
}

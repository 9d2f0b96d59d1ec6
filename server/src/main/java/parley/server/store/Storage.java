package parley.server.store;

import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;
import parley.server.protocol.RegistryErrors;

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
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * SQLite persistence on one storage thread. The event loop never touches JDBC: it enqueues a
 * request (a jctools MPSC queue) and gets its {@link Completion} back through the completion
 * executor, normally {@link EventLoop#execute}.
 *
 * <p><b>Durability rule.</b> The database runs with {@code journal_mode=WAL} and
 * {@code synchronous=FULL}, so COMMIT returns only after the WAL is fsynced. A request's
 * completion is posted only after the COMMIT of the transaction that carried it has returned;
 * the server replies to a client only from that completion, so every acknowledged change survives
 * a crash or power loss.
 *
 * <p><b>Group commit.</b> The thread takes every request already queued (up to
 * {@link #MAX_BATCH}) into one transaction, each inside its own SAVEPOINT: a request that fails
 * (a taken name) is rolled back alone and completed with its error, the others commit together.
 * One fsync then serves the whole batch.
 *
 * <p>Writes are idempotent where that is natural (ON CONFLICT DO NOTHING, DELETE; unlike
 * INSERT OR IGNORE this still fails on CHECK and foreign-key violations), since the loop's
 * in-memory state is the authority and storage only mirrors it.
 */
public final class Storage implements AutoCloseable {
    public static final int MAX_BATCH = 256;
    public static final int QUEUE_CAPACITY = 65_536;
    private static final Logger log = LoggerFactory.getLogger(Storage.class);
    private static final String DECOY_SECRET = "decoy_secret";

    /** One request: runs on the storage thread inside the batch transaction. */
    interface Task<T> {
        T run(Connection c) throws SQLException;
    }

    private static final class Request<T> {
        final Task<T> task;
        final Completion<T> completion;
        T value;
        StorageException error;

        Request(Task<T> task, Completion<T> completion) {
            this.task = task;
            this.completion = completion;
        }

        void deliver() {
            completion.complete(error == null ? value : null, error);
        }
    }

    private final Connection connection;
    private final Executor completions;
    private final MpscArrayQueue<Request<?>> queue = new MpscArrayQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread thread;
    private final byte[] decoySecret;
    private volatile boolean running = true;
    private volatile long commits;
    private volatile long requests;

    private Storage(Connection connection, Executor completions, byte[] decoySecret) {
        this.connection = connection;
        this.completions = completions;
        this.decoySecret = decoySecret;
        this.thread = new Thread(this::run, "storage");
    }

    /**
     * Opens (creating if needed) the database at {@code file}, applies pending migrations and
     * starts the storage thread. Runs on the calling thread: call at startup, not on the loop. The
     * file, its directory and SQLite's companion files are made owner-only first ({@link PrivateFiles}).
     */
    public static Storage open(Path file, Executor completions) throws SQLException {
        try {
            PrivateFiles.prepareDatabase(file);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot make " + file + " private to this user: " + e.getMessage(), e);
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            Schema.migrate(c, Schema.LATEST);
            byte[] secret = loadOrCreateDecoySecret(c);
            Storage storage = new Storage(c, completions, secret);
            storage.thread.start();
            return storage;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public static Storage open(Path file, EventLoop loop) throws SQLException {
        return open(file, loop::execute);
    }

    /** The persistent secret for decoy SCRAM credentials, created on first open. */
    public byte[] decoySecret() {
        return decoySecret.clone();
    }

    // ---- operations ---------------------------------------------------------------------------

    /** Inserts an account; completes with the stored record (with its new id) or USERNAME_TAKEN. */
    public void createAccount(String username, String usernameKey, ScramCredentials credentials,
                              Visibility visibility, long createdAtMillis, Completion<AccountRecord> done) {
        submit(c -> {
            try (PreparedStatement p = c.prepareStatement(
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
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                return new AccountRecord(rs.getLong(1), username, usernameKey, credentials, visibility, createdAtMillis);
            }
        }, done);
    }

    /** Completes with the account whose key is {@code usernameKey}, or null. */
    public void loadAccount(String usernameKey, Completion<AccountRecord> done) {
        submit(c -> {
            try (PreparedStatement p = c.prepareStatement(ACCOUNT_COLUMNS + " WHERE username_key = ?")) {
                p.setString(1, usernameKey);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? account(rs) : null;
                }
            }
        }, done);
    }

    /** Completes with every account, contact, pending request and block. */
    public void loadAll(Completion<Snapshot> done) {
        submit(c -> {
            List<AccountRecord> accounts = new ArrayList<>();
            List<ContactPair> contacts = new ArrayList<>();
            List<ContactRequestRecord> requests = new ArrayList<>();
            List<BlockRecord> blocks = new ArrayList<>();
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
                try (ResultSet rs = s.executeQuery("SELECT from_id, to_id, created_at FROM contact_requests ORDER BY created_at, from_id, to_id")) {
                    while (rs.next()) {
                        requests.add(new ContactRequestRecord(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT blocker, blocked FROM blocks ORDER BY blocker, blocked")) {
                    while (rs.next()) {
                        blocks.add(new BlockRecord(rs.getLong(1), rs.getLong(2)));
                    }
                }
            }
            return new Snapshot(decoySecret.clone(), List.copyOf(accounts), List.copyOf(contacts),
                    List.copyOf(requests), List.copyOf(blocks));
        }, done);
    }

    /** Completes with true when the account exists (and now has {@code visibility}). */
    public void setVisibility(long accountId, Visibility visibility, Completion<Boolean> done) {
        update("UPDATE accounts SET visibility = ? WHERE id = ?", done, visibility.code(), accountId);
    }

    /** Completes with true when the request is new. */
    public void addContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
        update("INSERT INTO contact_requests(from_id, to_id, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING", done,
                from, to, createdAtMillis);
    }

    /** Completes with true when a request was removed (declined or withdrawn). */
    public void removeContactRequest(long from, long to, Completion<Boolean> done) {
        update("DELETE FROM contact_requests WHERE from_id = ? AND to_id = ?", done, from, to);
    }

    /** Completes with true when the pair is new. Does not touch requests; see {@link #acceptContactRequest}. */
    public void addContact(long a, long b, long createdAtMillis, Completion<Boolean> done) {
        ContactPair pair = ContactPair.of(a, b);
        update("INSERT INTO contacts(low, high, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING", done,
                pair.low(), pair.high(), createdAtMillis);
    }

    /**
     * Atomically removes the requests between the two (both directions) and makes them contacts.
     * Completes with true when the pair is new.
     */
    public void acceptContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
        ContactPair pair = ContactPair.of(from, to);
        submit(c -> {
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM contact_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)")) {
                del.setLong(1, from);
                del.setLong(2, to);
                del.setLong(3, to);
                del.setLong(4, from);
                del.executeUpdate();
            }
            return execute(c, "INSERT INTO contacts(low, high, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                    pair.low(), pair.high(), createdAtMillis) > 0;
        }, done);
    }

    /** Completes with true when the two were contacts. */
    public void removeContact(long a, long b, Completion<Boolean> done) {
        ContactPair pair = ContactPair.of(a, b);
        update("DELETE FROM contacts WHERE low = ? AND high = ?", done, pair.low(), pair.high());
    }

    /**
     * Records the block and, in the same transaction, ends any contact and drops requests both
     * ways, so that unblocking later can never bring back a contact the block ended.
     * Completes with true when the block is new.
     */
    public void block(long blocker, long blocked, long createdAtMillis, Completion<Boolean> done) {
        submit(c -> {
            execute(c, "DELETE FROM contacts WHERE low = ? AND high = ?", Math.min(blocker, blocked), Math.max(blocker, blocked));
            execute(c, "DELETE FROM contact_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                    blocker, blocked, blocked, blocker);
            return execute(c, "INSERT INTO blocks(blocker, blocked, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                    blocker, blocked, createdAtMillis) > 0;
        }, done);
    }

    /** Completes with true when a block was lifted. */
    public void unblock(long blocker, long blocked, Completion<Boolean> done) {
        update("DELETE FROM blocks WHERE blocker = ? AND blocked = ?", done, blocker, blocked);
    }

    /** Transactions committed so far (a batch is one). */
    public long commits() {
        return commits;
    }

    /** Requests processed so far. */
    public long requests() {
        return requests;
    }

    // ---- machinery ------------------------------------------------------------------------------

    private static final String ACCOUNT_COLUMNS =
            "SELECT id, username, username_key, salt, iterations, stored_key, server_key, visibility, created_at FROM accounts";

    private static AccountRecord account(ResultSet rs) throws SQLException {
        Visibility v = Visibility.fromCode(rs.getInt(8));
        ScramCredentials creds = new ScramCredentials(rs.getBytes(4), rs.getInt(5), rs.getBytes(6), rs.getBytes(7));
        return new AccountRecord(rs.getLong(1), rs.getString(2), rs.getString(3), creds,
                v == null ? Visibility.DEFAULT : v, rs.getLong(9));
    }

    private void update(String sql, Completion<Boolean> done, Object... args) {
        submit(c -> execute(c, sql, args) > 0, done);
    }

    private static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        }
    }

    /** Enqueues a task. Package-private so tests can run probes on the storage thread. */
    <T> void submit(Task<T> task, Completion<T> done) {
        Request<T> r = new Request<>(task, done);
        // inFlight brackets the running check and the offer, so close() can wait for submitters
        // that saw running == true and then drain their requests instead of losing them.
        inFlight.incrementAndGet();
        try {
            if (!running) {
                r.error = StorageException.failed("storage is closed", null);
                completions.execute(r::deliver);
                return;
            }
            if (!queue.offer(r)) {
                r.error = StorageException.failed("storage queue full", null);
                completions.execute(r::deliver);
                return;
            }
        } finally {
            inFlight.decrementAndGet();
        }
        if (sleeping.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        List<Request<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            queue.drain(batch::add, MAX_BATCH);
            if (batch.isEmpty()) {
                if (!running) {
                    while (inFlight.get() != 0) {
                        Thread.onSpinWait();
                    }
                    if (queue.isEmpty()) {
                        break;
                    }
                    continue;
                }
                // Same protocol as the event loop: announce sleep, re-check, then park.
                sleeping.set(true);
                if (queue.isEmpty() && running) {
                    LockSupport.park(this);
                }
                sleeping.set(false);
                continue;
            }
            runBatch(batch);
            List<Request<?>> done = batch;
            completions.execute(() -> {
                for (Request<?> r : done) {
                    try {
                        r.deliver();
                    } catch (Throwable t) {
                        log.error("storage completion failed", t);
                    }
                }
            });
            batch = new ArrayList<>(MAX_BATCH);
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the database failed", e);
        }
    }

    private void runBatch(List<Request<?>> batch) {
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            for (Request<?> r : batch) {
                runOne(s, r);
            }
            s.execute("COMMIT");
            commits++;
        } catch (SQLException e) {
            log.error("storage transaction failed; {} requests fail", batch.size(), e);
            try (Statement s = connection.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // No transaction open: nothing to roll back.
            }
            for (Request<?> r : batch) {
                if (r.error == null) {
                    r.error = StorageException.failed("transaction failed: " + e.getMessage(), e);
                }
            }
        }
        requests += batch.size();
    }

    private <T> void runOne(Statement s, Request<T> r) throws SQLException {
        s.execute("SAVEPOINT request");
        try {
            r.value = r.task.run(connection);
            s.execute("RELEASE request");
        } catch (SQLException | RuntimeException e) {
            s.execute("ROLLBACK TO request");
            s.execute("RELEASE request");
            r.error = translate(e);
        }
    }

    private static StorageException translate(Exception e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("UNIQUE constraint failed: accounts.username_key")) {
            return new StorageException(RegistryErrors.USERNAME_TAKEN, "user name is taken", e);
        }
        return StorageException.failed(m, e);
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
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO server_meta(name, value) VALUES (?, ?)")) {
            p.setString(1, DECOY_SECRET);
            p.setBytes(2, secret);
            p.executeUpdate();
        }
        return secret;
    }

    /**
     * Stops accepting requests, finishes (and completes) everything already queued, closes the
     * database and waits for the storage thread. A request submitted after close is completed
     * with STORAGE_FAILED; none is ever dropped without a completion.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

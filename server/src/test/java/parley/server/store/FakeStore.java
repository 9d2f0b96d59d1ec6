package parley.server.store;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RegistryStore} without a database, for testing what {@link GroupCommitter} does with
 * a store: it logs the transaction calls, commits by counting, and fails on request. Only
 * {@link #setVisibility} is an operation: an account id of {@link #REFUSED} fails CONSTRAINT.
 */
final class FakeStore implements RegistryStore {
    static final long REFUSED = -1;
    /** An account id whose setVisibility fails CONFLICT while {@link #conflictsLeft} is above 0. */
    static final long CONFLICTING = -2;

    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicInteger commits = new AtomicInteger();
    volatile StorageFailure.Kind failCommit;
    /** Conflicts (SQLSTATE 40001) still to report: by commit, or by a CONFLICTING request. */
    final AtomicInteger conflictsLeft = new AtomicInteger();
    /** When set, commits fail CONFLICT while {@link #conflictsLeft} is above 0. */
    volatile boolean conflictAtCommit;
    /** False: behave as PostgreSQL, where a failed statement aborts the transaction. */
    volatile boolean atomicStatements = true;

    @Override
    public boolean statementsAtomic() {
        return atomicStatements;
    }
    volatile boolean closed;

    @Override
    public byte[] decoySecret() {
        return new byte[32];
    }

    /** No groups: GroupCommitter's tests go through {@link #setVisibility} alone. */
    @Override
    public GroupStore groups() {
        throw new UnsupportedOperationException("FakeStore has no groups");
    }

    /** No mailbox: GroupCommitter's tests go through {@link #setVisibility} alone. */
    @Override
    public MailboxStore mailbox() {
        throw new UnsupportedOperationException("FakeStore has no mailbox");
    }

    @Override
    public boolean setVisibility(long accountId, Visibility visibility) throws StorageFailure {
        if (accountId == REFUSED) {
            throw new StorageFailure(StorageFailure.Kind.CONSTRAINT, "refused");
        }
        if (accountId == CONFLICTING && takeConflict()) {
            throw new StorageFailure(StorageFailure.Kind.CONFLICT, "could not serialize access");
        }
        log.add("set " + accountId);
        return true;
    }

    @Override
    public boolean setIdentity(long accountId, byte[] bundle, long atMillis) {
        log.add("identity " + accountId);
        return true;
    }

    @Override
    public void begin() {
        log.add("begin");
    }

    @Override
    public void savepoint() {
        log.add("savepoint");
    }

    @Override
    public void releaseSavepoint() {
        log.add("release");
    }

    @Override
    public void rollbackToSavepoint() {
        log.add("rollback-to");
    }

    @Override
    public void commit() throws StorageFailure {
        StorageFailure.Kind k = failCommit;
        if (k != null) {
            throw new StorageFailure(k, "commit refused");
        }
        if (conflictAtCommit && takeConflict()) {
            throw new StorageFailure(StorageFailure.Kind.CONFLICT, "could not serialize access");
        }
        log.add("commit");
        commits.incrementAndGet();
    }

    private boolean takeConflict() {
        return conflictsLeft.getAndUpdate(n -> Math.max(n - 1, 0)) > 0;
    }

    @Override
    public void rollback() {
        log.add("rollback");
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---- not used by these tests --------------------------------------------------------------

    @Override
    public AccountRecord createAccount(String username, String usernameKey, ScramCredentials credentials,
                                       Visibility visibility, long createdAtMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AccountRecord loadAccount(String usernameKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Snapshot loadAll() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean addContactRequest(long from, long to, long createdAtMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeContactRequest(long from, long to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean addContact(long a, long b, long createdAtMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean acceptContactRequest(long from, long to, long createdAtMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeContact(long a, long b) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean block(long blocker, long blocked, long createdAtMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean unblock(long blocker, long blocked) {
        throw new UnsupportedOperationException();
    }
}

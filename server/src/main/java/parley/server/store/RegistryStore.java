package parley.server.store;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

/**
 * What the registry persists, as blocking calls on one thread: the SQL of the registry and
 * nothing else. No threads, no queues, no completions: {@link GroupCommitter} runs a store on its
 * worker thread and groups requests into transactions, so a second implementation (PostgreSQL)
 * only has to speak its dialect here. Nothing of the database leaks through: failures are
 * {@link StorageFailure}s with a kind, values are the records of this package.
 *
 * <p><b>Transactions.</b> The committer brackets a batch with {@link #begin} and {@link #commit}
 * and each request inside it with {@link #savepoint}, then {@link #releaseSavepoint} or
 * {@link #rollbackToSavepoint}, so a request that fails (a taken name) is undone alone while the
 * rest of the batch commits. {@link #commit} returns only once the batch is durable: the caller
 * replies to clients after it, never before.
 *
 * <p><b>Writes are idempotent</b> where that is natural (adding what exists, removing what does
 * not, answers false instead of failing), since the loop's in-memory state is the authority and
 * storage only mirrors it.
 */
public interface RegistryStore extends AutoCloseable {
    /** The persistent secret for decoy SCRAM credentials, created on first open. */
    byte[] decoySecret();

    /** The mailbox's operations, on this store's connection and inside its transactions. */
    MailboxStore mailbox();

    /**
     * True when a failed statement is undone alone and the transaction goes on (SQLite), so a
     * request of one write statement needs no savepoint of its own. PostgreSQL aborts the whole
     * transaction on any failed statement: there every request gets its savepoint.
     */
    default boolean statementsAtomic() {
        return true;
    }

    /** The groups' operations (section 7.12), on this store's connection and inside its transactions. */
    GroupStore groups();

    /**
     * True when several registry nodes may share this store (PostgreSQL): then a node tells the
     * others of the accounts, identity bundles and mailbox changes it writes, since their memory
     * is not the store (issue 16, docs/SCALING.md). SQLite is one node's own file.
     */
    default boolean sharedByNodes() {
        return false;
    }

    // ---- operations ---------------------------------------------------------------------------

    /** Inserts an account; answers the stored record with its new id. Fails NAME_TAKEN for a taken key. */
    AccountRecord createAccount(String username, String usernameKey, ScramCredentials credentials,
                                Visibility visibility, long createdAtMillis) throws StorageFailure;

    /** The account whose key is {@code usernameKey}, or null. */
    AccountRecord loadAccount(String usernameKey) throws StorageFailure;

    /** Every account, contact, pending request and block, with the decoy secret. */
    Snapshot loadAll() throws StorageFailure;

    /** True when the account exists (and now has {@code visibility}). */
    boolean setVisibility(long accountId, Visibility visibility) throws StorageFailure;

    /** True when the request is new. */
    boolean addContactRequest(long from, long to, long createdAtMillis) throws StorageFailure;

    /** True when a request was removed (declined or withdrawn). */
    boolean removeContactRequest(long from, long to) throws StorageFailure;

    /** True when the pair is new. Does not touch requests; see {@link #acceptContactRequest}. */
    boolean addContact(long a, long b, long createdAtMillis) throws StorageFailure;

    /** Removes the requests between the two (both directions) and makes them contacts; true when the pair is new. */
    boolean acceptContactRequest(long from, long to, long createdAtMillis) throws StorageFailure;

    /** True when the two were contacts. */
    boolean removeContact(long a, long b) throws StorageFailure;

    /**
     * Records the block and ends any contact and drops requests both ways, so that unblocking
     * later can never bring back a contact the block ended. True when the block is new.
     */
    boolean block(long blocker, long blocked, long createdAtMillis) throws StorageFailure;

    /** True when a block was lifted. */
    boolean unblock(long blocker, long blocked) throws StorageFailure;

    /** Stores (or replaces) the account's 128-byte identity bundle; true when the account exists. */
    boolean setIdentity(long accountId, byte[] bundle, long atMillis) throws StorageFailure;

    // ---- transactions -------------------------------------------------------------------------

    /** Opens a write transaction for a batch. */
    void begin() throws StorageFailure;

    /** Marks the start of one request inside the open transaction. */
    void savepoint() throws StorageFailure;

    /** Keeps what the request since {@link #savepoint} wrote. */
    void releaseSavepoint() throws StorageFailure;

    /** Undoes what the request since {@link #savepoint} wrote, and drops the mark. */
    void rollbackToSavepoint() throws StorageFailure;

    /** Commits the batch; returns only once it is durable (fsynced). */
    void commit() throws StorageFailure;

    /** Abandons the open transaction, if any. */
    void rollback() throws StorageFailure;

    /** Closes the database. Not thread-safe: call once nothing else uses the store. */
    @Override
    void close();
}

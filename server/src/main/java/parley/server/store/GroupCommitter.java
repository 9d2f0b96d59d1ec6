package parley.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Runs a {@link RegistryStore} on one worker thread, off the event loop, and groups the requests
 * queued meanwhile into one transaction. The loop never touches the database: it submits a
 * request and gets its {@link Completion} back through the completion executor, normally the
 * event loop. The operations have the store's names and meanings, asynchronously.
 *
 * <p><b>Worker.</b> nio-core's {@link WorkQueue} with one thread, bounded at
 * {@link #QUEUE_CAPACITY}, {@code batchLimit(MAX_BATCH)}: {@code onItem} adds a request to the
 * open batch, {@code onBatchEnd} runs the batch's transaction and posts its completions. A
 * refused offer is completed at once with OVERLOADED (queue full) or CLOSED (after close).
 *
 * <p><b>Group commit.</b> Every request already queued (up to {@link #MAX_BATCH}) goes into one
 * transaction, each inside its own savepoint: a request that fails (a taken name) is rolled back
 * alone and completed with its failure, the others commit together, and one fsync serves the
 * whole batch. A mail deposit, one write statement, skips the savepoint: SQLite's statement
 * atomicity already undoes it alone.
 *
 * <p><b>Durability rule.</b> A request's completion is posted only after the commit of the
 * transaction that carried it has returned, and the server replies to a client only from that
 * completion, so every acknowledged change survives a crash or power loss.
 *
 * <p><b>One task per batch.</b> The completions of a batch are posted to the loop as one task
 * that runs them all; on an {@link EventLoop} that task batches its writes
 * ({@link EventLoop#runBatchingWrites}), so the replies one commit releases leave in one write
 * per connection instead of one write per reply.
 */
public final class GroupCommitter implements RegistryWrites, MailboxWrites, GroupWrites, AutoCloseable {
    /** Requests per transaction at most: one fsync serves them all. */
    public static final int MAX_BATCH = 256;
    /** Requests waiting for the worker at most; beyond it a request fails OVERLOADED. */
    public static final int QUEUE_CAPACITY = 65_536;
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** One request's work: runs on the worker, inside the batch transaction. */
    @FunctionalInterface
    interface StoreTask<T> {
        T run(RegistryStore store) throws StorageFailure;
    }

    /** Runs of one batch at most when the database reports a serialization failure or deadlock. */
    static final int MAX_ATTEMPTS = BatchTransaction.MAX_ATTEMPTS;

    private final RegistryStore store;
    private final BatchTransaction transaction;
    private final Executor completions;
    private final WorkQueue<StoreRequest<?>> queue;
    // Worker thread only: the requests of the pass in progress.
    private List<StoreRequest<?>> open = new ArrayList<>(MAX_BATCH);
    private volatile long commits;
    private volatile long requests;
    private boolean closed;

    private GroupCommitter(RegistryStore store, Executor completions, int capacity) {
        this.store = store;
        this.transaction = new BatchTransaction(store);
        this.completions = completions;
        this.queue = WorkQueue.builder("storage").bounded(capacity).batchLimit(MAX_BATCH).daemon(false)
                .start(new WorkQueue.Handler<StoreRequest<?>>() {
                    @Override
                    public void onItem(StoreRequest<?> r) {
                        open.add(r);
                    }

                    @Override
                    public void onBatchEnd(int count) {
                        commitOpenBatch();
                    }
                });
    }

    /** Starts the worker for {@code store}; completions run on {@code completions}. */
    public static GroupCommitter start(RegistryStore store, Executor completions) {
        return new GroupCommitter(store, completions, QUEUE_CAPACITY);
    }

    /** With a smaller queue, for tests of a saturated store. */
    static GroupCommitter start(RegistryStore store, Executor completions, int capacity) {
        return new GroupCommitter(store, completions, capacity);
    }

    /** Starts the worker for {@code store}; each batch's completions run as one write-batching loop task. */
    public static GroupCommitter start(RegistryStore store, EventLoop loop) {
        return new GroupCommitter(store, batch -> loop.execute(() -> loop.runBatchingWrites(batch)), QUEUE_CAPACITY);
    }

    /** The persistent secret for decoy SCRAM credentials. */
    public byte[] decoySecret() {
        return store.decoySecret();
    }

    // ---- operations: the store's, asynchronously ----------------------------------------------

    /** Completes with the stored record (with its new id), or fails NAME_TAKEN. */
    public void createAccount(String username, String usernameKey, ScramCredentials credentials,
                              Visibility visibility, long createdAtMillis, Completion<AccountRecord> done) {
        submit(s -> s.createAccount(username, usernameKey, credentials, visibility, createdAtMillis), done);
    }

    /** As {@link #createAccount}, and stores the identity bundle (if any) in the same savepoint. */
    public void createAccount(String username, String usernameKey, ScramCredentials credentials,
                              Visibility visibility, byte[] identity, long createdAtMillis, Completion<AccountRecord> done) {
        submit(s -> {
            AccountRecord a = s.createAccount(username, usernameKey, credentials, visibility, createdAtMillis);
            if (identity != null) {
                s.setIdentity(a.id(), identity, createdAtMillis);
            }
            return a;
        }, done);
    }

    /** Completes with true when the account exists (and now has {@code bundle}). */
    public void setIdentity(long accountId, byte[] bundle, long atMillis, Completion<Boolean> done) {
        submit(s -> s.setIdentity(accountId, bundle, atMillis), done);
    }

    /** Completes with the account whose key is {@code usernameKey}, or null. */
    @Override
    public void loadAccount(String usernameKey, Completion<AccountRecord> done) {
        submit(s -> s.loadAccount(usernameKey), done);
    }

    /** Completes with every account, contact, pending request and block. */
    @Override
    public void loadAll(Completion<Snapshot> done) {
        submit(RegistryStore::loadAll, done);
    }

    /** Completes with true when the account exists (and now has {@code visibility}). */
    public void setVisibility(long accountId, Visibility visibility, Completion<Boolean> done) {
        submit(s -> s.setVisibility(accountId, visibility), done);
    }

    /** Completes with true when the request is new. */
    public void addContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
        submit(s -> s.addContactRequest(from, to, createdAtMillis), done);
    }

    /** Completes with true when a request was removed (declined or withdrawn). */
    public void removeContactRequest(long from, long to, Completion<Boolean> done) {
        submit(s -> s.removeContactRequest(from, to), done);
    }

    /** Completes with true when the pair is new. */
    public void addContact(long a, long b, long createdAtMillis, Completion<Boolean> done) {
        submit(s -> s.addContact(a, b, createdAtMillis), done);
    }

    /** Atomically turns the requests between the two into a contact; true when the pair is new. */
    public void acceptContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
        submit(s -> s.acceptContactRequest(from, to, createdAtMillis), done);
    }

    /** Completes with true when the two were contacts. */
    public void removeContact(long a, long b, Completion<Boolean> done) {
        submit(s -> s.removeContact(a, b), done);
    }

    /** Records the block, ending contact and requests both ways; true when the block is new. */
    public void block(long blocker, long blocked, long createdAtMillis, Completion<Boolean> done) {
        submit(s -> s.block(blocker, blocked, createdAtMillis), done);
    }

    /** Completes with true when a block was lifted. */
    public void unblock(long blocker, long blocked, Completion<Boolean> done) {
        submit(s -> s.unblock(blocker, blocked), done);
    }

    // ---- the mailbox: writes and reads alike run here, so the loop never touches the database ---

    @Override
    public void mailDeposit(long sender, long recipient, long messageId, long depositedAtMillis, long expiresAtMillis,
                            byte[] blob, boolean mayInsert, Completion<MailDepositResult> done) {
        // a deposit is one write statement (SqliteMailbox): atomic alone, no savepoint per request
        submit(s -> s.mailbox().deposit(sender, recipient, messageId, depositedAtMillis, expiresAtMillis, blob, mayInsert), done, true);
    }

    @Override
    public void mailFetch(long recipient, long afterSequence, int maxEntries, int budget,
                          java.util.function.ToIntFunction<MailRow> cost, Completion<MailPageRows> done) {
        submit(s -> s.mailbox().fetch(recipient, afterSequence, maxEntries, budget, cost), done);
    }

    @Override
    public void mailAck(long recipient, long upToSequence, Completion<MailboxUsage> done) {
        submit(s -> s.mailbox().ack(recipient, upToSequence), done);
    }

    @Override
    public void mailExpire(long nowMillis, long noticeTtlMillis, int limit, Completion<MailExpiry> done) {
        submit(s -> s.mailbox().expire(nowMillis, noticeTtlMillis, limit), done);
    }

    @Override
    public void mailUsage(Completion<List<MailboxUsage>> done) {
        submit(s -> s.mailbox().usage(), done);
    }

    // ---- groups (section 7.12) ------------------------------------------------------------------

    @Override
    public void groupCreate(GroupRecord group, long owner, Completion<Boolean> done) {
        submit(s -> {
            s.groups().create(group, owner);
            return Boolean.TRUE;
        }, done);
    }

    @Override
    public void groupChange(GroupChange change, Completion<Boolean> done) {
        submit(s -> s.groups().change(change), done);
    }

    @Override
    public void groupsLoad(Completion<GroupRows> done) {
        submit(s -> s.groups().loadAll(), done);
    }

    /** Transactions committed so far (a batch is one). */
    public long commits() {
        return commits;
    }

    /** Requests processed so far. */
    public long requests() {
        return requests;
    }

    // ---- machinery ----------------------------------------------------------------------------

    /** Queues a task; safe from any thread. Package-private so tests can run probes on the worker. */
    <T> void submit(StoreTask<T> task, Completion<T> done) {
        submit(task, done, false);
    }

    /**
     * As {@link #submit(StoreTask, Completion)}; an {@code atomic} task runs without a savepoint
     * of its own. Only for a task whose writes are one statement (or that fails before writing):
     * SQLite rolls a failed statement back by itself and the transaction goes on.
     */
    private <T> void submit(StoreTask<T> task, Completion<T> done, boolean atomic) {
        StoreRequest<T> r = new StoreRequest<>(task, done, atomic);
        if (!queue.offer(r)) {
            r.error = queue.isRunning()
                    ? new StorageFailure(StorageFailure.Kind.OVERLOADED, "storage queue full")
                    : new StorageFailure(StorageFailure.Kind.CLOSED, "storage is closed");
            completions.execute(r::deliver);
        }
    }

    /** Worker thread: commits the pass's requests, then posts their completions as one task. */
    private void commitOpenBatch() {
        List<StoreRequest<?>> batch = open;
        open = new ArrayList<>(MAX_BATCH);
        boolean finished = false;
        try {
            if (transaction.run(batch)) {
                commits++;
            }
            finished = true;
        } finally {
            if (!finished) {
                transaction.abandon(batch); // an Error escaped a request: nothing of the batch is committed
            }
            requests += batch.size();
            completions.execute(() -> deliverAll(batch));
        }
    }

    private static void deliverAll(List<StoreRequest<?>> batch) {
        for (StoreRequest<?> r : batch) {
            try {
                r.deliver();
            } catch (Throwable t) {
                log.error("storage completion failed", t);
            }
        }
    }

    /**
     * Stops accepting requests, commits (and completes) everything already queued, waits for the
     * worker, then closes the store. A request submitted after close fails CLOSED; none is ever
     * dropped without a completion.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.close();
        if (queue.isTerminated()) {
            store.close();
        } else {
            log.warn("storage worker still busy after close; leaving the database open");
        }
    }
}

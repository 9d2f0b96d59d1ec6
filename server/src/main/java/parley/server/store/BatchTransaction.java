package parley.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One batch's transaction on the storage worker, for {@link GroupCommitter}: begin, each request
 * in its savepoint (or none, for a one-statement request on a store whose statements are atomic,
 * or for every request in the first, optimistic run on PostgreSQL), commit; a failed request is rolled back alone, a failed transaction fails every request that
 * had not failed already. Worker thread only.
 */
final class BatchTransaction {
    /** Runs of one batch at most when the database reports a serialization failure or deadlock. */
    static final int MAX_ATTEMPTS = 5;
    /** The first pause before running a conflicted batch again; it doubles at each attempt. */
    private static final long FIRST_BACKOFF_MILLIS = 5;
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    private final RegistryStore store;

    BatchTransaction(RegistryStore store) {
        this.store = store;
    }

    /**
     * Runs the batch's transaction and answers whether it committed.
     *
     * <p><b>Conflicts.</b> On a CONFLICT (SQLSTATE 40001 or 40P01: PostgreSQL and the distributed
     * engines over its wire ask the client to run the transaction again) rolls back and runs the
     * whole batch again, up to {@link #MAX_ATTEMPTS} times with a doubling pause. The pause is on
     * this worker, never on the loop. Nothing of a conflicted run was committed, so no request is
     * applied twice.
     *
     * <p><b>Optimistic first on PostgreSQL.</b> Where a failed statement aborts the transaction
     * ({@link RegistryStore#statementsAtomic} false), a savepoint per request would cost two more
     * round trips each. So the batch first runs without any; if a request fails (a taken name, a
     * vanished recipient: rare, since the registry checks first), the run is rolled back and the
     * batch runs again with a savepoint per request, where the failure stays the request's own.
     */
    boolean run(List<StoreRequest<?>> batch) {
        boolean guarded = store.statementsAtomic(); // SQLite: guarded from the start, as ever
        for (int attempt = 1; ; ) {
            try {
                store.begin();
                for (StoreRequest<?> r : batch) {
                    if (guarded) {
                        runOne(r);
                    } else {
                        runUnguarded(r);
                    }
                }
                store.commit();
                return true;
            } catch (RequestFailed e) {
                rollbackQuietly();
                batch.forEach(StoreRequest::reset);
                guarded = true; // not an attempt: the same batch, with savepoints
            } catch (StorageFailure | RuntimeException e) {
                rollbackQuietly();
                StorageFailure.Kind kind = e instanceof StorageFailure ? ((StorageFailure) e).kind() : StorageFailure.Kind.OTHER;
                if (kind == StorageFailure.Kind.CONFLICT && attempt < MAX_ATTEMPTS) {
                    log.debug("storage transaction conflicted (attempt {}); running it again", attempt);
                    batch.forEach(StoreRequest::reset);
                    pause(FIRST_BACKOFF_MILLIS << (attempt - 1));
                    attempt++;
                    continue;
                }
                if (kind == StorageFailure.Kind.UNAVAILABLE) {
                    log.warn("storage unavailable, {} requests fail: {}", batch.size(), e.getMessage());
                } else {
                    log.error("storage transaction failed; {} requests fail", batch.size(), e);
                }
                for (StoreRequest<?> r : batch) {
                    if (r.error == null) {
                        r.error = new StorageFailure(kind, "transaction failed: " + e.getMessage(), e);
                    }
                }
                return false;
            }
        }
    }

    /** An unguarded run met a failing request: the transaction is lost, run the batch guarded. */
    private static final class RequestFailed extends Exception {
        RequestFailed() {
            super(null, null, false, false);
        }
    }

    /** A request without a savepoint; a failure of the whole transaction goes up as it is. */
    private <T> void runUnguarded(StoreRequest<T> r) throws StorageFailure, RequestFailed {
        try {
            r.value = r.task.run(store);
        } catch (StorageFailure e) {
            if (e.kind() == StorageFailure.Kind.CONFLICT || e.kind() == StorageFailure.Kind.UNAVAILABLE) {
                throw e;
            }
            throw new RequestFailed();
        } catch (RuntimeException e) {
            throw new RequestFailed();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A conflict dooms the whole transaction, not one request: it goes up to {@link #run}. */
    private <T> void runOne(StoreRequest<T> r) throws StorageFailure {
        if (r.atomic && store.statementsAtomic()) {
            try {
                r.value = r.task.run(store);
            } catch (StorageFailure e) {
                if (e.kind() == StorageFailure.Kind.CONFLICT) {
                    throw e;
                }
                r.error = e;
            } catch (RuntimeException e) {
                r.error = new StorageFailure(StorageFailure.Kind.OTHER, String.valueOf(e), e);
            }
            return;
        }
        store.savepoint();
        try {
            r.value = r.task.run(store);
        } catch (StorageFailure e) {
            if (e.kind() == StorageFailure.Kind.CONFLICT) {
                throw e;
            }
            store.rollbackToSavepoint();
            r.error = e;
            return;
        } catch (RuntimeException e) {
            store.rollbackToSavepoint();
            r.error = new StorageFailure(StorageFailure.Kind.OTHER, String.valueOf(e), e);
            return;
        }
        store.releaseSavepoint();
    }

    void abandon(List<StoreRequest<?>> batch) {
        rollbackQuietly();
        for (StoreRequest<?> r : batch) {
            if (r.error == null) {
                r.error = new StorageFailure(StorageFailure.Kind.OTHER, "transaction abandoned");
            }
        }
    }

    private void rollbackQuietly() {
        try {
            store.rollback();
        } catch (StorageFailure | RuntimeException again) {
            log.warn("rollback failed", again);
        }
    }
}

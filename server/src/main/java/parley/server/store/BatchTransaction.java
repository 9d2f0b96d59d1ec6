package parley.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One batch's transaction on the storage worker, for {@link GroupCommitter}: begin, each request
 * in its savepoint (or none, for a one-statement request on a store whose statements are atomic),
 * commit; a failed request is rolled back alone, a failed transaction fails every request that
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
     * Runs the batch's transaction and answers whether it committed. On a CONFLICT (SQLSTATE
     * 40001 or 40P01: PostgreSQL and the distributed engines over its wire ask the client to run
     * the transaction again) rolls back and runs the whole batch again, up to {@link #MAX_ATTEMPTS} times with a doubling pause. The
     * pause is on this worker, never on the loop. Nothing of a conflicted run was committed, so no
     * request is applied twice.
     */
    boolean run(List<StoreRequest<?>> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.begin();
                for (StoreRequest<?> r : batch) {
                    runOne(r);
                }
                store.commit();
                return true;
            } catch (StorageFailure | RuntimeException e) {
                rollbackQuietly();
                StorageFailure.Kind kind = e instanceof StorageFailure ? ((StorageFailure) e).kind() : StorageFailure.Kind.OTHER;
                if (kind == StorageFailure.Kind.CONFLICT && attempt < MAX_ATTEMPTS) {
                    log.debug("storage transaction conflicted (attempt {}); running it again", attempt);
                    batch.forEach(StoreRequest::reset);
                    pause(FIRST_BACKOFF_MILLIS << (attempt - 1));
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

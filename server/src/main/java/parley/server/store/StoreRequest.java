package parley.server.store;

/** One request to the storage worker: its work, its completion, and the outcome of its last run. */
final class StoreRequest<T> {
    final GroupCommitter.StoreTask<T> task;
    final Completion<T> completion;
    /** One write statement at most: SQLite undoes it alone on failure, so no savepoint is needed. */
    final boolean atomic;
    T value;
    StorageFailure error;

    StoreRequest(GroupCommitter.StoreTask<T> task, Completion<T> completion, boolean atomic) {
        this.task = task;
        this.completion = completion;
        this.atomic = atomic;
    }

    /** Forgets the outcome of a run that was rolled back, before the batch runs again. */
    void reset() {
        value = null;
        error = null;
    }

    void deliver() {
        completion.complete(error == null ? value : null, error);
    }
}

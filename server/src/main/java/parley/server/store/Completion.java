package parley.server.store;

/**
 * Result of a storage request, delivered through the committer's completion executor (the event
 * loop) only after the transaction that carried the request has committed. Exactly one of
 * {@code value} and {@code error} is meaningful: {@code error} is null on success.
 */
@FunctionalInterface
public interface Completion<T> {
    void complete(T value, StorageFailure error);
}

package parley.server.store;

/**
 * A storage request failed; nothing it wrote is in the database. The {@link Kind} says what went
 * wrong in storage terms only: persistence does not speak the wire protocol, so which error code
 * a client sees is decided by the registry, in one place ({@code parley.server.registry.StorageErrors}).
 * A second store implementation (PostgreSQL) maps its own failures onto the same kinds.
 */
public final class StorageFailure extends Exception {
    /** What went wrong, as a store can tell it without knowing who asked. */
    public enum Kind {
        /** An account with the same name key exists (the unique name index refused the row). */
        NAME_TAKEN,
        /** Another integrity rule refused the write: a foreign key, a CHECK. */
        CONSTRAINT,
        /** The database was locked by another connection for longer than the busy timeout. */
        BUSY,
        /** The disk or the database is full. */
        FULL,
        /** Reading or writing the database file failed, or it could not be opened. */
        IO,
        /** The database file is damaged or is not a database. */
        CORRUPT,
        /** The request queue was full: the store is saturated, the request was not started. */
        OVERLOADED,
        /** The store was closed before the request could run. */
        CLOSED,
        /**
         * The database server cannot be reached (connection refused or lost, shutting down, out of
         * connections): nothing was written, and the same request may succeed once it is back.
         * Only a networked store (PostgreSQL) fails this way.
         */
        UNAVAILABLE,
        /**
         * A serialization failure or a deadlock (SQLSTATE 40001, 40P01): the transaction was
         * rolled back and may simply be run again. {@link GroupCommitter} retries it a bounded
         * number of times before failing its requests with this kind.
         */
        CONFLICT,
        /** Anything else, a bug included. */
        OTHER
    }

    private final Kind kind;

    public StorageFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public StorageFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}

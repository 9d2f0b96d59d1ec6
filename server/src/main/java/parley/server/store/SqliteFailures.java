package parley.server.store;

import java.sql.SQLException;

/**
 * SQLite's result codes, turned into {@link StorageFailure} kinds, so that no SQLite type or
 * number reaches the callers of {@link RegistryStore}.
 */
final class SqliteFailures {
    // Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
    private static final int PRIMARY_MASK = 0xff;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_NOTADB = 26;

    private SqliteFailures() {
    }

    static StorageFailure translate(SQLException e) {
        return new StorageFailure(kindOf(e.getErrorCode()), String.valueOf(e.getMessage()), e);
    }

    static StorageFailure.Kind kindOf(int resultCode) {
        switch (resultCode & PRIMARY_MASK) {
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                return StorageFailure.Kind.BUSY;
            case SQLITE_FULL:
                return StorageFailure.Kind.FULL;
            case SQLITE_IOERR:
            case SQLITE_CANTOPEN:
            case SQLITE_READONLY:
                return StorageFailure.Kind.IO;
            case SQLITE_CORRUPT:
            case SQLITE_NOTADB:
                return StorageFailure.Kind.CORRUPT;
            case SQLITE_CONSTRAINT:
                return StorageFailure.Kind.CONSTRAINT;
            default:
                return StorageFailure.Kind.OTHER;
        }
    }
}

package parley.server.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * PostgreSQL's SQLSTATEs (and HikariCP's pool timeout) turned into {@link StorageFailure} kinds, so
 * that no driver type reaches the callers of {@link RegistryStore}. The same codes are sent by the
 * Postgres-wire distributed engines (CockroachDB, YugabyteDB), which is what makes the retry on
 * {@link StorageFailure.Kind#CONFLICT} portable.
 */
final class PostgresFailures {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INTEGRITY_CLASS = "23";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final String CONNECTION_CLASS = "08";
    /** admin_shutdown, crash_shutdown, cannot_connect_now. */
    private static final String OPERATOR_INTERVENTION_PREFIX = "57P0";
    private static final String TOO_MANY_CONNECTIONS = "53300";
    private static final String RESOURCES_CLASS = "53";
    private static final String SYSTEM_ERROR_CLASS = "58";
    private static final String DATA_CORRUPTED = "XX001";
    private static final String INDEX_CORRUPTED = "XX002";
    /** The unique index on accounts.username_key, as PostgreSQL names it. */
    static final String NAME_KEY_CONSTRAINT = "accounts_username_key_key";

    private PostgresFailures() {
    }

    static StorageFailure translate(SQLException e) {
        StorageFailure.Kind kind = kindOf(e);
        if (kind == StorageFailure.Kind.CONSTRAINT && UNIQUE_VIOLATION.equals(e.getSQLState())
                && String.valueOf(e.getMessage()).contains(NAME_KEY_CONSTRAINT)) {
            return new StorageFailure(StorageFailure.Kind.NAME_TAKEN, "user name is taken", e);
        }
        return new StorageFailure(kind, String.valueOf(e.getMessage()), e);
    }

    static StorageFailure.Kind kindOf(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return StorageFailure.Kind.UNAVAILABLE; // the pool found no live connection in time
        }
        return kindOf(e.getSQLState());
    }

    static StorageFailure.Kind kindOf(String state) {
        if (state == null) {
            return StorageFailure.Kind.OTHER;
        }
        if (state.equals(SERIALIZATION_FAILURE) || state.equals(DEADLOCK_DETECTED)) {
            return StorageFailure.Kind.CONFLICT;
        }
        if (state.startsWith(CONNECTION_CLASS) || state.startsWith(OPERATOR_INTERVENTION_PREFIX)
                || state.equals(TOO_MANY_CONNECTIONS)) {
            return StorageFailure.Kind.UNAVAILABLE;
        }
        if (state.startsWith(INTEGRITY_CLASS)) {
            return StorageFailure.Kind.CONSTRAINT;
        }
        if (state.startsWith(RESOURCES_CLASS)) {
            return StorageFailure.Kind.FULL;
        }
        if (state.startsWith(SYSTEM_ERROR_CLASS)) {
            return StorageFailure.Kind.IO;
        }
        if (state.equals(DATA_CORRUPTED) || state.equals(INDEX_CORRUPTED)) {
            return StorageFailure.Kind.CORRUPT;
        }
        return StorageFailure.Kind.OTHER;
    }
}

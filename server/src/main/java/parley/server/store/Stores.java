package parley.server.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Opens the store an operator named: the embedded SQLite file in the data directory by default,
 * or PostgreSQL for {@code --store postgresql://user@host:port/db} (cluster mode, issue 16). At
 * startup, never on the loop.
 */
public final class Stores {
    /** The SQLite file's name inside the data directory. */
    public static final String SQLITE_FILE = "registry.db";
    /** Where PostgreSQL's password is read from when the URI has none (libpq's variable). */
    public static final String PASSWORD_VARIABLE = "PGPASSWORD";

    private Stores() {
    }

    /** True when {@code spec} names a store this server can open (null: the default, SQLite). */
    public static boolean isValid(String spec) {
        return spec == null || PostgresLocation.isPostgres(spec);
    }

    /**
     * Opens the store {@code spec} names; null is SQLite in {@code data}. A malformed URI is an
     * {@link IllegalArgumentException}; a database that cannot be reached or migrated an
     * {@link SQLException} whose message names it without its password.
     */
    public static RegistryStore open(String spec, Path data) throws SQLException {
        if (spec == null) {
            return SqliteStore.open(data.resolve(SQLITE_FILE));
        }
        if (!PostgresLocation.isPostgres(spec)) {
            throw new IllegalArgumentException("--store takes a postgresql:// URI (without it: SQLite in the data directory)");
        }
        return PostgresStore.open(PostgresLocation.parse(spec, System.getenv(PASSWORD_VARIABLE)));
    }

    /** What {@code spec} names, for logs: never a password. */
    public static String describe(String spec, Path data) {
        return spec == null ? "sqlite " + data.resolve(SQLITE_FILE) : PostgresLocation.parse(spec, null).toString();
    }
}

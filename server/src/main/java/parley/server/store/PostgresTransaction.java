package parley.server.store;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * The storage worker's transaction on PostgreSQL: one connection borrowed from the pool at
 * {@link #begin} and given back at {@link #commit} or {@link #rollback}, so an idle node holds no
 * transaction open and a connection the server dropped is replaced at the next batch (HikariCP
 * validates an idle connection before lending it, and evicts one that failed). Worker thread
 * only, like every store call.
 *
 * <p>Unlike SQLite, a failed statement aborts the whole PostgreSQL transaction, so every request
 * of a batch runs inside its own savepoint ({@link PostgresStore#statementsAtomic} is false).
 */
final class PostgresTransaction {
    /** One SQL step on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final String SAVEPOINT = "request";

    private final HikariDataSource pool;
    private Connection open;
    private Savepoint savepoint;

    PostgresTransaction(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code work} in the open transaction or, outside one (tests, tools), on a connection of
     * its own in autocommit mode.
     */
    <T> T run(Work<T> work) throws StorageFailure {
        try {
            if (open != null) {
                return work.run(open);
            }
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(true);
                return work.run(c);
            }
        } catch (SQLException e) {
            throw PostgresFailures.translate(e);
        }
    }

    void begin() throws StorageFailure {
        if (open != null) {
            throw new StorageFailure(StorageFailure.Kind.OTHER, "a transaction is already open");
        }
        try {
            Connection c = pool.getConnection();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            open = c;
        } catch (SQLException e) {
            throw PostgresFailures.translate(e);
        }
    }

    void savepoint() throws StorageFailure {
        savepoint = run(c -> c.setSavepoint(SAVEPOINT));
    }

    void releaseSavepoint() throws StorageFailure {
        Savepoint s = take();
        run(c -> {
            c.releaseSavepoint(s);
            return null;
        });
    }

    void rollbackToSavepoint() throws StorageFailure {
        Savepoint s = take();
        run(c -> {
            c.rollback(s);
            c.releaseSavepoint(s);
            return null;
        });
    }

    void commit() throws StorageFailure {
        Connection c = require();
        try {
            c.commit();
        } catch (SQLException e) {
            throw PostgresFailures.translate(e);
        }
        giveBack();
    }

    /** Abandons the open transaction, if any, and gives its connection back (the pool drops a broken one). */
    void rollback() throws StorageFailure {
        Connection c = open;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException e) {
            StorageFailure.Kind kind = PostgresFailures.kindOf(e);
            if (kind != StorageFailure.Kind.UNAVAILABLE) {
                throw PostgresFailures.translate(e);
            }
            // the connection is gone, and the server rolled the transaction back with it
        } finally {
            giveBack();
        }
    }

    private Savepoint take() throws StorageFailure {
        Savepoint s = savepoint;
        savepoint = null;
        if (s == null) {
            throw new StorageFailure(StorageFailure.Kind.OTHER, "no savepoint is set");
        }
        return s;
    }

    private Connection require() throws StorageFailure {
        if (open == null) {
            throw new StorageFailure(StorageFailure.Kind.OTHER, "no transaction is open");
        }
        return open;
    }

    private void giveBack() {
        Connection c = open;
        open = null;
        savepoint = null;
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool evicts a connection that failed; nothing else to do
        }
    }
}

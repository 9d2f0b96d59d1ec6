package parley.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Opens the connection pool of a PostgreSQL store and brings its schema up to date with Flyway
 * (migrations in {@code db/postgresql} on the class path; Flyway takes an advisory lock, so nodes
 * starting together migrate once). Runs at startup, never on the loop.
 *
 * <p><b>Small pool.</b> The storage worker uses one connection at a time; the second serves
 * Flyway at startup and lets a replacement be opened while a broken one is being evicted.
 *
 * <p><b>Failing fast.</b> While the database is down, a batch waits at most
 * {@code connectionTimeout} for a connection and then fails UNAVAILABLE; a statement on a
 * connection whose server vanished without a word fails after the socket timeout. Either way the
 * worker, not the loop, waits, and the next batch tries again: that is how a node recovers.
 */
final class PostgresPool {
    static final int MAX_CONNECTIONS = 2;
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    private static final int SOCKET_TIMEOUT_SECONDS = 60;
    static final String MIGRATIONS = "classpath:db/postgresql";

    private PostgresPool() {
    }

    static HikariDataSource open(PostgresLocation location, Duration connectionTimeout) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-store");
        config.setJdbcUrl(location.jdbcUrl());
        config.setUsername(location.user());
        if (location.password() != null) {
            config.setPassword(location.password());
        }
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setAutoCommit(true);
        config.addDataSourceProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        config.addDataSourceProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        config.addDataSourceProperty("tcpKeepAlive", true);
        config.addDataSourceProperty("ApplicationName", "parley-registry");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config); // connects once: a database that is down fails the start
        } catch (RuntimeException e) {
            throw new SQLException("cannot connect to " + location + ": " + rootMessage(e), "08001", e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new SQLException("cannot migrate the schema at " + location + ": " + rootMessage(e), e);
        }
        return pool;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage());
    }
}

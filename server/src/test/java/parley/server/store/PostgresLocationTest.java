package parley.server.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --store} URIs and PostgreSQL's SQLSTATEs, without a database. */
class PostgresLocationTest {
    @Test
    void aLibpqStyleUriBecomesTheDriversUrlUserAndPassword() {
        PostgresLocation l = PostgresLocation.parse("postgresql://parley@db.example:6543/reg", null);
        assertThat(l.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/reg");
        assertThat(l.user()).isEqualTo("parley");
        assertThat(l.password()).isNull();
        PostgresLocation withDefaults = PostgresLocation.parse("postgres://u:p%40ss@127.0.0.1/reg?sslmode=require", "ignored");
        assertThat(withDefaults.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/reg?sslmode=require");
        assertThat(withDefaults.password()).isEqualTo("p@ss");
        assertThat(withDefaults.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
        assertThat(PostgresLocation.parse("postgresql://u@[::1]:5/db", "from-env").password()).isEqualTo("from-env");
        assertThat(PostgresLocation.parse("postgresql://u@[::1]:5/db", null).jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5/db");
    }

    @Test
    void aUriWithoutUserHostOrDatabaseIsRefused() {
        assertThatThrownBy(() -> PostgresLocation.parse("postgresql://host:5432/db", null)).hasMessageContaining("user");
        assertThatThrownBy(() -> PostgresLocation.parse("postgresql://u@host:5432/", null)).hasMessageContaining("database");
        assertThatThrownBy(() -> PostgresLocation.parse("mysql://u@host/db", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Stores.isValid(null)).isTrue();
        assertThat(Stores.isValid("POSTGRESQL://u@h/d")).isTrue();
        assertThat(Stores.isValid("sqlite:/tmp/x")).isFalse();
    }

    @Test
    void sqlStatesMapOntoStorageKindsAndConflictsAreRetryable() {
        assertThat(PostgresFailures.kindOf("40001")).isEqualTo(StorageFailure.Kind.CONFLICT);
        assertThat(PostgresFailures.kindOf("40P01")).isEqualTo(StorageFailure.Kind.CONFLICT);
        assertThat(PostgresFailures.kindOf("08006")).isEqualTo(StorageFailure.Kind.UNAVAILABLE);
        assertThat(PostgresFailures.kindOf("57P01")).isEqualTo(StorageFailure.Kind.UNAVAILABLE);
        assertThat(PostgresFailures.kindOf("53300")).isEqualTo(StorageFailure.Kind.UNAVAILABLE);
        assertThat(PostgresFailures.kindOf("53100")).isEqualTo(StorageFailure.Kind.FULL);
        assertThat(PostgresFailures.kindOf("23503")).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        assertThat(PostgresFailures.kindOf("XX001")).isEqualTo(StorageFailure.Kind.CORRUPT);
        assertThat(PostgresFailures.kindOf("58030")).isEqualTo(StorageFailure.Kind.IO);
        assertThat(PostgresFailures.kindOf("42601")).isEqualTo(StorageFailure.Kind.OTHER);
        assertThat(PostgresFailures.kindOf((String) null)).isEqualTo(StorageFailure.Kind.OTHER);
        assertThat(PostgresFailures.kindOf(new java.sql.SQLTransientConnectionException("pool timeout")))
                .isEqualTo(StorageFailure.Kind.UNAVAILABLE);
        assertThat(PostgresFailures.translate(new java.sql.SQLException(
                "duplicate key value violates unique constraint \"accounts_username_key_key\"", "23505")).kind())
                .isEqualTo(StorageFailure.Kind.NAME_TAKEN);
    }
}

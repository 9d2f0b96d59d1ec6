package parley.server.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteFailuresTest {
    @Test
    void primaryAndExtendedResultCodesMapToKinds() {
        assertThat(SqliteFailures.kindOf(5)).isEqualTo(StorageFailure.Kind.BUSY);          // SQLITE_BUSY
        assertThat(SqliteFailures.kindOf(6)).isEqualTo(StorageFailure.Kind.BUSY);          // SQLITE_LOCKED
        assertThat(SqliteFailures.kindOf(13)).isEqualTo(StorageFailure.Kind.FULL);         // SQLITE_FULL
        assertThat(SqliteFailures.kindOf(10)).isEqualTo(StorageFailure.Kind.IO);           // SQLITE_IOERR
        assertThat(SqliteFailures.kindOf(10 | (4 << 8))).isEqualTo(StorageFailure.Kind.IO); // SQLITE_IOERR_FSYNC
        assertThat(SqliteFailures.kindOf(11)).isEqualTo(StorageFailure.Kind.CORRUPT);      // SQLITE_CORRUPT
        assertThat(SqliteFailures.kindOf(2067)).isEqualTo(StorageFailure.Kind.CONSTRAINT); // SQLITE_CONSTRAINT_UNIQUE
        assertThat(SqliteFailures.kindOf(1)).isEqualTo(StorageFailure.Kind.OTHER);         // SQLITE_ERROR
    }
}

package parley.server.registry;

import org.junit.jupiter.api.Test;
import parley.server.protocol.RegistryErrors;
import parley.server.store.StorageFailure;

import static org.assertj.core.api.Assertions.assertThat;

class StorageErrorsTest {
    @Test
    void aTakenNameIsTheClientsErrorAnUnreachableDatabaseIsStoreUnavailableAndEverythingElseIsStorageFailed() {
        for (StorageFailure.Kind kind : StorageFailure.Kind.values()) {
            StorageFailure f = new StorageFailure(kind, "SQLITE_FULL: database or disk is full (registry.db)");
            int expected = kind == StorageFailure.Kind.NAME_TAKEN ? RegistryErrors.USERNAME_TAKEN
                    : kind == StorageFailure.Kind.UNAVAILABLE ? RegistryErrors.STORE_UNAVAILABLE : RegistryErrors.STORAGE_FAILED;
            assertThat(StorageErrors.toWire(f)).as("%s", kind).isEqualTo(expected);
            assertThat(StorageErrors.reason(f)).as("the database's own text stays in the log").doesNotContain("SQLITE", "registry.db");
            assertThat(StorageErrors.worthLogging(f)).isEqualTo(kind != StorageFailure.Kind.NAME_TAKEN);
        }
    }
}

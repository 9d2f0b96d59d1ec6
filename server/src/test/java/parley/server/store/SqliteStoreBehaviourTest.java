package parley.server.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store behaviour suite on SQLite, the embedded default. */
class SqliteStoreBehaviourTest extends StoreBehaviourTest {
    @TempDir
    Path dir;

    @Override
    void newDatabase() {
        // the temp directory is new for each test; the file is created on open
    }

    @Override
    RegistryStore openStore() throws Exception {
        return SqliteStore.open(dir.resolve("registry.db"));
    }
}

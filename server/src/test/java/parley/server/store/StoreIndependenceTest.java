package parley.server.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persistence does not speak the wire protocol, and nothing but the SQLite and PostgreSQL stores
 * and their failure translations knows which database it is: both plug in behind RegistryStore.
 */
class StoreIndependenceTest {
    private static final Path SOURCES = Path.of("src/main/java/parley/server/store");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.list(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theStorePackageImportsNoProtocolOrRegistryClass() throws IOException {
        assertThat(sources()).isNotEmpty();
        for (Path p : sources()) {
            assertThat(Files.readString(p)).as("%s", p.getFileName())
                    .doesNotContain("parley.server.protocol").doesNotContain("import parley.server.registry")
                    .doesNotContain("RegistryErrors");
        }
    }

    @Test
    void theStoreInterfaceAndTheCommitterKnowNoSqlite() throws IOException {
        for (String name : List.of("RegistryStore.java", "GroupCommitter.java", "BatchTransaction.java", "StoreRequest.java",
                "StorageFailure.java", "Completion.java")) {
            String text = Files.readString(SOURCES.resolve(name));
            assertThat(text).as(name).doesNotContain("java.sql").doesNotContain("org.sqlite").doesNotContain("SQLException");
        }
    }
}

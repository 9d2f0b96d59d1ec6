package parley.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec's newer byte-level parts stay in step with the repository: every vector file is
 * documented in PROTOCOL.md section 11, and every fingerprint shown anywhere in the docs has the
 * form section 9.1 specifies.
 */
class SpecVectorsSyncTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{4}( [0-9A-F]{4}){4}");

    private static String section(String text, String heading) {
        int at = text.indexOf(heading);
        assertThat(at).as("PROTOCOL.md has '%s'", heading).isPositive();
        String rest = text.substring(at + heading.length());
        int end = rest.indexOf("\n## ");
        return end < 0 ? rest : rest.substring(0, end);
    }

    @Test
    void everyVectorFileIsDocumentedInSection11() throws Exception {
        String vectors = section(Files.readString(DOCS.resolve("PROTOCOL.md")), "## 11. Test vectors");
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(DOCS.resolve("vectors"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(files::add);
        }
        assertThat(files).contains("scram.json", "peer-keys.json", "datagrams.json");
        for (String f : files) {
            assertThat(vectors).as("section 11 documents %s", f).contains("`" + f + "`");
        }
    }

    @Test
    void everyFingerprintInTheDocsHasTheSpecifiedForm() throws Exception {
        String keys = section(Files.readString(DOCS.resolve("PROTOCOL.md")), "### 9.1 Session ids and keys");
        Matcher example = Pattern.compile("e\\.g\\.\\s+`([^`]+)`").matcher(keys);
        assertThat(example.find()).isTrue();
        assertThat(example.group(1)).matches(FINGERPRINT);
        Matcher events = Pattern.compile("\"fingerprint\":\"([^\"]*)\"").matcher(Files.readString(DOCS.resolve("peer-events.md")));
        int seen = 0;
        while (events.find()) {
            assertThat(events.group(1)).as("peer-events.md example").matches(FINGERPRINT);
            seen++;
        }
        assertThat(seen).isPositive();
        Matcher vector = Pattern.compile("\"fingerprint\":\\s*\"([^\"]*)\"").matcher(Files.readString(DOCS.resolve("vectors/peer-keys.json")));
        assertThat(vector.find()).isTrue();
        assertThat(vector.group(1)).matches(FINGERPRINT);
    }
}

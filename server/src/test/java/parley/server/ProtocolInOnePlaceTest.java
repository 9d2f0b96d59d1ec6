package parley.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: a registry body is read and written only by its class in {@code parley.server.protocol}.
 * No other main class of the server calls a field reader or writer of {@code BodyReader} or
 * {@code BodyWriter} (u8, u16, i32, u32, i64, string, bytes, fixed), nor reads a datagram's fields
 * by offset. {@code RegistryClient} and the SCRAM client live inside the protocol tree
 * ({@code protocol/client}, {@code protocol/scram}); the peer and bench have their own copy of this check.
 */
class ProtocolInOnePlaceTest {
    private static final Path MAIN = Path.of("src/main/java/parley/server");
    private static final Pattern FIELD_CALL = Pattern.compile(
            "\\b(r|w|reader|writer|body)\\.(u8|u16|i32|u32|i64|string|bytes|fixed)\\(|\\b\\w+\\.getLong\\(\\s*\\w+\\s*\\+\\s*Header");

    @Test
    void noServerClassOutsideTheProtocolReadsOrWritesABodyByHand() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String rel = MAIN.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith("protocol/")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = FIELD_CALL.matcher(lines.get(i));
                    if (m.find()) {
                        offences.add(rel + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(offences).as("bodies read or written outside parley.server.protocol").isEmpty();
    }
}

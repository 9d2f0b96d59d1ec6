package parley.bench.arch;

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
 * Issue 11, the client half of the server's {@code ProtocolInOnePlaceTest}: no main class of the
 * peer or the bench reads or writes a registry body field by hand. They call the records of
 * {@code parley.server.protocol} instead: no field call on a {@code BodyReader}/{@code BodyWriter}
 * (u8, u16, i32, u32, i64, string, bytes, fixed), and no body field read or written at an offset
 * past {@code Header.LENGTH} in a datagram. Surefire runs in {@code bench/}. The JMH package is
 * exempt: it measures nio-core's {@code BodyReader}/{@code BodyWriter} themselves on a synthetic body.
 */
class ProtocolBodiesTest {
    private static final List<Path> ROOTS = List.of(
            Path.of("..", "peer", "src", "main", "java", "parley", "peer"),
            Path.of("src", "main", "java", "parley", "bench"));
    private static final Pattern FIELD_CALL = Pattern.compile(
            "\\b(r|w|reader|writer|body|b1|b2)\\.(u8|u16|i32|u32|i64|string|bytes|fixed)\\("
                    + "|\\.(get|put)(Long|Int|Short)\\(\\s*(\\w+\\s*\\+\\s*)?Header\\.LENGTH");

    @Test
    void noPeerOrBenchClassReadsOrWritesARegistryBodyByHand() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path root : ROOTS) {
            assertThat(root).isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> !root.relativize(p).startsWith("jmh"))::iterator) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = FIELD_CALL.matcher(lines.get(i));
                        if (m.find()) {
                            offences.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(offences).as("registry bodies read or written outside parley.server.protocol").isEmpty();
    }
}

package parley.bench.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short `bench registry --tls` completes against both servers: the Parley registry in TLS mode
 * (pinned, SCRAM-SHA-256-PLUS logins) and Netty behind SslHandler with the same key. Real
 * processes and sockets; no timing is asserted, only that requests completed without errors.
 */
class TlsRegistryBenchTest {
    @Test
    void aShortTlsRunCompletesAgainstParleyAndNetty(@TempDir Path out) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandRun run;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            run = CommandRun.execute(new RegistryBenchCommand(), "--tls", "--sessions", "4", "--flat-out",
                    "--duration", "1", "--warmup", "1", "--rounds", "1", "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        saved.println(text);
        assertThat(run.exit()).as(run.why()).isZero();
        assertThat(text).contains("TLS 1.3");
        assertThat(text).containsPattern("parley: [0-9,]+ completed req/s, 0 errors");
        assertThat(text).containsPattern("netty: [0-9,]+ completed req/s, 0 errors");
        assertThat(text).doesNotContain("floor:");
        assertThat(text).doesNotContain("parley: 0 completed");
        assertThat(text).doesNotContain("netty: 0 completed");
    }
}

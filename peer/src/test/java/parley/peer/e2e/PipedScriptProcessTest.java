package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 defect 3 on a real process: the issue's exact script piped into {@code parley peer --json}
 * (PeerMain, as the launcher starts it), against a real registry, prints every answer in order.
 */
class PipedScriptProcessTest extends PeerFixture {
    @Test
    void theIssueScriptPipedIntoARealPeerProcessRunsInOrder() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "parley.peer.PeerMain", "--json", "--server", "127.0.0.1:" + registry.address().getPort(),
                "--registry-udp-port", String.valueOf(registry.udpPort()), "--data", dir.resolve("piper").toString(),
                "--server-fingerprint", parley.server.protocol.client.TestTls.fingerprint()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write("/register piper pw\n/login piper pw\n/who\n/quit\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<String> types = out.lines().map(l -> l.replaceAll("^\\{\"event\":\"([a-z_]+)\".*$", "$1"))
                .collect(Collectors.toList());
        assertThat(types).as(out).containsExactly("ready", "registered", "logged_in", "who", "bye");
        // Issue 19 item 5 in script mode too: the data directory the peer made is its owner's alone.
        assertThat(Files.getPosixFilePermissions(dir.resolve("piper"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
}

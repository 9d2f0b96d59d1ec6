package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.store.PostgresFixture;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./parley server --store postgresql://...} as a real process (issue 16): the accounts live
 * in PostgreSQL, not in the data directory, so a second server with another data directory finds
 * them; a store it cannot use is refused in one line, exit 2, without the password.
 */
class ServerStoreFlagTest {
    private static final Pattern READY = Pattern.compile("listening on tcp ([0-9.]+):(\\d+)");
    private static final int EXIT_USAGE = 2;

    @TempDir
    Path dir;

    private static Process server(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "parley.server.ServerMain"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads the output until the ready line; answers the TCP port, or -1 once the process ended. */
    private static int readyPort(Process p, List<String> lines) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(2));
            }
        }
        return -1;
    }

    private static int stop(Process p) throws Exception {
        p.destroy(); // SIGTERM: the graceful stop
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void accountsLiveInPostgresNotInTheDataDirectory() throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        Process first = server("--store", store, "--port", "0", "--insecure-plaintext", "--data", dir.resolve("a").toString());
        try {
            List<String> lines = new ArrayList<>();
            int port = readyPort(first, lines);
            assertThat(port).as("%s", lines).isPositive();
            try (SyncRegistryClient c = SyncRegistryClient.plaintext(new InetSocketAddress("127.0.0.1", port))) {
                Users.register(c, "alice", "pw-alice");
            }
            assertThat(stop(first)).isZero();
        } finally {
            first.destroyForcibly();
        }
        Process second = server("--store", store, "--port", "0", "--insecure-plaintext", "--data", dir.resolve("b").toString());
        try {
            List<String> lines = new ArrayList<>();
            int port = readyPort(second, lines);
            assertThat(port).as("%s", lines).isPositive();
            try (SyncRegistryClient c = SyncRegistryClient.plaintext(new InetSocketAddress("127.0.0.1", port))) {
                Users.login(c, "alice", "pw-alice");
            }
            assertThat(stop(second)).isZero();
        } finally {
            second.destroyForcibly();
        }
    }

    @Test
    void aStoreItCannotUseIsRefusedInOneLineWithoutThePassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Process unreachable = server("--store", "postgresql://parley:sekrit-pw@127.0.0.1:" + closed + "/nowhere",
                "--port", "0", "--insecure-plaintext", "--data", dir.resolve("c").toString());
        List<String> lines = new ArrayList<>();
        assertThat(readyPort(unreachable, lines)).isEqualTo(-1);
        assertThat(unreachable.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(unreachable.exitValue()).isEqualTo(EXIT_USAGE);
        assertThat(String.join("\n", lines)).contains("cannot start").contains("127.0.0.1:" + closed + "/nowhere")
                .doesNotContain("sekrit-pw");

        Process wrongScheme = server("--store", "mysql://root@127.0.0.1/x", "--port", "0", "--insecure-plaintext",
                "--data", dir.resolve("d").toString());
        List<String> more = new ArrayList<>();
        assertThat(readyPort(wrongScheme, more)).isEqualTo(-1);
        assertThat(wrongScheme.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(wrongScheme.exitValue()).isEqualTo(EXIT_USAGE);
        assertThat(String.join("\n", more)).contains("--store takes a postgresql://");
    }
}

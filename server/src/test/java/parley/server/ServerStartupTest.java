package parley.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `./parley server` as a real process: a data directory serves one server at a time (and a lock
 * left by a SIGKILLed one is recovered), and a start that cannot succeed says why in one line and
 * exits 2 instead of printing a stack trace.
 */
class ServerStartupTest {
    private static final Pattern READY = Pattern.compile("listening on tcp ([0-9.]+):(\\d+), udp ([0-9.]+):(\\d+)");

    @TempDir
    Path data;

    /** A server process started with {@code args}; {@link #ready} waits for its ready line. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final List<String> lines = new ArrayList<>();

        Server(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "parley.server.ServerMain"));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Reads until the ready line and returns its match, or null if the process ended first. */
        Matcher ready() throws Exception {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    Thread drain = new Thread(() -> drain(out), "server-output");
                    drain.setDaemon(true);
                    drain.start();
                    return m;
                }
            }
            return null;
        }

        /**
         * Waits (bounded) for the process to end by itself and returns its exit status, or -1 if
         * it is still running; the output is in {@link #lines}.
         */
        int exit() throws Exception {
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException closed) {
                    // ended with the process
                }
            }, "server-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                return -1;
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        }

        void kill() throws Exception {
            process.destroyForcibly();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discarded
            }
        } catch (java.io.IOException closed) {
            // ended with the process
        }
    }

    private String[] onData(String... more) {
        List<String> args = new ArrayList<>(List.of("--data", data.toString()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedInOneLine() throws Exception {
        try (Server first = new Server(onData("--port", "0", "--udp-port", "0"))) {
            assertThat(first.ready()).as("first server ready; output: %s", first.lines).isNotNull();
            try (Server second = new Server(onData("--port", "0", "--udp-port", "0"))) {
                assertThat(second.exit()).isEqualTo(2);
                assertThat(second.lines).containsExactly("data directory " + data + " is in use by another parley server (pid "
                        + first.process.pid() + "); stop it or choose another with --data");
            }
        }
    }

    @Test
    void tlsIsTheDefaultAndTheFingerprintLineNamesTheKeyKeptInTheDataDirectory() throws Exception {
        String printed;
        try (Server first = new Server(onData("--port", "0", "--udp-port", "0"))) {
            assertThat(first.ready()).as("output: %s", first.lines).isNotNull();
            printed = first.lines.stream().filter(l -> l.startsWith(ServerMain.FINGERPRINT_LINE)).findFirst().orElseThrow();
        }
        String fingerprint = printed.substring(ServerMain.FINGERPRINT_LINE.length());
        assertThat(fingerprint).matches("SHA256:[0-9a-f]{64}");
        assertThat(parley.core.tls.ServerIdentity.load(data.resolve("server-cert.pem"), data.resolve("server-key.pem"))
                .fingerprint()).isEqualTo(fingerprint);
        try (Server again = new Server(onData("--port", "0", "--udp-port", "0"))) {
            assertThat(again.ready()).isNotNull();
            assertThat(again.lines).as("the same key after a restart").contains(printed);
        }
    }

    @Test
    void insecurePlaintextWarnsAndPrintsNoFingerprint() throws Exception {
        try (Server s = new Server(onData("--port", "0", "--udp-port", "0", "--insecure-plaintext"))) {
            assertThat(s.ready()).isNotNull();
            assertThat(s.lines).anyMatch(l -> l.startsWith("WARNING: --insecure-plaintext"));
            assertThat(s.lines).noneMatch(l -> l.startsWith(ServerMain.FINGERPRINT_LINE));
        }
    }

    @Test
    void aLockLeftByAKilledServerIsRecovered() throws Exception {
        try (Server first = new Server(onData("--port", "0", "--udp-port", "0"))) {
            assertThat(first.ready()).isNotNull();
            first.kill();
        }
        assertThat(data.resolve(DataDirLock.FILE_NAME)).as("kill -9 leaves the lock file behind").exists();
        try (Server second = new Server(onData("--port", "0", "--udp-port", "0"))) {
            assertThat(second.ready()).as("restart after kill -9; output: %s", second.lines).isNotNull();
            assertThat(Files.readString(data.resolve(DataDirLock.FILE_NAME)).trim()).isEqualTo(Long.toString(second.process.pid()));
        }
    }

    @Test
    void aTakenTcpPortIsOneLineAndExitTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (Server s = new Server(onData("--port", Integer.toString(port), "--udp-port", "0"))) {
                assertThat(s.exit()).isEqualTo(2);
                assertThat(s.lines).containsExactly("port " + port
                        + "/tcp is in use: is another parley server running? choose one with --port/--udp-port");
            }
        }
        assertThat(data.resolve(DataDirLock.FILE_NAME)).as("a refused start releases the data directory").doesNotExist();
    }

    @Test
    void aTakenUdpPortIsOneLineAndExitTwo() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            try (Server s = new Server(onData("--port", "0", "--udp-port", Integer.toString(port)))) {
                assertThat(s.exit()).isEqualTo(2);
                assertThat(s.lines).containsExactly("port " + port
                        + "/udp is in use: is another parley server running? choose one with --port/--udp-port");
            }
        }
    }

    @Test
    void theUdpPortDefaultsToTheTcpPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free a moment ago; the server takes it next
        }
        try (Server s = new Server(onData("--port", Integer.toString(port)))) {
            Matcher m = s.ready();
            assertThat(m).as("ready; output: %s", s.lines).isNotNull();
            assertThat(m.group(2)).isEqualTo(Integer.toString(port));
            assertThat(m.group(4)).as("udp port").isEqualTo(Integer.toString(port));
        }
    }
}

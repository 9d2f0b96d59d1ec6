package parley.server.registry;

import parley.server.protocol.client.SyncRegistryClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry node as a real process ({@code parley.server.ServerMain}), for what only a process
 * shows: SIGKILL, and several processes binding one port. Its TLS key is pinned from the line it
 * prints; {@link #kill} is SIGKILL, {@link #close} SIGTERM, both by PID.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("listening on tcp ([0-9.]+):(\\d+), udp");

    final Process process;
    final InetSocketAddress address;
    final parley.core.tcp.TlsConfig tls;
    final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Starts {@code ServerMain} with {@code args} and waits for its ready line (or its exit). */
    NodeProcess(Path data, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "parley.server.ServerMain", "--data", data.toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        InetSocketAddress found = null;
        String fingerprint = null;
        for (String line; found == null && (line = out.readLine()) != null; ) {
            output.add(line);
            if (line.startsWith(parley.server.ServerMain.FINGERPRINT_LINE)) {
                fingerprint = line.substring(parley.server.ServerMain.FINGERPRINT_LINE.length());
            }
            Matcher m = READY.matcher(line);
            if (m.find()) {
                found = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        address = found;
        tls = fingerprint == null ? null : parley.server.protocol.client.TestTls.clientPinned(fingerprint);
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (Exception ignored) {
                // the process is gone
            }
        }, "node-output");
        drain.setDaemon(true);
        drain.start();
    }

    boolean ready() {
        return address != null;
    }

    SyncRegistryClient client() throws Exception {
        return new SyncRegistryClient(address, tls);
    }

    void kill() throws Exception {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye on the bus
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

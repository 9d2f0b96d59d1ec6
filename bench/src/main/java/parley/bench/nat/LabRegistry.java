package parley.bench.nat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry in the lab's internet namespace, bound to the internet address, so every peer
 * reaches it through its NAT router. Either {@code parley server} itself (ServerMain, TLS, relay
 * on unless a flag says otherwise) or {@link LabRegistryMain}, the same registry that also prints
 * its relay counters on request ({@link #relayStats}).
 */
public final class LabRegistry implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("listening on tcp ([0-9.]+):(\\d+), udp [0-9.]+:(\\d+)");
    private static final String FINGERPRINT_LINE = "tls fingerprint ";

    private final Process process;
    private final PrintStream in;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String host;
    private final int tcpPort;
    private final int udpPort;
    private final String fingerprint;
    private final Path data;

    private LabRegistry(Process process, String host, int tcpPort, int udpPort, String fingerprint, Path data,
                        BufferedReader out) {
        this.process = process;
        this.host = host;
        this.tcpPort = tcpPort;
        this.udpPort = udpPort;
        this.fingerprint = fingerprint;
        this.data = data;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("relay_stats ")) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // ended
            }
        }, "lab-registry-out");
        t.setDaemon(true);
        t.start();
    }

    /** {@code parley server} (ServerMain) with TLS; {@code extra} are further server flags (e.g. --relay off). */
    public static LabRegistry server(NatLab lab, List<String> extra) throws IOException {
        Path data = Files.createTempDirectory("parley-natlab-registry");
        List<String> args = new ArrayList<>(List.of("parley.server.ServerMain", "--bind", lab.registryAddr,
                "--port", "0", "--udp-port", "0", "--data", data.toString(),
                // Every lab peer comes from one of two router addresses in one /24: lift the per-network limits.
                "--registrations-per-network", "10000", "--logins-per-network", "1000",
                "--max-unauthenticated-per-address", "1000"));
        args.addAll(extra);
        return start(lab, args, data);
    }

    /** {@link LabRegistryMain}: the same registry, relay on, with {@link #relayStats} available. */
    public static LabRegistry withStats(NatLab lab) throws IOException {
        return withStats(lab, true);
    }

    /** As {@link #withStats(NatLab)}, with the relay on or off. */
    public static LabRegistry withStats(NatLab lab, boolean relay) throws IOException {
        Path data = Files.createTempDirectory("parley-natlab-registry");
        return start(lab, List.of(LabRegistryMain.class.getName(), lab.registryAddr, data.toString(), relay ? "on" : "off"),
                data);
    }

    private static LabRegistry start(NatLab lab, List<String> mainAndArgs, Path data) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        Process p = new ProcessBuilder(NatLab.inNamespace(lab.internetNs, cmd))
                .redirectError(data.resolve("stderr").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String fingerprint = null;
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(FINGERPRINT_LINE)) {
                fingerprint = line.substring(FINGERPRINT_LINE.length()).trim();
            }
            Matcher m = READY.matcher(line);
            if (m.find()) {
                return new LabRegistry(p, m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        fingerprint, data, out);
            }
        }
        String err = Files.readString(data.resolve("stderr"));
        throw new IOException("lab registry exited before it was ready: " + err);
    }

    public String host() {
        return host;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public int udpPort() {
        return udpPort;
    }

    /** The registry's key pin, for the peers' --server-fingerprint. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The relay's counters now (only for {@link #withStats}), by name: packets, unknown_token, ... */
    public Map<String, Long> relayStats() throws InterruptedException {
        lines.clear();
        in.println("stats");
        String line = lines.poll(30, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException("the lab registry printed no relay counters (started with withStats?)");
        }
        Map<String, Long> m = new HashMap<>();
        for (String kv : line.substring("relay_stats ".length()).split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return m;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

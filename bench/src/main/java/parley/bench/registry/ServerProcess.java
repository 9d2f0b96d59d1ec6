package parley.bench.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry in its own JVM, as a user runs it, so that its heap and CPU can be measured apart
 * from the load generator's. Started on ephemeral ports; stopped with SIGTERM.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("listening on tcp ([0-9.]+):(\\d+), udp [0-9.]+:(\\d+)");
    /** ServerMain prints its key's pin on this line, before the ready line, unless it runs plaintext. */
    private static final String FINGERPRINT_LINE = "tls fingerprint ";

    private final Process process;
    private final InetSocketAddress tcp;
    private final InetSocketAddress udp;
    private final Path data;
    private final String fingerprint;
    /** Stops the child when the bench's JVM ends first (an exception out of main, Ctrl-C): no registry outlives its bench. */
    private final Thread stopOnExit = new Thread(this::destroyQuietly, "registry-process-stop");

    private ServerProcess(Process process, InetSocketAddress tcp, InetSocketAddress udp, Path data, String fingerprint) {
        this.process = process;
        this.fingerprint = fingerprint;
        this.tcp = tcp;
        this.udp = udp;
        this.data = data;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts {@code parley.server.ServerMain} with the given extra flags and waits for its ready line. */
    public static ServerProcess start(List<String> jvmArgs, List<String> serverArgs) throws IOException, InterruptedException {
        return start(List.of(), jvmArgs, serverArgs);
    }

    /** As {@link #start(List, List)}, with {@code launcher} put before the java command. */
    public static ServerProcess start(List<String> launcher, List<String> jvmArgs, List<String> serverArgs)
            throws IOException, InterruptedException {
        return start(launcher, jvmArgs, serverArgs, false);
    }

    /**
     * As {@link #start(List, List, List)}; with {@code tls} the registry serves TLS 1.3 with the
     * self-signed identity it creates in its data directory ({@link #fingerprint()} is its pin,
     * {@link #dataDir()} holds server-cert.pem and server-key.pem), else it runs
     * {@code --insecure-plaintext}.
     */
    public static ServerProcess start(List<String> launcher, List<String> jvmArgs, List<String> serverArgs, boolean tls)
            throws IOException, InterruptedException {
        return start(System.getProperty("java.class.path"), launcher, jvmArgs, serverArgs, tls);
    }

    /**
     * As {@link #start(List, List, List, boolean)} on the given classpath: a cluster node needs the
     * server module's own ({@link NodeClasspath}), with the Lettuce the bench's lacks. A
     * {@code --port} in {@code serverArgs} replaces the ephemeral one (the second node of a
     * {@code --reuse-port} group binds the first one's port).
     */
    public static ServerProcess start(String classpath, List<String> launcher, List<String> jvmArgs, List<String> serverArgs,
                                      boolean tls) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("parley-bench-registry");
        List<String> args = new ArrayList<>(List.of("--udp-port", "0", "--data", data.toString()));
        if (!serverArgs.contains("--port")) {
            args.addAll(List.of("--port", "0"));
        }
        if (!tls) {
            args.add("--insecure-plaintext");
        }
        args.addAll(serverArgs);
        return start(classpath, launcher, jvmArgs, "parley.server.ServerMain", args, data);
    }

    /** Starts any main class of this classpath that prints the same ready line. */
    public static ServerProcess start(List<String> jvmArgs, String mainClass, List<String> args, Path data)
            throws IOException, InterruptedException {
        return start(List.of(), jvmArgs, mainClass, args, data);
    }

    /**
     * As {@link #start(List, String, List, Path)}, with {@code launcher} put before the java
     * command, e.g. {@code taskset -c 1}; it must exec the JVM, so that the pid is the JVM's.
     */
    public static ServerProcess start(List<String> launcher, List<String> jvmArgs, String mainClass, List<String> args, Path data)
            throws IOException, InterruptedException {
        return start(System.getProperty("java.class.path"), launcher, jvmArgs, mainClass, args, data);
    }

    private static ServerProcess start(String classpath, List<String> launcher, List<String> jvmArgs, String mainClass,
                                       List<String> args, Path data) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String fingerprint = null;
        ArrayDeque<String> tail = new ArrayDeque<>();
        while ((line = out.readLine()) != null) {
            if (tail.size() == 20) {
                tail.removeFirst();
            }
            tail.addLast(line);
            if (line.startsWith(FINGERPRINT_LINE)) {
                fingerprint = line.substring(FINGERPRINT_LINE.length()).trim();
            }
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> drain(out), "registry-output");
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(p, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))),
                        new InetSocketAddress(m.group(1), Integer.parseInt(m.group(3))), data, fingerprint);
            }
        }
        throw new IOException("registry process exited before it was ready (exit " + p.waitFor() + "); it printed:\n"
                + String.join("\n", tail));
    }

    public InetSocketAddress tcpAddress() {
        return tcp;
    }

    public InetSocketAddress udpAddress() {
        return udp;
    }

    /** The server's key pin ("SHA256:..."), or null when it printed none (plaintext, baselines). */
    public String fingerprint() {
        return fingerprint;
    }

    /** The server's data directory, or null for a main class started without one. */
    public Path dataDir() {
        return data;
    }

    public long pid() {
        return process.pid();
    }

    /** Total CPU time the process has used so far. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * Live heap bytes: {@code jcmd GC.class_histogram} runs a full collection first and ends with a
     * total of what survived it, whichever collector the JVM uses.
     */
    public long liveHeapBytes() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)").matcher(text);
        if (!m.find()) {
            throw new IOException("no total in jcmd output: " + text.substring(0, Math.min(300, text.length())));
        }
        return Long.parseLong(m.group(2));
    }

    @Override
    public void close() throws Exception {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs anyway
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (data == null) {
            return;
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private void destroyQuietly() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** Reads a child's output until it closes, so the child never blocks on a full pipe. */
    static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discarded: only the ready line matters
            }
        } catch (java.io.IOException closed) {
            // the child ended or the stream was closed with it
        }
    }
}

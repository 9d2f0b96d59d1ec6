package parley.bench.bottleneck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A running bottleneck lab ({@code tools/lab/bottleneck.sh}): namespaces A - R - B with a tbf rate
 * limit on R's link to B. {@link #close} removes it; a shutdown hook does too if the JVM is stopped
 * first, so no namespace outlives its run.
 */
public final class Lab implements AutoCloseable {
    public final String name;
    public final String aNs;
    public final String bNs;
    public final String aAddr;
    public final String bAddr;
    public final long rateBits;
    public final int bufferMs;
    private final Path script;
    private final Thread hook;
    private boolean closed;

    private Lab(String name, Path script, Map<String, String> vars) {
        this.name = name;
        this.script = script;
        this.aNs = vars.get("A_NS");
        this.bNs = vars.get("B_NS");
        this.aAddr = vars.get("A_ADDR");
        this.bAddr = vars.get("B_ADDR");
        this.rateBits = Long.parseLong(vars.get("RATE_BITS"));
        this.bufferMs = Integer.parseInt(vars.get("BUFFER_MS"));
        this.hook = new Thread(this::down, "lab-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True when this process may build namespaces. */
    public static boolean isRoot() {
        return "0".equals(run(List.of("id", "-u")).trim());
    }

    /** Brings a lab up with a unique name; {@code rate} as tc says it ("20mbit"). */
    public static Lab up(String rate) throws IOException {
        Path script = script();
        String name = "pl" + Long.toString(ProcessHandle.current().pid() % 46656, 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
        String out = run(List.of(script.toString(), "up", name, rate));
        Map<String, String> vars = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        if (!vars.containsKey("B_ADDR")) {
            throw new IOException("lab did not come up: " + out);
        }
        return new Lab(name, script, vars);
    }

    /** The names of this lab's namespaces that exist now (empty once it is down). */
    public List<String> namespaces() {
        return run(List.of("ip", "netns", "list")).lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(name + "-")).toList();
    }

    /** The command line that runs {@code command} inside namespace {@code ns}. */
    public static List<String> inNamespace(String ns, List<String> command) {
        List<String> full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        return full;
    }

    private synchronized void down() {
        if (!closed) {
            closed = true;
            run(List.of(script.toString(), "down", name));
        }
    }

    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs down, which is then a no-op
        }
    }

    /** tools/lab/bottleneck.sh, found upward from the working directory or from these classes. */
    static Path script() throws IOException {
        for (Path start : new Path[] {Path.of("").toAbsolutePath(), codeLocation()}) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path s = p.resolve("tools/lab/bottleneck.sh");
                if (Files.isExecutable(s)) {
                    return s;
                }
            }
        }
        throw new IOException("tools/lab/bottleneck.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static Path codeLocation() {
        try {
            return Path.of(Lab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return null;
        }
    }

    /** Runs a command to completion; its stdout, or an exception with its stderr. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package parley.bench.nat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One {@code parley peer --json} process inside a lab host's namespace (as {@code ip netns exec ns
 * ./parley peer} starts it, with this JVM's classpath), driven by script lines on its stdin
 * (docs/peer-events.md). Every JSON event it prints is kept, in order, with the time it was read;
 * tests wait on events with generous deadlines, never on elapsed time.
 */
public final class LabPeer implements AutoCloseable {
    /** One event as read: the JSON object and System.nanoTime() when its line arrived. */
    public record Event(Map<String, Object> fields, long nanos) {
        public String type() {
            return (String) fields.get("event");
        }

        public String str(String key) {
            Object v = fields.get(key);
            return v == null ? null : v.toString();
        }

        public long num(String key) {
            return ((Number) fields.get(key)).longValue();
        }

        public boolean is(String type) {
            return type.equals(type());
        }
    }

    /** How long a wait may take before the test fails: a bound on a behaviour, not a figure. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    public final String user;
    public final NatLab.Host host;
    private final Process process;
    private final PrintStream in;
    private final Path log;
    private final List<Event> events = new ArrayList<>();

    private LabPeer(String user, NatLab.Host host, Process process, Path log) {
        this.user = user;
        this.host = host;
        this.process = process;
        this.log = log;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "labpeer-" + user);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a peer for {@code user} in {@code host}'s namespace against {@code registry};
     * {@code extra} are further peer flags (e.g. --no-direct). Waits for its {@code ready} event.
     */
    public static LabPeer start(LabRegistry registry, NatLab.Host host, String user, Path dataRoot, List<String> extra)
            throws IOException {
        return start(registry, host, user, dataRoot, extra, TEST_JVM);
    }

    /** JVM flags for test peers: a small heap and the quick compiler only (the tests measure nothing). */
    public static final List<String> TEST_JVM = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** JVM flags for benchmark peers: as {@code ./parley peer} runs (full JIT). */
    public static final List<String> BENCH_JVM = List.of("-Xmx256m", "-XX:+UseParallelGC");

    /** As {@link #start(LabRegistry, NatLab.Host, String, Path, List)} with these JVM flags. */
    public static LabPeer start(LabRegistry registry, NatLab.Host host, String user, Path dataRoot, List<String> extra,
                                List<String> jvm) throws IOException {
        Path data = dataRoot.resolve(user);
        Files.createDirectories(dataRoot);
        Path log = dataRoot.resolve(user + ".stderr");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "parley.peer.PeerMain", "--json",
                "--server", registry.host() + ":" + registry.tcpPort(),
                "--registry-udp-port", Integer.toString(registry.udpPort()),
                "--data", data.toString()));
        if (registry.fingerprint() != null) {
            cmd.addAll(List.of("--server-fingerprint", registry.fingerprint()));
        } else {
            cmd.add("--insecure-plaintext");
        }
        cmd.addAll(extra);
        Process p = new ProcessBuilder(NatLab.inNamespace(host.ns(), cmd)).redirectError(log.toFile()).start();
        LabPeer peer = new LabPeer(user, host, p, log);
        peer.await(e -> e.is("ready"), "ready");
        return peer;
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = System.nanoTime();
                if (!line.startsWith("{")) {
                    continue;
                }
                Map<String, Object> fields;
                try {
                    fields = JsonLine.object(line);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                synchronized (events) {
                    events.add(new Event(fields, now));
                    events.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            synchronized (events) {
                events.notifyAll();
            }
        }
    }

    /** Writes one script line (a command or, after /chat, a message). */
    public void type(String line) {
        in.println(line);
    }

    /** Registers and logs in; waits for {@code logged_in}. */
    public void registerAndLogin(String password) {
        int mark = mark();
        type("/register " + user + " " + password);
        awaitAfter(mark, e -> e.is("registered") || e.is("error"), "registered");
        Event e = login(password);
        if (e.is("error") && "LOGIN_EXPIRED".equals(e.str("code"))) {
            // The registry gives a login 10 s; on a loaded shared host the two PBKDF2 runs may not fit.
            e = login(password);
        }
        if (!e.is("logged_in")) {
            throw new IllegalStateException(user + ": login failed: " + e.fields());
        }
    }

    private Event login(String password) {
        int login = mark();
        type("/login " + user + " " + password);
        return awaitAfter(login, x -> x.is("logged_in") || x.is("error"), "logged_in");
    }

    /** The number of events so far: a mark to wait after. */
    public int mark() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Every event so far. */
    public List<Event> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    /** The first event matching {@code match}, at any time; waits up to {@link #DEADLINE} for one. */
    public Event await(Predicate<Event> match, String what) {
        return awaitAfter(0, match, what);
    }

    /** The first event after {@code mark} matching {@code match}; waits up to {@link #DEADLINE}. */
    public Event awaitAfter(int mark, Predicate<Event> match, String what) {
        return awaitAfter(mark, match, what, DEADLINE);
    }

    /** As {@link #awaitAfter(int, Predicate, String)} with its own deadline. */
    public Event awaitAfter(int mark, Predicate<Event> match, String what, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (events) {
            int from = mark;
            while (true) {
                for (int i = from; i < events.size(); i++) {
                    if (match.test(events.get(i))) {
                        return events.get(i);
                    }
                }
                from = events.size();
                long left = end - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && from == events.size())) {
                    throw new AssertionError(user + " (in " + host.ns() + ") waited in vain for " + what
                            + (process.isAlive() ? "" : " (the peer exited)") + "; its events:\n" + transcript()
                            + "\nits stderr:\n" + stderrTail());
                }
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    /** This peer's events, one per line, for failure messages. */
    public String transcript() {
        StringBuilder b = new StringBuilder();
        for (Event e : events()) {
            b.append("  ").append(e.fields()).append('\n');
        }
        return b.toString();
    }

    private String stderrTail() {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(none)";
        }
    }

    /** Removes a directory tree (the peers' data directories), best effort. */
    public static void deleteTree(java.nio.file.Path dir) {
        if (dir == null || !java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a leftover temp directory is not worth failing a run for
        }
    }

    /** Asks it to quit and waits; kills it if it does not end. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                type("/quit");
                in.close();
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

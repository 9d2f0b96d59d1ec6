package parley.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests (issue 16): {@code initdb} in a temp directory, then
 * {@code pg_ctl start} on a free loopback port, with its socket in that directory too. As root
 * the binaries run as the {@code postgres} user ({@code initdb} refuses root); otherwise as
 * whoever runs the tests. Stopped by PID (SIGINT: PostgreSQL's fast shutdown, which ends open
 * connections) at {@link #close}, and by a JVM shutdown hook for instances a failed test left
 * running; the directory is deleted with it.
 *
 * <p>The binaries are looked for in {@code $PARLEY_PG_BIN}, {@code /usr/lib/postgresql/<ver>/bin}
 * (Debian's layout, newest first) and on the PATH; when none is found the fixture runs
 * {@code tools/lab/ensure-packages.sh --cluster}, which installs Debian's {@code postgresql} as
 * root and otherwise says what to install, so one test run from an IDE works too.
 *
 * <p>It lives in the main sources, not the tests', because {@code ./parley bench registry --store
 * postgresql} and {@code bench idle --store postgresql} start the same throwaway database at run
 * time (the bench's classpath carries the server's main classes only); it is never used by the
 * registry itself.
 */
public final class PostgresFixture implements AutoCloseable {
    /** The superuser role initdb creates; trust authentication on loopback. */
    public static final String USER = "parley";
    private static final String POSTGRES_USER = "postgres";
    private static final long STOP_WAIT_SECONDS = 30;
    private static final int START_ATTEMPTS = 3;
    private static final int DELETE_PASSES = 3;
    private static final Set<PostgresFixture> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile PostgresFixture shared;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (PostgresFixture f : RUNNING) {
                f.close();
            }
        }, "postgres-fixture-stop"));
    }

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final boolean asPostgres;
    private int port;
    private volatile long pid;

    private PostgresFixture(Path bin, Path dir, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.asPostgres = asPostgres;
    }

    /** Creates a cluster in a new temp directory and starts it. */
    public static PostgresFixture start() throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("parley-pg-");
        PostgresFixture f = new PostgresFixture(bin, dir, root);
        try {
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(POSTGRES_USER);
                Files.setOwner(dir, postgres);
            }
            f.run(List.of(bin.resolve("initdb").toString(), "-D", f.data.toString(), "-A", "trust", "-U", USER,
                    "-E", "UTF8", "--no-sync", "--no-instructions"));
            f.startServer(true);
            return f;
        } catch (IOException | InterruptedException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** One instance for the whole test JVM, started on first use; the shutdown hook stops it. */
    public static synchronized PostgresFixture shared() throws IOException, InterruptedException {
        if (shared == null || shared.pid == 0) {
            shared = start();
        }
        return shared;
    }

    public int port() {
        return port;
    }

    /** The server's PID while it runs, 0 once stopped. */
    public long pid() {
        return pid;
    }

    /** A new, empty database; answers its {@code --store} URI. */
    public String createDatabase() throws SQLException {
        String name = "parley_t" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, null);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return uri(name);
    }

    /** The {@code --store} URI of {@code database} on this server. */
    public String uri(String database) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server by its PID (fast shutdown), keeping its data for {@link #restart}. */
    public synchronized void stop() {
        long p = pid;
        if (p == 0) {
            return;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(p);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(p)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            if (h.isPresent()) {
                h.get().onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            h.ifPresent(ProcessHandle::destroyForcibly); // SIGKILL: the postmaster would not stop
        } catch (InterruptedException e) {
            h.ifPresent(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        pid = 0;
        RUNNING.remove(this);
    }

    /** Starts the stopped server again on the same port and data. */
    public synchronized void restart() throws IOException, InterruptedException {
        if (pid == 0) {
            startServer(false);
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        stop();
        // A few passes: files the server's last processes were still closing may appear meanwhile.
        for (int pass = 0; pass < DELETE_PASSES && Files.exists(dir); pass++) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // best effort: a temp directory; the next pass tries again
            }
        }
    }

    private void startServer(boolean newPort) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            if (newPort || attempt > 0) {
                port = freePort();
            }
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                        "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
                List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
                pid = Long.parseLong(lines.get(0).trim());
                RUNNING.add(this);
                return;
            } catch (IOException e) {
                last = e; // most likely the port was taken meanwhile: try another
            }
        }
        throw last;
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", POSTGRES_USER, "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile("parley-pg-cmd", ".txt");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish");
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new IOException(String.join(" ", full) + " failed (" + p.exitValue() + "): " + Files.readString(out) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- finding the binaries -------------------------------------------------------------------

    /** The directory holding initdb and pg_ctl, installing Debian's postgresql first if need be. */
    static Path binaries() throws IOException, InterruptedException {
        Optional<Path> found = findBinaries();
        if (found.isPresent()) {
            return found.get();
        }
        ensurePackages();
        return findBinaries().orElseThrow(() -> new IOException("PostgreSQL's initdb and pg_ctl not found after installing"));
    }

    static Optional<Path> findBinaries() throws IOException {
        String env = System.getenv("PARLEY_PG_BIN");
        if (env != null && hasTools(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(PostgresFixture::hasTools)
                        .max(Comparator.comparingInt(PostgresFixture::majorVersion));
                if (newest.isPresent()) {
                    return newest;
                }
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path pgCtl = Path.of(entry).resolve("pg_ctl");
            if (Files.isExecutable(pgCtl)) {
                Path real = pgCtl.toRealPath().getParent(); // Debian links pg_ctl to its versioned directory
                if (hasTools(real)) {
                    return Optional.of(real);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasTools(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Runs the repository's tools/lab/ensure-packages.sh --cluster (found upward from the working directory). */
    private static void ensurePackages() throws IOException, InterruptedException {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isExecutable(d.resolve("tools/lab/ensure-packages.sh"))) {
            d = d.getParent();
        }
        if (d == null) {
            throw new IOException("PostgreSQL is not installed and tools/lab/ensure-packages.sh was not found: apt-get install postgresql");
        }
        Path out = Files.createTempFile("parley-ensure", ".txt");
        try {
            Process p = new ProcessBuilder(d.resolve("tools/lab/ensure-packages.sh").toString(), "--cluster")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("PostgreSQL is not installed: " + Files.readString(out).trim());
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

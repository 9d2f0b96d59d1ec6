package parley.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Redis for the cluster tests: {@code redis-server --port P --save '' --bind 127.0.0.1}
 * on a free loopback port, nothing written to disk, stopped by its PID in {@link #close} and, should
 * the test JVM die first, by a shutdown hook. Runs {@code tools/lab/ensure-packages.sh --cluster}
 * first, which installs redis-server when we are root and it is missing (and otherwise says what
 * to install), so a single test run from an IDE works on a fresh machine too.
 *
 * <p>In the main sources because the cluster benchmarks ({@code bench registry --nodes},
 * {@code bench idle --bus redis}) start the same throwaway Redis at run time; the registry itself
 * never uses it.
 */
public final class RedisFixture implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;
    private final Thread hook = new Thread(this::kill, "redis-fixture-stop");

    private RedisFixture(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Attempts at a free port: between our probe closing it and redis-server binding it, another socket may take it. */
    private static final int PORT_ATTEMPTS = 5;

    /**
     * Starts a Redis on a free port and returns once it answers PING. Should redis-server exit
     * at once (most likely the port was taken meanwhile, as PostgresFixture also allows for),
     * it tries another port, up to {@value #PORT_ATTEMPTS} times.
     */
    public static RedisFixture start() throws Exception {
        ensureInstalled();
        Path dir = Files.createTempDirectory("parley-redis");
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisFixture f = new RedisFixture(freePort(), dir);
            Runtime.getRuntime().addShutdownHook(f.hook);
            try {
                f.launch();
                return f;
            } catch (IOException e) {
                last = e;
                f.close();
            } catch (Exception e) {
                f.close();
                throw e;
            }
        }
        throw last;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The redis-server's PID while it runs (its CPU is read by the benchmarks), 0 when stopped. */
    public synchronized long pid() {
        Process p = process;
        return p == null ? 0 : p.pid();
    }

    /** Stops Redis (as a crash would, by SIGKILL) and leaves it down until {@link #restart}. */
    public void stop() {
        kill();
    }

    /** Starts Redis again on the same port: its memory is empty, as after a real restart. */
    public void restart() throws Exception {
        kill();
        launch();
    }

    private void launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--save", "",
                "--appendonly", "no", "--bind", "127.0.0.1", "--dir", dir.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("redis.log").toFile());
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ping()) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("redis-server did not answer PING on port " + port);
            }
            Thread.sleep(20);
        }
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = in.read(b);
            return n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void kill() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Installs redis-server through the project's one script (as root), or fails saying what to install. */
    static void ensureInstalled() throws Exception {
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("tools/lab/ensure-packages.sh");
            if (Files.isRegularFile(candidate)) {
                script = candidate;
                break;
            }
        }
        if (script == null) {
            return; // not inside the repository: rely on PATH
        }
        Process p = new ProcessBuilder("bash", script.toString(), "--cluster").inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("redis-server is missing: run tools/lab/ensure-packages.sh --cluster");
        }
    }
}

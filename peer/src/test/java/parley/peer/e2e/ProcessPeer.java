package parley.peer.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer in a real process ({@link KillablePeerMain}), for the tests about a peer that dies without
 * a goodbye: {@link #kill} is SIGKILL (kill -9), so nothing of the process runs after it, as when
 * the power goes. Its events are read as the JSON lines a script reads; waits are bounded by
 * {@link TestPeer#TIMEOUT_S}.
 */
final class ProcessPeer implements AutoCloseable {
    final String name;
    private final Process process;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> incoming = new LinkedBlockingQueue<>();
    private final List<String> lines = new ArrayList<>();
    private final CountDownLatch held = new CountDownLatch(1);

    ProcessPeer(String name, InetSocketAddress registry, int registryUdpPort, Path data) throws Exception {
        this.name = name;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KillablePeerMain.class.getName(), name, "127.0.0.1:" + registry.getPort(), String.valueOf(registryUdpPort),
                data.toString(), parley.server.protocol.client.TestTls.fingerprint()).start();
        stdin = process.getOutputStream();
        pump("stdout", new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), false);
        pump("stderr", new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), true);
    }

    private void pump(String which, BufferedReader in, boolean errors) {
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!errors) {
                        incoming.add(line);
                    } else if (line.equals(KillablePeerMain.HELD)) {
                        held.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process died: nothing more to read
            }
        }, name + "-" + which);
        t.setDaemon(true);
        t.start();
    }

    void cmd(String line) throws java.io.IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** From now on its long copies stay on the wire (see {@link KillablePeerMain}). */
    void hold() throws java.io.IOException {
        cmd(KillablePeerMain.HOLD);
    }

    /** Waits until a held copy was dropped on its way out. */
    void awaitHeld() throws InterruptedException {
        if (!held.await(TestPeer.TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new AssertionError(name + ": no copy was held; events were:\n  " + String.join("\n  ", lines));
        }
    }

    /** The first JSON event line (since the start) of {@code type} containing each of {@code parts}. */
    String await(String type, String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestPeer.TIMEOUT_S);
        int i = 0;
        while (true) {
            incoming.drainTo(lines);
            for (; i < lines.size(); i++) {
                if (matches(lines.get(i), type, parts)) {
                    return lines.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            String next = left <= 0 ? null : incoming.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError(name + ": expected " + type + " did not arrive; events were:\n  " + String.join("\n  ", lines));
            }
            lines.add(next);
        }
    }

    private static boolean matches(String line, String type, String... parts) {
        if (!line.startsWith("{\"event\":\"" + type + "\"")) {
            return false;
        }
        for (String p : parts) {
            if (!line.contains(p)) {
                return false;
            }
        }
        return true;
    }

    /** A JSON field as it is written: {@code "name":"value"}. */
    static String field(String name, String value) {
        return "\"" + name + "\":\"" + value + "\"";
    }

    /** The number of field {@code name} in a JSON line. */
    static long number(String line, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(line);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + line);
        }
        return Long.parseLong(m.group(1));
    }

    /** Every event line read so far. */
    List<String> lines() {
        incoming.drainTo(lines);
        return lines;
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(TestPeer.TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

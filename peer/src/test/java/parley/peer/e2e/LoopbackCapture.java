package parley.peer.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * dumpcap on the loopback interface with a capture filter on the test's own ports (so other tests
 * running on the machine stay out of the file). Started, it waits until the file holds a canary
 * datagram sent after dumpcap started (dumpcap says "Capturing on" a moment before its filter is
 * live, so packets sent at once may be missed); {@link #stopWhen} waits until the file holds what
 * the test did last, then stops dumpcap.
 */
final class LoopbackCapture implements AutoCloseable {
    final Path file;
    private final Process dumpcap;
    private final StringBuilder stderr = new StringBuilder();

    LoopbackCapture(Path file, String filter) throws Exception {
        this.file = file;
        java.net.DatagramSocket canary = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        int canaryPort = canary.getLocalPort();
        this.dumpcap = new ProcessBuilder("dumpcap", "-i", "lo", "-f", "(" + filter + ") or udp port " + canaryPort,
                "-w", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<Void> capturing = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(dumpcap.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    if (line.startsWith("Capturing on")) {
                        capturing.complete(null);
                    }
                }
            } catch (Exception ignored) {
                // the process ended
            }
            capturing.complete(null);
        }, "dumpcap-stderr");
        reader.setDaemon(true);
        reader.start();
        capturing.get(60, TimeUnit.SECONDS);
        try (canary) {
            byte[] hello = "parley capture canary".getBytes(StandardCharsets.US_ASCII);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                if (!dumpcap.isAlive()) {
                    throw new AssertionError("dumpcap did not start (capturing on lo needs root or CAP_NET_RAW):\n" + stderr());
                }
                canary.send(new java.net.DatagramPacket(hello, hello.length, canary.getLocalSocketAddress()));
                if (Files.exists(file) && Files.size(file) > 0 && !Tshark.run(List.of("tshark", "-n", "-r", file.toString(),
                        "-Y", "udp.port == " + canaryPort, "-T", "fields", "-e", "frame.number"), 120).out().isBlank()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("dumpcap never captured the canary datagram:\n" + stderr());
                }
                Thread.sleep(200);
            }
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /**
     * Polls the file with tshark (and the dissector, {@code args} before the filter) until a packet
     * matches {@code displayFilter}, then stops dumpcap; the wait only bounds a hang.
     */
    void stopWhen(List<String> args, String displayFilter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Predicate<List<String>> found = lines -> !lines.isEmpty();
        while (true) {
            if (Files.size(file) > 0) {
                List<String> cmd = new java.util.ArrayList<>(args);
                cmd.addAll(List.of("-r", file.toString(), "-Y", displayFilter, "-T", "fields", "-e", "frame.number"));
                List<String> cmdLine = new java.util.ArrayList<>(List.of("tshark", "-n", "-X", "lua_script:" + Tshark.SCRIPT));
                cmdLine.addAll(cmd);
                Tshark.Result r = Tshark.run(cmdLine, 120);
                if (found.test(r.out().lines().filter(l -> !l.isBlank()).toList())) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the capture never showed " + displayFilter + "; dumpcap said:\n" + stderr());
            }
            Thread.sleep(200);
        }
        close();
    }

    @Override
    public void close() throws Exception {
        if (dumpcap.isAlive()) {
            dumpcap.destroy(); // SIGTERM: dumpcap closes the file properly
            if (!dumpcap.waitFor(30, TimeUnit.SECONDS)) {
                dumpcap.destroyForcibly();
            }
        }
    }
}

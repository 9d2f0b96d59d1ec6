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
 * running on the machine stay out of the file). Started, it waits until dumpcap says it captures;
 * {@link #stopWhen} waits until the file holds what the test did last, then stops dumpcap.
 */
final class LoopbackCapture implements AutoCloseable {
    final Path file;
    private final Process dumpcap;
    private final StringBuilder stderr = new StringBuilder();

    LoopbackCapture(Path file, String filter) throws Exception {
        this.file = file;
        this.dumpcap = new ProcessBuilder("dumpcap", "-i", "lo", "-f", filter, "-w", file.toString())
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
        if (!dumpcap.isAlive()) {
            throw new AssertionError("dumpcap did not start (capturing on lo needs root or CAP_NET_RAW):\n" + stderr());
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

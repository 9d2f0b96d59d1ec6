package parley.bench.bottleneck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link BottleneckChild} process in a lab namespace, and its line protocol. */
final class Flow implements AutoCloseable {
    private final Process process;
    private final BufferedReader reader;
    private final PrintStream writer;
    /** The words of its {@code ready} line. */
    final String[] ready;

    Flow(String namespace, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                BottleneckChild.class.getName()));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(Lab.inNamespace(namespace, cmd)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        writer = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = reader.readLine();
        if (line == null || !line.startsWith("ready")) {
            throw new IOException("flow " + String.join(" ", args) + " did not start: " + line);
        }
        ready = line.split(" ");
    }

    int port() {
        return Integer.parseInt(ready[1]);
    }

    /** Tells a Parley flow its peer (the other's ready line, at {@code host}). */
    void peer(String host, Flow other) {
        writer.println("peer " + host + " " + other.ready[1] + " " + other.ready[2] + " " + other.ready[3]);
    }

    /** A sink's count: bytes received per flow, then the sink's nanoTime, as the last element. */
    long[] count() throws IOException {
        writer.println("count");
        String[] f = reader.readLine().split(" ");
        String[] per = f[1].split(",");
        long[] c = new long[per.length + 1];
        for (int i = 0; i < per.length; i++) {
            c[i] = Long.parseLong(per[i]);
        }
        c[per.length] = Long.parseLong(f[2]);
        return c;
    }

    /** A Parley sink's chat delays (one-way, nanoseconds) since the last call. */
    org.HdrHistogram.Histogram chat() throws IOException {
        writer.println("chat");
        String line = reader.readLine();
        try {
            return BottleneckChild.decode(line.split(" ")[1]);
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException("bad chat histogram: " + line, e);
        }
    }

    /** Asks it to end and waits (a probe writes the rest of its log first). */
    void stop() throws IOException, InterruptedException {
        writer.println("stop");
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        writer.println("stop");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

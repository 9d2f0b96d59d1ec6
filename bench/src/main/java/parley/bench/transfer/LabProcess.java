package parley.bench.transfer;

import parley.bench.bottleneck.Lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link TransferLabChild} process in a lab namespace, and its line protocol. */
final class LabProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader reader;
    private final PrintStream writer;
    /** The words of its {@code ready} line. */
    final String[] ready;

    LabProcess(String namespace, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                TransferLabChild.class.getName()));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(Lab.inNamespace(namespace, cmd)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        writer = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = reader.readLine();
        if (line == null || !line.startsWith("ready")) {
            throw new IOException("child " + String.join(" ", args) + " did not start: " + line);
        }
        ready = line.split(" ");
    }

    /** Tells a Parley side its peer (the other's ready line, at {@code host}). */
    void peer(String host, LabProcess other) {
        writer.println("peer " + host + " " + other.ready[1] + " " + other.ready[2]);
    }

    void tell(String line) {
        writer.println(line);
    }

    /** Reads lines until one starting with {@code word}; that line (an exception if the child ended first). */
    String await(String word) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith(word)) {
                return line;
            }
        }
        throw new IOException("child ended before '" + word + "'");
    }

    @Override
    public void close() {
        writer.println("stop");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

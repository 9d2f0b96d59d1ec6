package parley.bench.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The shell side of the network-namespace labs ({@code tools/lab/*.sh}): finding a script, running
 * a command to completion, reading the {@code KEY=value} lines a script's {@code up} prints, and
 * naming a lab so that it cannot collide with another run's.
 */
public final class LabShell {
    private LabShell() {
    }

    /** True when this process may build namespaces. */
    public static boolean isRoot() {
        return "0".equals(run(List.of("id", "-u")).trim());
    }

    /** A lab name unique to this process and call: {@code prefix}, the pid and a random part, in base 36. */
    public static String uniqueName(String prefix) {
        return prefix + Long.toString(ProcessHandle.current().pid() % 46656, 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
    }

    /** The command line that runs {@code command} inside namespace {@code ns}. */
    public static List<String> inNamespace(String ns, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        return full;
    }

    /** The {@code KEY=value} lines of a script's output. */
    public static Map<String, String> vars(String out) {
        Map<String, String> vars = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return vars;
    }

    /** {@code tools/lab/<file>}, found upward from the working directory or from {@code anchor}'s classes. */
    public static Path script(String file, Class<?> anchor) throws IOException {
        String relative = "tools/lab/" + file;
        for (Path start : new Path[] {Path.of("").toAbsolutePath(), codeLocation(anchor)}) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path s = p.resolve(relative);
                if (Files.isExecutable(s)) {
                    return s;
                }
            }
        }
        throw new IOException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static Path codeLocation(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return null;
        }
    }

    /** Runs a command to completion; its stdout, or an exception with its stderr. */
    public static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            // stderr on its own thread: a chatty apt-get must not fill the pipe while stdout is read.
            CompletableFuture<String> err = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.complete("");
                }
            }, "lab-stderr");
            t.setDaemon(true);
            t.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                String why;
                try {
                    why = err.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    why = "(no stderr)";
                }
                throw new IllegalStateException(String.join(" ", command) + " failed: " + why);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

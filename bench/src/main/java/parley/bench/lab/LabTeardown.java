package parley.bench.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * Takes one running lab down exactly once: on {@link #close}, or from a shutdown hook if the JVM
 * stops first, so no namespace outlives its run.
 */
public final class LabTeardown implements AutoCloseable {
    private final Path script;
    private final String name;
    private final Thread hook;
    private boolean closed;

    public LabTeardown(Path script, String name, String threadName) {
        this.script = script;
        this.name = name;
        this.hook = new Thread(this::down, threadName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The names of this lab's namespaces that exist now (empty once it is down). */
    public List<String> namespaces() {
        return LabShell.run(List.of("ip", "netns", "list")).lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(name + "-")).toList();
    }

    private synchronized void down() {
        if (!closed) {
            closed = true;
            LabShell.run(List.of(script.toString(), "down", name));
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
}

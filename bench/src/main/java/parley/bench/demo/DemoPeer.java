package parley.bench.demo;

import parley.peer.core.PeerConfig;
import parley.peer.event.PeerEvent;
import parley.peer.script.ScriptSession;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One scripted demo peer: typed lines are echoed, events printed with the peer's name, waits on events. */
final class DemoPeer implements AutoCloseable {
    private static final long TIMEOUT_S = 15;

    final String name;
    private final PrintStream out;
    private final ScriptSession session;
    private final LinkedBlockingQueue<PeerEvent> events = new LinkedBlockingQueue<>();
    private final List<PeerEvent> seen = new ArrayList<>();
    private int from;

    DemoPeer(String name, PeerConfig config, boolean json, PrintStream out) throws Exception {
        this.name = name;
        this.out = out;
        String tag = String.format("%-6s| ", name);
        this.session = ScriptSession.start(config, json, line -> {
            for (String l : line.split("\n")) {
                out.println(tag + l);
            }
        }, events::add, null);
    }

    void type(String line) {
        String shown = line.startsWith("/register ") || line.startsWith("/login ")
                ? line.substring(0, line.lastIndexOf(' ')) + " ********" : line;
        out.println(String.format("%-6s> %s", name, shown));
        session.line(line);
    }

    /** Waits for the next matching event after the last one waited for. */
    <T extends PeerEvent> T await(Class<T> type, Predicate<T> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            events.drainTo(seen);
            for (int i = from; i < seen.size(); i++) {
                PeerEvent e = seen.get(i);
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    from = i + 1;
                    return type.cast(e);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(name + " waited in vain for a '" + type.getSimpleName() + "' event");
            }
            try {
                PeerEvent e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e != null) {
                    seen.add(e);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    <T extends PeerEvent> T await(Class<T> type) {
        return await(type, e -> true);
    }

    void quit() throws InterruptedException {
        session.quit(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        session.close();
    }
}

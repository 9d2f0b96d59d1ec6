package parley.bench.groups;

import parley.peer.core.PeerConfig;
import parley.peer.event.PeerEvent;
import parley.peer.script.ScriptSession;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One in-process peer of the group bench, driven like a script (command lines in, events out),
 * with each event stamped by the time the output thread saw it, so a sender's {@code sending} and
 * its members' {@code delivered} are measured the same way for a group and for one-to-one.
 */
final class BenchPeer implements AutoCloseable {
    static final long TIMEOUT_S = 120;

    /** An event and when it was observed (System.nanoTime). */
    record Timed(long at, PeerEvent event) {
    }

    final String name;
    private final ScriptSession session;
    private final LinkedBlockingQueue<Timed> incoming = new LinkedBlockingQueue<>();
    private final List<Timed> seen = new ArrayList<>();
    private int mark;

    BenchPeer(String name, PeerConfig config) throws Exception {
        this.name = name;
        this.session = ScriptSession.start(config, true, line -> { }, e -> {
            incoming.add(new Timed(System.nanoTime(), e));
            if (e instanceof parley.peer.event.ConsoleEvents.Error err) {
                System.err.println(name + ": " + err.code() + " " + err.message()); // a bench that stalls says why
            }
        }, null);
    }

    void type(String line) {
        session.line(line);
    }

    /** Later waits look only at events after this point; forgets what came before. */
    void mark() {
        incoming.drainTo(seen);
        seen.subList(0, seen.size()).clear();
        mark = 0;
    }

    <T extends PeerEvent> Timed await(Class<T> type, Predicate<T> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        int i = mark;
        while (true) {
            incoming.drainTo(seen);
            for (; i < seen.size(); i++) {
                PeerEvent e = seen.get(i).event();
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return seen.get(i);
                }
            }
            poll(deadline, type.getSimpleName());
        }
    }

    /** Waits until {@code n} events since the mark match; returns them in order. */
    <T extends PeerEvent> List<Timed> awaitCount(Class<T> type, Predicate<T> match, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        List<Timed> out = new ArrayList<>();
        int i = mark;
        while (true) {
            incoming.drainTo(seen);
            for (; i < seen.size(); i++) {
                PeerEvent e = seen.get(i).event();
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    out.add(seen.get(i));
                }
            }
            if (out.size() >= n) {
                return out;
            }
            poll(deadline, n + " x " + type.getSimpleName() + " (have " + out.size() + ")");
        }
    }

    private void poll(long deadline, String what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IllegalStateException(name + " waited in vain for " + what);
        }
        try {
            Timed t = incoming.poll(left, TimeUnit.NANOSECONDS);
            if (t != null) {
                seen.add(t);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    void quit() throws InterruptedException {
        session.quit(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        session.close();
    }
}

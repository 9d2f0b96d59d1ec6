package parley.peer.e2e;

import parley.peer.core.PeerConfig;
import parley.peer.net.Faults;
import parley.peer.script.ScriptSession;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A peer driven exactly as a script drives {@code ./parley peer --json}: command lines in, one
 * JSON line per event out. Waits are on events, with a generous timeout that only bounds a hang.
 */
final class TestPeer implements AutoCloseable {
    static final long TIMEOUT_S = 30;

    final String name;
    final ScriptSession session;
    private final LinkedBlockingQueue<Seen> incoming = new LinkedBlockingQueue<>();
    private final List<Seen> seen = new ArrayList<>();
    private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int mark;

    private TestPeer(String name, PeerConfig config, boolean json) throws Exception {
        this.name = name;
        this.session = ScriptSession.start(config, json, lines::add, e -> incoming.add(new Seen(e)), null);
    }

    private TestPeer(String name, PeerConfig config) throws Exception {
        this(name, config, true);
    }

    /** A peer in {@code --script} text mode: {@link #outputLines} are what a terminal would show. */
    static TestPeer startText(PeerConfig c) throws Exception {
        return new TestPeer(c.name, c, false);
    }

    static PeerConfig config(String name, InetSocketAddress server, Path data) {
        PeerConfig c = new PeerConfig();
        c.name = name;
        c.server = server;
        c.dataDir = data;
        c.serverFingerprint = parley.server.protocol.client.TestTls.fingerprint(); // TestRegistry's key
        c.reconnectBaseNanos = TimeUnit.MILLISECONDS.toNanos(50);
        c.reconnectMaxNanos = TimeUnit.MILLISECONDS.toNanos(500);
        c.jitterSeed = name.hashCode();
        c.scramIterations = parley.server.auth.ScramCredentials.MIN_ITERATIONS; // the default costs ~0.5 s per derivation
        return c;
    }

    static TestPeer start(String name, InetSocketAddress server, Path data) throws Exception {
        return new TestPeer(name, config(name, server, data));
    }

    static TestPeer start(String name, InetSocketAddress server, Path data, Faults faults) throws Exception {
        PeerConfig c = config(name, server, data);
        c.faults = faults;
        return new TestPeer(name, c);
    }

    static TestPeer start(PeerConfig c) throws Exception {
        return new TestPeer(c.name, c);
    }

    void cmd(String line) {
        session.line(line);
    }

    /** Registers and logs in with password "pw-" + name, waiting for each step. */
    TestPeer signUp() {
        cmd("/register " + name + " pw-" + name);
        await("registered");
        return logIn();
    }

    TestPeer logIn() {
        cmd("/login " + name + " pw-" + name);
        await(e -> e.type().equals("logged_in") && !Boolean.TRUE.equals(e.get("relogin")));
        return this;
    }

    /** Later waits only look at events after this point. */
    void mark() {
        drain();
        mark = seen.size();
    }

    Seen await(String type) {
        return await(e -> e.type().equals(type));
    }

    Seen await(String type, String field, Object value) {
        return await(e -> e.type().equals(type) && String.valueOf(value).equals(String.valueOf(e.get(field))));
    }

    /** The first event since the mark that matches; fails with everything seen when none comes. */
    Seen await(Predicate<Seen> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        int i = mark;
        while (true) {
            drain();
            for (; i < seen.size(); i++) {
                if (match.test(seen.get(i))) {
                    return seen.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": expected event did not arrive; events were:\n  " + String.join("\n  ", lines));
            }
            try {
                Seen e = incoming.poll(left, TimeUnit.NANOSECONDS);
                if (e != null) {
                    seen.add(e);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Events seen so far (since the mark) of a type, without waiting. */
    List<Seen> seen(String type) {
        drain();
        List<Seen> out = new ArrayList<>();
        for (int i = mark; i < seen.size(); i++) {
            if (seen.get(i).type().equals(type)) {
                out.add(seen.get(i));
            }
        }
        return out;
    }

    /**
     * The UDP port from the peer's {@code ready} event, waiting for it (bounded) if the peer has
     * not started yet: under load a peer started just before may still be binding its socket.
     */
    long udpPort() {
        int saved = mark;
        mark = 0; // the ready event is the first one, wherever the mark is
        try {
            return await("ready").number("udp_port");
        } finally {
            mark = saved;
        }
    }

    List<String> jsonLines() {
        return lines;
    }

    /** Every line written so far, JSON or text as the peer was started. */
    List<String> outputLines() {
        return lines;
    }

    private void drain() {
        incoming.drainTo(seen);
    }

    @Override
    public void close() {
        session.close();
    }
}

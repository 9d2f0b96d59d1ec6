package parley.peer.e2e;

import parley.peer.core.PeerConfig;
import parley.peer.net.Faults;
import parley.peer.script.ScriptSession;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A peer in a process of its own, for the tests that kill it with SIGKILL ({@link ProcessPeer}).
 * It is configured as {@link TestPeer#config} configures an in-process one, writes each event as a
 * JSON line on stdout, and runs each stdin line as a command, without waiting for its answer.
 * One line is its own: {@value #HOLD} starts dropping every datagram it sends larger than
 * {@value #HOLD_ABOVE} bytes (a long group message's copy; acks, probes and short texts are
 * smaller, and path-MTU probing is off), so such a copy stays on the session unacknowledged; the
 * first one dropped is told on stderr as {@value #HELD}. Another, {@value #BUDGET} N, lets N
 * more bytes of file data out and then drops every further datagram of it ({@link DataBudget}),
 * so a transfer it sends stops part-way however fast the host is.
 *
 * <p>Arguments: name, registry host:port, registry UDP port, data directory, the registry's key
 * fingerprint (the test JVM's; this JVM's TestTls would make another key).
 */
public final class KillablePeerMain {
    static final String HOLD = "!hold";
    static final String HELD = "held";
    static final int HOLD_ABOVE = 800;
    static final String BUDGET = "!budget";

    private KillablePeerMain() {
    }

    public static void main(String[] args) throws Exception {
        int colon = args[1].lastIndexOf(':');
        InetSocketAddress server = new InetSocketAddress(args[1].substring(0, colon), Integer.parseInt(args[1].substring(colon + 1)));
        PeerConfig c = TestPeer.config(args[0], server, Path.of(args[3]));
        c.registryUdpPort = Integer.parseInt(args[2]);
        c.serverFingerprint = args[4];
        c.maxDatagram = new parley.core.reliable.ReliableConfig().maxDatagram; // no path-MTU probes: big datagrams are copies
        AtomicBoolean hold = new AtomicBoolean();
        AtomicBoolean told = new AtomicBoolean();
        AtomicReference<DataBudget> budget = new AtomicReference<>();
        PrintStream err = System.err;
        c.faults = Faults.dropping((sequence, datagram) -> {
            DataBudget b = budget.get();
            if (b != null && b.drop(sequence, datagram)) {
                return true;
            }
            if (!hold.get() || datagram.remaining() <= HOLD_ABOVE) {
                return false;
            }
            if (told.compareAndSet(false, true)) {
                err.println(HELD);
                err.flush();
            }
            return true;
        });
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ScriptSession session = ScriptSession.start(c, true, line -> {
            out.println(line);
            out.flush();
        }, null, null);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (HOLD.equals(line)) {
                    hold.set(true);
                } else if (line.startsWith(BUDGET + " ")) {
                    budget.set(new DataBudget(Long.parseLong(line.substring(BUDGET.length() + 1))));
                } else if (!session.line(line)) {
                    break;
                }
            }
        }
        session.close();
        System.exit(0);
    }
}

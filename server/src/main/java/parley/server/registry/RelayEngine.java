package parley.server.registry;

import parley.core.loop.NanoClock;
import parley.core.loop.Timer;
import parley.core.reliable.DatagramPath;
import parley.core.udp.DatagramHandler;
import parley.server.policy.Visibility;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The relay without the registry around it: the same {@link Relays} table and
 * {@link RelayForwarder} the registry runs, with relayed sessions allocated directly by session
 * ids (no accounts, no introductions, no privacy decision: each pair gets two accounts of its
 * own). For the benchmarks, which measure the forwarding path in isolation (JMH) and on a real
 * socket against a raw forwarding floor. Idle timers are not run. Single-threaded like the loop.
 */
public final class RelayEngine {
    private final Relays relays;
    private final RelayForwarder forwarder;
    private long nextAccount = 1;

    public RelayEngine(RegistryConfig config, NanoClock clock) {
        Timers timers = new Timers() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void schedule(Timer timer, long deadlineNanos) {
            }

            @Override
            public void cancel(Timer timer) {
            }
        };
        this.relays = new Relays(config, timers);
        this.forwarder = new RelayForwarder(relays, timers);
    }

    /** The two tokens of a new relayed session between session ids {@code a} and {@code b}: {hiA, loA, hiB, loB}; null at a cap. */
    public long[] allocate(long a, long b) {
        RelayPair p = relays.allocate(session(), a, session(), b);
        return p == null ? null : new long[] {p.requesterSide.tokenHi, p.requesterSide.tokenLo,
                p.answererSide.tokenHi, p.answererSide.tokenLo};
    }

    private Session session() {
        long id = nextAccount++;
        Session s = new Session(null, now -> { }, null);
        s.account = new Account(id, "relay-" + id, "relay-" + id, null, Visibility.NOBODY);
        return s;
    }

    /** One datagram through the relay's per-datagram path; what passes goes out through {@code out}. */
    public void forward(ByteBuffer datagram, InetSocketAddress from, DatagramPath out) {
        forwarder.forward(datagram, from, out);
    }

    /** The forwarder as a UDP handler, for a {@code UdpChannel} on a loop. */
    public DatagramHandler handler() {
        return forwarder;
    }

    public RelayStats stats() {
        return relays.stats();
    }
}

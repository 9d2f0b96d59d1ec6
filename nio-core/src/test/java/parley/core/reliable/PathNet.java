package parley.core.reliable;

import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.loop.ManualClock;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Two peer endpoints and a relay on one loop driven by a {@link ManualClock}, joined by an
 * in-memory network (a fake {@link DatagramPath} in front of each endpoint, in the style of
 * Netty's EmbeddedChannel): datagrams to the other peer's address arrive "directly" from the
 * sender's address unless {@link #directOpen} is off (a NAT dropping them); datagrams to the
 * relay address must carry a well-formed {@link RelayPrefix} with a known token, and arrive at
 * the other side stripped, from the relay's address. Optional random loss on every leg.
 */
final class PathNet implements AutoCloseable {
    static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 41000);
    static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 42000);
    static final InetSocketAddress RELAY = new InetSocketAddress("10.9.9.9", 3478);

    final ManualClock clock = new ManualClock();
    /** The synthetic time the sessions opened at. */
    final long startNanos = clock.nanoTime();
    final EventLoop loop = new EventLoop("pathnet", clock).start();
    final Recorder recA = new Recorder();
    final Recorder recB = new Recorder();
    final byte[] tokenA = token(1);
    final byte[] tokenB = token(2);
    final List<String> eventsA = Collections.synchronizedList(new ArrayList<>());
    final List<String> eventsB = Collections.synchronizedList(new ArrayList<>());
    /** Each side's ends of punching rounds: "direct" or "gave_up", with A's times (ms since {@link #startNanos}) in {@link #punchAtA}. */
    final List<String> punchA = Collections.synchronizedList(new ArrayList<>());
    final List<String> punchB = Collections.synchronizedList(new ArrayList<>());
    final List<Long> punchAtA = Collections.synchronizedList(new ArrayList<>());
    /** Times (ns) at which A sent a datagram straight to B, and B to A. */
    final List<Long> directFromA = Collections.synchronizedList(new ArrayList<>());
    final List<Long> directFromB = Collections.synchronizedList(new ArrayList<>());
    volatile boolean directOpen = true;
    volatile double loss;
    long relayed;
    long badRelayFrames;
    private final Random random = new Random(7);
    PeerEndpoint a;
    PeerEndpoint b;
    PeerSession sa;
    PeerSession sb;

    static byte[] token(int fill) {
        byte[] t = new byte[RelayPrefix.TOKEN_LENGTH];
        Arrays.fill(t, (byte) fill);
        return t;
    }

    /** Opens both sessions: relay first with punching (or not, per side), or direct only when {@code relay} is false. */
    PathNet(ReliableConfig config, boolean relay, boolean noDirectA, boolean noDirectB) throws Exception {
        this(config, relay, noDirectA, noDirectB, true);
    }

    /** As above; {@code open} false starts with the direct legs blocked (NATs that drop what the other punches). */
    PathNet(ReliableConfig config, boolean relay, boolean noDirectA, boolean noDirectB, boolean open) throws Exception {
        this(config, relay, noDirectA, noDirectB, open, null);
    }

    /** As above, with the interfaces' MTUs given ({@code mtu}; null: the host's), which path-MTU probing searches up to. */
    PathNet(ReliableConfig config, boolean relay, boolean noDirectA, boolean noDirectB, boolean open, InterfaceMtu mtu) throws Exception {
        this.directOpen = open;
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        X25519KeyPair ka = X25519KeyPair.generate();
        X25519KeyPair kb = X25519KeyPair.generate();
        PathNet net = this;
        PeerPair.on(loop, () -> {
            a = PeerEndpoint.open(loop, any, config);
            b = PeerEndpoint.open(loop, any, config);
            a.path(next -> (d, to) -> net.route(A, d, to));
            b.path(next -> (d, to) -> net.route(B, d, to));
            if (mtu != null) {
                a.interfaceMtu(mtu);
                b.interfaceMtu(mtu);
            }
            PathPlan pa = relay ? PathPlan.relayFirst(SessionPath.relayed(RELAY, tokenA), List.of(B), noDirectA) : PathPlan.direct(B);
            PathPlan pb = relay ? PathPlan.relayFirst(SessionPath.relayed(RELAY, tokenB), List.of(A), noDirectB) : PathPlan.direct(A);
            sa = a.openSession(11L, 22L, ka, kb.publicKey(), pa, recA);
            sa.pathEvents(new PathListener() {
                @Override
                public void onPathChanged(SessionPath path, String why) {
                    eventsA.add(path.toString());
                }

                @Override
                public void onPunchingEnded(boolean direct) {
                    punchAtA.add(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - startNanos));
                    punchA.add(direct ? "direct" : "gave_up");
                }
            });
            sb = b.openSession(22L, 11L, kb, ka.publicKey(), pb, recB);
            sb.pathEvents(new PathListener() {
                @Override
                public void onPathChanged(SessionPath path, String why) {
                    eventsB.add(path.toString());
                }

                @Override
                public void onPunchingEnded(boolean direct) {
                    punchB.add(direct ? "direct" : "gave_up");
                }
            });
            return null;
        });
    }

    private boolean route(InetSocketAddress from, ByteBuffer d, InetSocketAddress to) {
        byte[] copy = new byte[d.remaining()];
        d.get(copy);
        if (loss > 0 && random.nextDouble() < loss) {
            return true;
        }
        if (to.equals(RELAY)) {
            relayFrame(copy);
            return true;
        }
        PeerEndpoint target = to.equals(A) ? a : to.equals(B) ? b : null;
        if (target == null) {
            return true; // an address nobody has
        }
        (from.equals(A) ? directFromA : directFromB).add(clock.nanoTime());
        if (directOpen) {
            loop.execute(() -> target.onDatagram(null, from, ByteBuffer.wrap(copy)));
        }
        return true;
    }

    /** The relay of PROTOCOL.md 7.8, reduced to its checks: header, token, then the inner datagram unchanged. */
    private void relayFrame(byte[] f) {
        ByteBuffer in = ByteBuffer.wrap(f);
        if (f.length < RelayPrefix.LENGTH + PeerPacket.OVERHEAD || in.get(Header.VERSION_OFFSET) != 1
                || in.get(Header.CLASS_OFFSET) != MessageClass.DATA || (in.get(Header.OPCODE_OFFSET) & 0xFF) != 0x42
                || in.get(Header.FLAGS_OFFSET) != 0 || in.getInt(Header.CORRELATION_OFFSET) != 0
                || in.getInt(Header.BODY_LENGTH_OFFSET) != f.length - Header.LENGTH) {
            badRelayFrames++;
            return;
        }
        byte[] token = Arrays.copyOfRange(f, RelayPrefix.TOKEN_OFFSET, RelayPrefix.LENGTH);
        PeerEndpoint target = Arrays.equals(token, tokenA) ? b : Arrays.equals(token, tokenB) ? a : null;
        if (target == null) {
            badRelayFrames++;
            return;
        }
        relayed++;
        byte[] inner = Arrays.copyOfRange(f, RelayPrefix.LENGTH, f.length);
        loop.execute(() -> target.onDatagram(null, RELAY, ByteBuffer.wrap(inner)));
    }

    /** Lets the loop run what is queued: deliveries, flushes, and the timers now due. */
    void settle() throws Exception {
        for (int i = 0; i < 4; i++) {
            PeerPair.on(loop, () -> null);
            // A timer barrier: the loop has passed its timers (a task alone may run in the same
            // turn's task batch as the one before it, with no timer pass in between).
            java.util.concurrent.CompletableFuture<Void> passed = new java.util.concurrent.CompletableFuture<>();
            PeerPair.on(loop, () -> {
                loop.schedule(new parley.core.loop.Timer(now -> passed.complete(null)), clock.nanoTime());
                return null;
            });
            passed.get(30, TimeUnit.SECONDS);
        }
    }

    /** Advances time in steps of {@code stepMs}, settling after each, for {@code totalMs}. */
    void run(long totalMs, long stepMs) throws Exception {
        for (long t = 0; t < totalMs; t += stepMs) {
            // From a timer due now, on the loop: every timer due before the step has fired in an
            // earlier turn, and those due within the step fire in the next turn, at their step's end.
            // (A task would race: the loop runs tasks queued while it runs tasks, before its timers.)
            on(() -> {
                loop.schedule(new parley.core.loop.Timer(now -> clock.advance(stepMs, TimeUnit.MILLISECONDS)), clock.nanoTime());
                return null;
            });
            settle();
        }
    }

    <T> T on(java.util.concurrent.Callable<T> task) throws Exception {
        return PeerPair.on(loop, task);
    }

    void send(PeerSession s, String text) throws Exception {
        on(() -> s.send(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    static List<String> texts(Recorder r) {
        List<String> out = new ArrayList<>();
        synchronized (r.messages) {
            for (byte[] m : r.messages) {
                out.add(new String(m, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        loop.close();
    }
}

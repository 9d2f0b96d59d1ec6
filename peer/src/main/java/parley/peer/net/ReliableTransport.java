package parley.peer.net;

import org.HdrHistogram.Histogram;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.reliable.FaultInjector;
import parley.core.reliable.PathListener;
import parley.core.reliable.PathPlan;
import parley.core.reliable.PeerEndpoint;
import parley.core.reliable.PeerSession;
import parley.core.reliable.ReliableConfig;
import parley.core.reliable.ReliableSession;
import parley.core.reliable.SessionListener;
import parley.core.reliable.SessionPath;
import parley.core.util.LongObjectMap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@link PeerTransport} on nio-core's reliable encrypted channel: one {@link PeerEndpoint} (one
 * UDP socket) for every session of this peer, plus an RTT histogram per session for /stats.
 */
public final class ReliableTransport implements PeerTransport {
    private final EventLoop loop;
    private final PeerEndpoint endpoint;
    private final Listener listener;
    private final int maxMessage;
    private final LongObjectMap<Histogram> rtts = new LongObjectMap<>();
    private BooleanSupplier intake = () -> true;
    /** Stream 1's own intake gate; null: the same as {@link #intake}. */
    private BooleanSupplier bulkIntake;

    private ReliableTransport(EventLoop loop, PeerEndpoint endpoint, Listener listener, int maxMessage) {
        this.loop = loop;
        this.endpoint = endpoint;
        this.listener = listener;
        this.maxMessage = maxMessage;
    }

    /**
     * Binds the peer's one UDP socket. Loop thread only. {@code maxMessage} bounds every message,
     * sent and received, in each session (at most nio-core's default).
     */
    public static ReliableTransport open(EventLoop loop, InetSocketAddress bind, Listener listener, Faults faults,
                                         int maxMessage) throws IOException {
        return open(loop, bind, listener, faults, maxMessage, ReliableConfig.MAX_UDP_PAYLOAD);
    }

    /**
     * As above; {@code maxDatagram} is the largest datagram path-MTU probing may raise a direct
     * path to (PROTOCOL.md 9.8): 1,200 (the base) turns probing off, and it is also the largest
     * datagram accepted.
     */
    public static ReliableTransport open(EventLoop loop, InetSocketAddress bind, Listener listener, Faults faults,
                                         int maxMessage, int maxDatagram) throws IOException {
        ReliableConfig config = new ReliableConfig();
        if (maxDatagram < config.maxDatagram || maxDatagram > ReliableConfig.MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("max datagram must be " + config.maxDatagram + ".." + ReliableConfig.MAX_UDP_PAYLOAD
                    + ", not " + maxDatagram);
        }
        config.datagramCeiling = maxDatagram;
        // Both ways: a peer that sends more in one message breaks the protocol and loses the session.
        config.maxMessage = Math.min(maxMessage, config.maxMessage);
        if (faults.maxProbes > 0) {
            config.maxProbes = faults.maxProbes;
        }
        PeerEndpoint endpoint = PeerEndpoint.open(loop, bind, config);
        if (faults.any()) {
            endpoint.path(next -> new FaultInjector(loop, next, faults.seed, faults.loss, faults.duplicate, faults.reorder)
                    .dropWhen(faults.rule));
        }
        endpoint.strayHandler((ch, from, datagram) -> listener.onStrayDatagram(from, datagram));
        return new ReliableTransport(loop, endpoint, listener, config.maxMessage);
    }

    /** Turns the debugging key log on (PROTOCOL.md 12): every session's keys go to {@code log}. */
    public void keyLog(parley.core.reliable.SessionKeyLog log) {
        endpoint.keyLog(log);
    }

    @Override
    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    @Override
    public void open(long localId, long remoteId, X25519KeyPair local, byte[] remotePublic, InetSocketAddress remote) {
        open(localId, remoteId, local, remotePublic, PathPlan.direct(remote));
    }

    @Override
    public void attachRelay(long sessionId, SessionPath relay, List<InetSocketAddress> targets, boolean relayOnly) {
        PeerSession s = endpoint.session(sessionId);
        if (s != null && s.isOpen()) {
            s.attachRelay(relay, targets, relayOnly);
        }
    }

    @Override
    public boolean punching(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        return s != null && s.punching();
    }

    @Override
    public SessionPath path(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        return s == null ? null : s.path();
    }

    @Override
    public void open(long localId, long remoteId, X25519KeyPair local, byte[] remotePublic, PathPlan plan) {
        Histogram rtt = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        PeerSession session = endpoint.openSession(localId, remoteId, local, remotePublic, plan, new SessionListener() {
            @Override
            public void onMessage(ByteBuffer message) {
                int reason = listener.onMessage(localId, message);
                PeerSession s = endpoint.session(localId);
                if (reason != 0 && s != null) {
                    s.reliable().rejectCurrent(reason);
                }
            }

            @Override
            public void onBulkMessage(ByteBuffer message) {
                int reason = listener.onBulkMessage(localId, message);
                PeerSession s = endpoint.session(localId);
                if (reason != 0 && s != null) {
                    s.reliable().rejectCurrent(reason); // stream 1: dropped and counted, no frame
                }
            }

            @Override
            public void onRejected(long messageId, int reason) {
                listener.onRejected(localId, messageId, reason);
            }

            @Override
            public void onDelivered(long messageId) {
                listener.onDelivered(localId, messageId);
            }

            @Override
            public void onFailed(long messageId, String reason) {
                listener.onFailed(localId, messageId, reason);
            }

            @Override
            public void onDead(String reason) {
                rtts.remove(localId);
                listener.onSessionDead(localId, reason);
            }

            @Override
            public boolean acceptsMessages() {
                return intake.getAsBoolean();
            }

            @Override
            public boolean acceptsBulk() {
                BooleanSupplier gate = bulkIntake;
                return gate == null ? intake.getAsBoolean() : gate.getAsBoolean();
            }

            @Override
            public void onRttSample(long rttNanos) {
                rtt.recordValue(Math.max(1, Math.min(rtt.getHighestTrackableValue(), rttNanos / 1000)));
                listener.onBulkRoom(localId);
            }

            @Override
            public void onWritable() {
                listener.onBulkRoom(localId);
            }
        });
        rtts.put(localId, rtt);
        session.pathEvents(new PathListener() {
            @Override
            public void onPathChanged(SessionPath path, String why) {
                listener.onPathChanged(localId, path, why);
            }

            @Override
            public void onPunchingEnded(boolean direct) {
                listener.onPunchingEnded(localId, direct);
            }
        });
    }

    @Override
    public long send(long sessionId, ByteBuffer payload) {
        PeerSession s = endpoint.session(sessionId);
        if (s == null || !s.isOpen()) {
            return REFUSED;
        }
        long id = s.send(payload);
        return id == ReliableSession.REFUSED ? REFUSED : id;
    }

    @Override
    public long sendBulk(long sessionId, ByteBuffer payload) {
        PeerSession s = endpoint.session(sessionId);
        if (s == null || !s.isOpen()) {
            return REFUSED;
        }
        long id = s.sendBulk(payload);
        return id == ReliableSession.REFUSED ? REFUSED : id;
    }

    /** File bytes (or any) queued in the session and never sent yet: what a chat message sent now waits behind. */
    public long unsentBytes(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        return s == null ? 0 : s.reliable().unsentBytes();
    }

    /** Bytes of the session's data datagrams now (PROTOCOL.md 9.8), for benchmarks; 0 without the session. */
    public int datagramSize(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        return s == null ? 0 : s.reliable().datagramSize();
    }

    /** The session's congestion controller, for benchmarks that trace it; null without the session. */
    public parley.core.reliable.CongestionController congestion(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        return s == null ? null : s.congestion();
    }

    @Override
    public int maxMessageSize() {
        return maxMessage;
    }

    @Override
    public boolean isOpen(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        return s != null && s.isOpen();
    }

    @Override
    public String fingerprint(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        return s == null ? null : s.fingerprint();
    }

    @Override
    public SessionStats stats(long sessionId) {
        PeerSession s = endpoint.session(sessionId);
        Histogram h = rtts.get(sessionId);
        if (s == null || h == null) {
            return null;
        }
        boolean any = h.getTotalCount() > 0;
        ReliableSession r = s.reliable();
        return new SessionStats(any ? h.getValueAtPercentile(50) : -1, any ? h.getValueAtPercentile(99) : -1,
                any ? h.getMaxValue() : -1, r.counters().retransmitted(), r.counters().lossEstimate(), s.bytesSent(), s.bytesReceived(),
                s.path());
    }

    @Override
    public void close(long sessionId, String reason) {
        PeerSession s = endpoint.session(sessionId);
        if (s != null) {
            s.close();
        }
    }

    /**
     * Messages are taken from the network only while {@code gate} says yes (the store has room):
     * otherwise they wait in the session, its window stops, and the sender is held back. Call
     * {@link #resumeIntake} when the gate opens again.
     */
    public void intakeGate(BooleanSupplier gate) {
        this.intake = gate;
    }

    /**
     * Stream 1 (file data, PROTOCOL.md 9.9) is taken only while {@code gate} says yes (the file
     * engine has a free piece buffer), apart from {@link #intakeGate}: a full file intake closes
     * stream 1's window only, and chat flows on. Call {@link #resumeIntake} when it opens again.
     */
    public void bulkIntakeGate(BooleanSupplier gate) {
        this.bulkIntake = gate;
    }

    /**
     * The peer's two intake gates (PROTOCOL.md 9.9): chat and control are taken while
     * {@code chatRoom} says yes (the store and the terminal keep up), file data while
     * {@code fileRoom} says yes (a free piece buffer). Neither waits for the other.
     */
    public void intakeGates(BooleanSupplier chatRoom, BooleanSupplier fileRoom) {
        intakeGate(chatRoom);
        bulkIntakeGate(fileRoom);
    }

    /** A gate opened: deliver what waited on both streams, and reopen every sender's windows. Loop thread. */
    public void resumeIntake() {
        endpoint.resumeDelivery();
    }

    @Override
    public void sendRaw(ByteBuffer datagram, InetSocketAddress to) {
        endpoint.sendRaw(datagram, to);
    }

    @Override
    public void shutdown() {
        endpoint.close();
    }

    EventLoop loop() {
        return loop;
    }
}

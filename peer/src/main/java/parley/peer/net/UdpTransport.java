package parley.peer.net;

import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.core.udp.DatagramHandler;
import parley.core.udp.UdpChannel;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The peer's encrypted, acknowledged UDP channel: the interim implementation of
 * {@link PeerTransport} inside the peer module, until the shared reliable layer is merged.
 *
 * <pre>
 *  DATA  (class 2, op 0x40, seq)  | i64 receiver session id | sealed(payload) + 16-byte tag |
 *  ACK   (class 3, op 0x41, seq)  | i64 receiver session id | sealed(empty)   + 16-byte tag |
 * </pre>
 * The 12-byte header is the AEAD's associated data. Each message is one datagram, retransmitted
 * with exponential backoff from an RTT-based timeout until acknowledged (Karn: RTT is sampled only
 * from messages sent once), and reported failed after {@link #MAX_ATTEMPTS}. The receiver
 * acknowledges every copy and delivers each sequence number once.
 */
public final class UdpTransport implements PeerTransport, DatagramHandler {
    private static final Logger log = LoggerFactory.getLogger(UdpTransport.class);
    public static final int OP_DATA = 0x40;
    public static final int OP_ACK = 0x41;
    static final int KIND_DATA = 1;
    static final int KIND_ACK = 2;
    static final int MAX_ATTEMPTS = 8;
    private static final int PREFIX = Header.LENGTH + 8;
    private static final long MIN_RTO = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long INITIAL_RTO = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MAX_RTO = TimeUnit.SECONDS.toNanos(2);

    private final EventLoop loop;
    private final Listener listener;
    private final FaultInjector faults;
    private final UdpChannel channel;
    private final Map<Long, Session> sessions = new HashMap<>();
    private final Header header = new Header();
    private final ByteBuffer out = ByteBuffer.allocate(UdpChannel.DEFAULT_MAX_PAYLOAD);
    private final ByteBuffer plain = ByteBuffer.allocate(UdpChannel.DEFAULT_MAX_PAYLOAD);
    private long nextMessageId = 1;

    private UdpTransport(EventLoop loop, InetSocketAddress bind, Listener listener, FaultInjector faults) throws IOException {
        this.loop = loop;
        this.listener = listener;
        this.faults = faults;
        this.channel = UdpChannel.open(loop, bind, this);
    }

    /** Binds the peer's one UDP socket. Loop thread only. */
    public static UdpTransport open(EventLoop loop, InetSocketAddress bind, Listener listener, FaultInjector faults)
            throws IOException {
        return new UdpTransport(loop, bind, listener, faults);
    }

    private final class Session {
        final long localId;
        final long remoteId;
        final SessionCrypto crypto;
        InetSocketAddress remote;
        int nextSeq = 1;
        final Map<Integer, Outgoing> inflight = new HashMap<>();
        int contiguous;
        final TreeSet<Integer> above = new TreeSet<>();
        final Histogram rtt = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long srtt;
        long rttvar;
        long transmissions;
        long retransmissions;
        long bytesSent;
        long bytesReceived;

        Session(long localId, long remoteId, SessionCrypto crypto, InetSocketAddress remote) {
            this.localId = localId;
            this.remoteId = remoteId;
            this.crypto = crypto;
            this.remote = remote;
        }

        long rto() {
            return srtt == 0 ? INITIAL_RTO : Math.min(MAX_RTO, Math.max(MIN_RTO, srtt + 4 * rttvar));
        }

        /** RFC 6298 smoothing. */
        void sample(long rttNanos) {
            rtt.recordValue(Math.max(1, Math.min(rtt.getHighestTrackableValue(), rttNanos / 1000)));
            if (srtt == 0) {
                srtt = rttNanos;
                rttvar = rttNanos / 2;
            } else {
                rttvar = (3 * rttvar + Math.abs(srtt - rttNanos)) / 4;
                srtt = (7 * srtt + rttNanos) / 8;
            }
        }

        /** True the first time a sequence number arrives. */
        boolean firstArrival(int seq) {
            if (seq <= contiguous || above.contains(seq)) {
                return false;
            }
            above.add(seq);
            while (!above.isEmpty() && above.first() == contiguous + 1) {
                contiguous = above.pollFirst();
            }
            return true;
        }
    }

    private final class Outgoing {
        final Session session;
        final long messageId;
        final int seq;
        final byte[] datagram;
        final Timer timer;
        long firstSent;
        int attempts;

        Outgoing(Session session, long messageId, int seq, byte[] datagram) {
            this.session = session;
            this.messageId = messageId;
            this.seq = seq;
            this.datagram = datagram;
            this.timer = new Timer(now -> retransmit(this, now));
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return channel.localAddress();
    }

    @Override
    public void open(long localId, long remoteId, KeyPair local, byte[] remotePublic, InetSocketAddress remote) {
        try {
            Session old = sessions.put(localId, new Session(localId, remoteId, new SessionCrypto(local, remotePublic), remote));
            if (old != null) {
                failAll(old, "replaced by a new session");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive session keys: " + e.getMessage(), e);
        }
    }

    @Override
    public int maxMessageSize() {
        return channel.maxPayload() - PREFIX - SessionCrypto.TAG;
    }

    @Override
    public boolean isOpen(long sessionId) {
        return sessions.containsKey(sessionId);
    }

    @Override
    public String fingerprint(long sessionId) {
        Session s = sessions.get(sessionId);
        return s == null ? null : s.crypto.fingerprint();
    }

    @Override
    public long send(long sessionId, byte[] payload) {
        Session s = sessions.get(sessionId);
        if (s == null) {
            throw new IllegalStateException("no session " + sessionId);
        }
        if (payload.length > maxMessageSize()) {
            throw new IllegalArgumentException("message of " + payload.length + " bytes exceeds " + maxMessageSize());
        }
        int seq = s.nextSeq++;
        byte[] datagram = seal(s, MessageClass.DATA, OP_DATA, KIND_DATA, seq, payload);
        Outgoing o = new Outgoing(s, nextMessageId++, seq, datagram);
        s.inflight.put(seq, o);
        o.firstSent = loop.nanoTime();
        transmit(o, o.firstSent);
        return o.messageId;
    }

    private byte[] seal(Session s, int cls, int opcode, int kind, int seq, byte[] payload) {
        out.clear();
        header.wrap(out, 0).set(cls, opcode, 0, seq, 8 + payload.length + SessionCrypto.TAG);
        out.putLong(Header.LENGTH, s.remoteId);
        ByteBuffer aad = out.duplicate().position(0).limit(Header.LENGTH);
        out.position(PREFIX);
        try {
            s.crypto.seal(kind, seq, aad, ByteBuffer.wrap(payload), out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
        byte[] d = new byte[out.position()];
        out.flip();
        out.get(d);
        return d;
    }

    private void transmit(Outgoing o, long now) {
        o.attempts++;
        o.session.transmissions++;
        put(o.session, o.datagram);
        long backoff = o.session.rto() << Math.min(o.attempts - 1, 4);
        loop.schedule(o.timer, now + Math.min(backoff, MAX_RTO));
    }

    private void put(Session s, byte[] datagram) {
        s.bytesSent += datagram.length;
        if (faults.drop()) {
            return;
        }
        channel.send(ByteBuffer.wrap(datagram), s.remote);
        if (faults.duplicate()) {
            channel.send(ByteBuffer.wrap(datagram), s.remote);
        }
    }

    private void retransmit(Outgoing o, long now) {
        Session s = o.session;
        if (sessions.get(s.localId) != s || s.inflight.get(o.seq) != o) {
            return;
        }
        if (o.attempts >= MAX_ATTEMPTS) {
            sessions.remove(s.localId);
            failAll(s, "no acknowledgement after " + MAX_ATTEMPTS + " attempts");
            listener.onSessionDead(s.localId, "the peer stopped answering");
            return;
        }
        s.retransmissions++;
        transmit(o, now);
    }

    private void failAll(Session s, String reason) {
        List<Outgoing> left = new ArrayList<>(s.inflight.values());
        left.sort((a, b) -> Integer.compare(a.seq, b.seq));
        s.inflight.clear();
        for (Outgoing o : left) {
            loop.cancel(o.timer);
            listener.onFailed(s.localId, o.messageId, reason);
        }
    }

    @Override
    public void onDatagram(UdpChannel ch, InetSocketAddress from, ByteBuffer d) {
        int at = d.position();
        int length = d.remaining();
        if (length < PREFIX + SessionCrypto.TAG) {
            listener.onStrayDatagram(from, d);
            return;
        }
        Header h = header.wrap(d, at);
        int op = h.opcode();
        if (h.version() != Header.CURRENT_VERSION || (op != OP_DATA && op != OP_ACK)) {
            listener.onStrayDatagram(from, d);
            return;
        }
        if (h.bodyLength() != length - Header.LENGTH) {
            return;
        }
        Session s = sessions.get(d.getLong(at + Header.LENGTH));
        if (s == null) {
            return; // a session we closed, or noise: nothing to answer
        }
        int seq = h.correlationId();
        ByteBuffer aad = d.duplicate().position(at).limit(at + Header.LENGTH);
        ByteBuffer sealed = d.duplicate().position(at + PREFIX).limit(at + length);
        plain.clear();
        try {
            s.crypto.open(op == OP_DATA ? KIND_DATA : KIND_ACK, seq, aad, sealed, plain);
        } catch (GeneralSecurityException e) {
            log.debug("dropped a datagram that failed authentication from {}", from);
            return;
        }
        s.bytesReceived += length;
        s.remote = from; // authenticated: follow the peer if its address changed (NAT rebinding)
        if (op == OP_ACK) {
            onAck(s, seq);
            return;
        }
        put(s, seal(s, MessageClass.CONTROL, OP_ACK, KIND_ACK, seq, new byte[0]));
        if (s.firstArrival(seq)) {
            plain.flip();
            byte[] payload = new byte[plain.remaining()];
            plain.get(payload);
            listener.onMessage(s.localId, payload);
        }
    }

    private void onAck(Session s, int seq) {
        Outgoing o = s.inflight.remove(seq);
        if (o == null) {
            return;
        }
        loop.cancel(o.timer);
        if (o.attempts == 1) {
            s.sample(loop.nanoTime() - o.firstSent);
        }
        listener.onDelivered(s.localId, o.messageId);
    }

    @Override
    public SessionStats stats(long sessionId) {
        Session s = sessions.get(sessionId);
        if (s == null) {
            return null;
        }
        boolean any = s.rtt.getTotalCount() > 0;
        return new SessionStats(any ? s.rtt.getValueAtPercentile(50) : -1, any ? s.rtt.getValueAtPercentile(99) : -1,
                any ? s.rtt.getMaxValue() : -1, s.retransmissions,
                s.transmissions == 0 ? 0.0 : (double) s.retransmissions / s.transmissions, s.bytesSent, s.bytesReceived);
    }

    @Override
    public void close(long sessionId, String reason) {
        Session s = sessions.remove(sessionId);
        if (s != null) {
            failAll(s, reason);
        }
    }

    @Override
    public void sendRaw(ByteBuffer datagram, InetSocketAddress to) {
        channel.send(datagram, to);
    }

    @Override
    public void shutdown() {
        for (Session s : new ArrayList<>(sessions.values())) {
            for (Outgoing o : s.inflight.values()) {
                loop.cancel(o.timer);
            }
        }
        sessions.clear();
        channel.close();
    }
}

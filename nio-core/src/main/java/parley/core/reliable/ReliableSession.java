package parley.core.reliable;

import parley.core.wire.MessageTooLargeException;

import java.nio.ByteBuffer;

/**
 * One direction-pair of a reliable peer session, as pure logic: it is given packets that already
 * passed authentication and the current time, and it hands back packets to seal and send, and
 * events for the application. It owns no socket, thread or clock, so every path is tested on
 * synthetic time (the design of Aeron's LossDetector, with QUIC's recovery in it).
 *
 * <p>Delivery: messages are cut into one ordered stream, so each arrives exactly once and in
 * order. A message is reported delivered when the peer's application has taken it (the peer's
 * delivered offset, carried in every ACK, has passed its end), and failed when the session dies.
 *
 * <p>Recovery follows RFC 9002: a packet is lost when a later one is acknowledged and it is 3
 * packets older, or older by 9/8 of the RTT; a probe timeout (RFC 6298's RTO with its backoff)
 * sends a probe when acknowledgements stop, which recovers a lost last message with no other
 * traffic. Each transmission has a new packet number, so acks are never ambiguous (Karn).
 *
 * <p>Not thread-safe: one session belongs to one loop.
 */
public final class ReliableSession {
    /** Seals and sends the plaintext frames of one packet. */
    public interface Output {
        /** A cleared buffer for one packet's frames, limited to the plaintext room of a datagram. */
        ByteBuffer packetBuffer();

        /** Seals frames [0, position) as {@code packetNumber} and sends; false if the socket was full. */
        boolean transmit(ByteBuffer frames, long packetNumber, boolean carriesData);
    }

    /** What the application hears, on the loop thread. */
    public interface Listener {
        /** A whole message, in order, once. Valid only during the call. */
        void onMessage(ByteBuffer message);

        void onDelivered(long messageId);

        void onFailed(long messageId, String reason);

        /** The session ended; every undelivered message was reported failed just before. */
        void onDead(String reason);

        /** Room in the send buffer again after {@link #send} refused a message. */
        default void onWritable() {
        }

        default void onRttSample(long rttNanos) {
        }
    }

    /** Returned by {@link #send} when the send buffer or the pending-message table is full. */
    public static final long REFUSED = -1;

    private static final long PN_LIMIT = 0xFFFF_FFFFL;
    private static final int MAX_RANGES_PER_PACKET = 4;
    private static final int ACK_ELICITING = 1;
    private static final int IN_FLIGHT = 2;
    private static final int ACKED = 4;
    private static final int LOST = 8;
    private static final int PACKET_SLOTS = 1 << 14;

    private final ReliableConfig config;
    private final Output output;
    private final Listener listener;
    private final SendStream send;
    private final ReceiveStream receive;
    private final ReceivedPackets received = new ReceivedPackets();
    private final RttEstimator rtt;
    private final CongestionController congestion;
    private final ReceiveStream.MessageSink deliverToApp;
    private final SendStream.DeliveryListener deliveryEvents;

    // Sent packets, indexed by packet number modulo PACKET_SLOTS.
    private final long[] sentTime = new long[PACKET_SLOTS];
    private final int[] sentSize = new int[PACKET_SLOTS];
    private final int[] sentFlags = new int[PACKET_SLOTS];
    private final int[] sentRangeCount = new int[PACKET_SLOTS];
    private final long[] sentRanges = new long[PACKET_SLOTS * MAX_RANGES_PER_PACKET * 2];
    private long nextPacket;
    private long oldestUnacked;
    private long largestAcked = -1;
    private long lastAckElicitingSent;
    private long lossTime = Long.MAX_VALUE;
    private int probeCount;
    private int probesToSend;

    private long peerDelivered;
    private long peerMaxOffset;
    private long ackDeadline = Long.MAX_VALUE;
    private int unackedElicitingReceived;
    private boolean ackNow;
    private long largestReceivedTime;
    private boolean pingPending;
    private boolean closeToSend;
    private boolean wantWritable;

    private long lastReceived;
    private long lastSent;
    private boolean dead;
    private String deathReason;

    // Counters for stats; read on the loop.
    private long packetsSent;
    private long packetsReceived;
    private long retransmitted;
    private long probesSent;
    private long duplicatePackets;
    private long malformedPackets;
    private long messagesReceived;

    public ReliableSession(ReliableConfig config, Output output, Listener listener, long now) {
        if (config.receiveWindow < config.maxMessage + 4) {
            throw new IllegalArgumentException("the receive window must hold the largest message");
        }
        this.config = config;
        this.output = output;
        this.listener = listener;
        this.send = new SendStream(config.sendBuffer, config.maxPendingMessages);
        this.receive = new ReceiveStream(config.receiveWindow, config.maxMessage);
        this.rtt = new RttEstimator(config.initialRttNanos, config.minRtoNanos, config.maxRtoNanos, config.granularityNanos);
        this.congestion = new CongestionController(config.initialWindow, config.minimumWindow, config.maxDatagram);
        this.peerMaxOffset = config.receiveWindow; // both sides use the same window until told otherwise
        this.lastReceived = now;
        this.lastSent = now;
        this.deliverToApp = m -> {
            messagesReceived++;
            listener.onMessage(m);
        };
        this.deliveryEvents = new SendStream.DeliveryListener() {
            @Override
            public void onDelivered(long id) {
                listener.onDelivered(id);
            }

            @Override
            public void onFailed(long id, String reason) {
                listener.onFailed(id, reason);
            }
        };
    }

    // ---- sending -------------------------------------------------------------------------------

    /**
     * Queues a message (position to limit) and returns its id, or {@link #REFUSED} when the send
     * buffer is full: the caller then waits for {@link Listener#onWritable}. Call {@link #flush}
     * after a batch of sends; that is where they are coalesced into datagrams.
     *
     * @throws MessageTooLargeException if the message exceeds the configured maximum
     */
    public long send(ByteBuffer message) {
        int length = message.remaining();
        if (length > config.maxMessage) {
            throw new MessageTooLargeException(length, config.maxMessage);
        }
        if (dead) {
            throw new IllegalStateException("session is dead: " + deathReason);
        }
        if (!send.hasRoom(length)) {
            wantWritable = true;
            return REFUSED;
        }
        return send.append(message);
    }

    /** Sends whatever is allowed now: acks, probes, lost data first, then new data. */
    public void flush(long now) {
        if (dead) {
            return;
        }
        while (true) {
            boolean probe = probesToSend > 0;
            boolean dataAllowed = send.hasDataToSend(peerMaxOffset)
                    && (probe || congestion.canSend(config.maxDatagram))
                    && nextPacket - oldestUnacked < PACKET_SLOTS;
            boolean ackDue = ackNow || unackedElicitingReceived > 0 && now >= ackDeadline;
            if (!dataAllowed && !ackDue && !probe && !pingPending && !closeToSend) {
                return;
            }
            if (nextPacket >= PN_LIMIT) {
                die("packet numbers exhausted");
                return;
            }
            if (!sendPacket(now, dataAllowed, unackedElicitingReceived > 0 || ackNow)) {
                return; // socket full: the endpoint calls flush again when it drains
            }
        }
    }

    private boolean sendPacket(long now, boolean withData, boolean withAck) {
        ByteBuffer out = output.packetBuffer();
        if (withAck) {
            writeAck(out, now);
        }
        long pn = nextPacket++;
        int slot = (int) (pn & (PACKET_SLOTS - 1));
        int ranges = 0;
        boolean eliciting = false;
        if (closeToSend) {
            out.put((byte) Frames.CLOSE).put((byte) Frames.CLOSE_APPLICATION);
            closeToSend = false;
        }
        while (withData && ranges < MAX_RANGES_PER_PACKET && out.remaining() > Frames.STREAM_OVERHEAD) {
            long offset = send.nextChunk(out.remaining() - Frames.STREAM_OVERHEAD, peerMaxOffset);
            if (offset < 0) {
                break;
            }
            int n = send.chunkLength;
            out.put((byte) Frames.STREAM).putLong(offset).putShort((short) n);
            send.copy(offset, n, out);
            int base = (slot * MAX_RANGES_PER_PACKET + ranges) * 2;
            sentRanges[base] = offset;
            sentRanges[base + 1] = offset + n;
            ranges++;
            eliciting = true;
        }
        if ((probesToSend > 0 || pingPending) && !eliciting) {
            out.put((byte) Frames.PING);
            eliciting = true;
        }
        if (probesToSend > 0) {
            probesToSend--;
            probesSent++;
        }
        pingPending = false;
        int size = out.position() + PeerPacket.OVERHEAD;
        sentTime[slot] = now;
        sentSize[slot] = size;
        sentRangeCount[slot] = ranges;
        sentFlags[slot] = eliciting ? ACK_ELICITING | IN_FLIGHT : 0;
        if (eliciting) {
            congestion.onSent(size, pn);
            lastAckElicitingSent = now;
        } else if (oldestUnacked == pn) {
            oldestUnacked++; // an ack-only packet is never waited for
        }
        packetsSent++;
        lastSent = now;
        // A packet the socket refused stays recorded: loss detection resends its data like any loss.
        return output.transmit(out, pn, ranges > 0);
    }

    private void writeAck(ByteBuffer out, long now) {
        long delayMicros = Math.max(0, (now - largestReceivedTime) / 1000);
        out.put((byte) Frames.ACK).putInt((int) received.largest()).putInt((int) Math.min(delayMicros, Integer.MAX_VALUE))
                .putLong(receive.delivered()).putLong(receive.maxOffset());
        received.writeRanges(out);
        unackedElicitingReceived = 0;
        ackNow = false;
        ackDeadline = Long.MAX_VALUE;
    }

    // ---- receiving -----------------------------------------------------------------------------

    /**
     * One authenticated packet's frames (position to limit). Returns false if it was dropped: a
     * replayed or duplicate packet number, or frames that break the format.
     */
    public boolean onPacket(long pn, ByteBuffer frames, long now) {
        if (dead) {
            return false;
        }
        if (received.isDuplicate(pn)) {
            duplicatePackets++;
            return false;
        }
        int start = frames.position();
        if (!validFrames(frames)) {
            malformedPackets++;
            return false;
        }
        frames.position(start);
        boolean outOfOrder = pn != received.largest() + 1;
        received.record(pn);
        packetsReceived++;
        lastReceived = now;
        if (pn == received.largest()) {
            largestReceivedTime = now;
        }
        boolean eliciting = false;
        while (frames.hasRemaining()) {
            int type = frames.get() & 0xFF;
            switch (type) {
                case Frames.STREAM: {
                    long offset = frames.getLong();
                    int length = frames.getShort() & 0xFFFF;
                    if (!receive.onData(offset, frames, frames.position(), length)) {
                        die("peer sent beyond the flow-control window");
                        return false;
                    }
                    frames.position(frames.position() + length);
                    eliciting = true;
                    break;
                }
                case Frames.ACK:
                    onAck(frames, now);
                    if (dead) {
                        return true;
                    }
                    break;
                case Frames.PING:
                    eliciting = true;
                    break;
                case Frames.CLOSE:
                    frames.get();
                    die("closed by peer");
                    return true;
                default:
                    throw new IllegalStateException("validated frames hold an unknown type");
            }
        }
        if (receive.deliver(deliverToApp) < 0) {
            die("peer sent a message over the size limit");
            return true;
        }
        if (eliciting) {
            unackedElicitingReceived++;
            if (outOfOrder || unackedElicitingReceived >= config.ackEveryPackets) {
                ackNow = true;
            } else if (ackDeadline == Long.MAX_VALUE) {
                ackDeadline = now + config.maxAckDelayNanos;
            }
        }
        maybeWritable();
        return true;
    }

    /** Checks every frame's bounds before any is acted on, so a bad packet changes nothing. */
    static boolean validFrames(ByteBuffer f) {
        while (f.hasRemaining()) {
            int type = f.get() & 0xFF;
            switch (type) {
                case Frames.STREAM: {
                    if (f.remaining() < 10) {
                        return false;
                    }
                    long offset = f.getLong();
                    int length = f.getShort() & 0xFFFF;
                    if (offset < 0 || f.remaining() < length) {
                        return false;
                    }
                    f.position(f.position() + length);
                    break;
                }
                case Frames.ACK: {
                    if (f.remaining() < 4 + 4 + 8 + 8 + 1 + 2) {
                        return false;
                    }
                    f.position(f.position() + 24);
                    int extra = f.get() & 0xFF;
                    if (extra > ReceivedPackets.MAX_ACK_RANGES || f.remaining() < 2 + extra * 4) {
                        return false;
                    }
                    f.position(f.position() + 2 + extra * 4);
                    break;
                }
                case Frames.PING:
                    break;
                case Frames.CLOSE:
                    if (f.remaining() < 1) {
                        return false;
                    }
                    f.get();
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private void onAck(ByteBuffer f, long now) {
        long largest = f.getInt() & 0xFFFF_FFFFL;
        long ackDelay = (f.getInt() & 0xFFFF_FFFFL) * 1000;
        long delivered = f.getLong();
        long maxOffset = f.getLong();
        int extra = f.get() & 0xFF;
        int firstLength = f.getShort() & 0xFFFF;
        if (largest >= nextPacket) {
            // Acknowledges a packet never sent: skip the ranges and ignore the frame.
            f.position(f.position() + extra * 4);
            return;
        }
        boolean newlyAcked = false;
        boolean largestNewlyAcked = false;
        long top = largest;
        long length = firstLength;
        for (int r = 0; ; r++) {
            long bottom = Math.max(oldestUnacked, top - length + 1);
            for (long pn = top; pn >= bottom; pn--) {
                int slot = (int) (pn & (PACKET_SLOTS - 1));
                int flags = sentFlags[slot];
                if ((flags & (ACKED | LOST)) == 0) {
                    sentFlags[slot] = flags | ACKED;
                    if ((flags & IN_FLIGHT) != 0) {
                        congestion.onAcked(sentSize[slot], sentTime[slot], pn, now);
                    }
                    newlyAcked = true;
                    largestNewlyAcked |= pn == largest && (flags & ACK_ELICITING) != 0;
                }
            }
            if (r == extra) {
                break;
            }
            long gap = f.getShort() & 0xFFFF;
            long nextLength = f.getShort() & 0xFFFF;
            top = top - length - gap; // below this range: gap missing packets, then the next range
            length = nextLength;
            if (top < oldestUnacked) {
                f.position(f.position() + (extra - r - 1) * 4);
                break;
            }
        }
        if (largestNewlyAcked) {
            long sample = now - sentTime[(int) (largest & (PACKET_SLOTS - 1))];
            if (sample > ackDelay + rtt.minimum()) {
                sample -= Math.min(ackDelay, config.maxAckDelayNanos);
            }
            rtt.sample(sample);
            listener.onRttSample(sample);
        }
        if (largest > largestAcked) {
            largestAcked = largest;
        }
        if (newlyAcked) {
            probeCount = 0;
        }
        if (maxOffset > peerMaxOffset) {
            peerMaxOffset = maxOffset;
        }
        if (delivered > peerDelivered) {
            peerDelivered = delivered;
            send.delivered(delivered, deliveryEvents);
        }
        detectLosses(now);
        advanceOldest();
    }

    /** RFC 9002 section 6.1: packet and time thresholds. */
    private void detectLosses(long now) {
        lossTime = Long.MAX_VALUE;
        if (largestAcked < 0) {
            return;
        }
        long lossDelay = Math.max(config.granularityNanos, Math.max(rtt.smoothed(), rtt.latest()) * 9 / 8);
        for (long pn = oldestUnacked; pn < largestAcked; pn++) {
            int slot = (int) (pn & (PACKET_SLOTS - 1));
            int flags = sentFlags[slot];
            if ((flags & (ACKED | LOST)) != 0 || (flags & ACK_ELICITING) == 0) {
                continue;
            }
            if (largestAcked - pn >= 3 || sentTime[slot] <= now - lossDelay) {
                declareLost(pn, slot, now);
            } else {
                lossTime = Math.min(lossTime, sentTime[slot] + lossDelay);
            }
        }
    }

    private void declareLost(long pn, int slot, long now) {
        sentFlags[slot] |= LOST;
        if ((sentFlags[slot] & IN_FLIGHT) != 0) {
            congestion.onLost(sentSize[slot], pn, now);
        }
        resend(slot);
        retransmitted++;
    }

    private void resend(int slot) {
        for (int r = 0; r < sentRangeCount[slot]; r++) {
            int base = (slot * MAX_RANGES_PER_PACKET + r) * 2;
            send.lost(sentRanges[base], sentRanges[base + 1]);
        }
    }

    private void advanceOldest() {
        while (oldestUnacked < nextPacket && (sentFlags[(int) (oldestUnacked & (PACKET_SLOTS - 1))] & (ACKED | LOST)) != 0) {
            oldestUnacked++;
        }
        maybeWritable();
    }

    private void maybeWritable() {
        if (wantWritable && send.bufferedBytes() <= config.sendBuffer / 2) {
            wantWritable = false;
            listener.onWritable();
        }
    }

    // ---- timers --------------------------------------------------------------------------------

    private boolean ackElicitingInFlight() {
        return congestion.bytesInFlight() > 0;
    }

    private long probeDeadline() {
        if (!ackElicitingInFlight()) {
            return Long.MAX_VALUE;
        }
        return lastAckElicitingSent + rtt.rto(probeCount) + config.maxAckDelayNanos;
    }

    /** The earliest time {@link #onTimer} has something to do. */
    public long nextDeadline() {
        if (dead) {
            return Long.MAX_VALUE;
        }
        long d = Math.min(lossTime, probeDeadline());
        if (unackedElicitingReceived > 0) {
            d = Math.min(d, ackDeadline);
        }
        d = Math.min(d, lastSent + config.keepaliveNanos);
        return Math.min(d, lastReceived + config.idleTimeoutNanos);
    }

    /** Runs whatever timers are due at {@code now}, then sends what they produced. */
    public void onTimer(long now) {
        if (dead) {
            return;
        }
        if (now - lastReceived >= config.idleTimeoutNanos) {
            die("no datagram from the peer for " + config.idleTimeoutNanos / 1_000_000 + " ms");
            return;
        }
        if (lossTime <= now) {
            detectLosses(now);
            advanceOldest();
        } else if (probeDeadline() <= now) {
            if (++probeCount > config.maxProbes) {
                die("peer did not answer " + config.maxProbes + " probes");
                return;
            }
            // RFC 9002 6.2.4: probes may carry old data; resending the oldest unacknowledged
            // packet's data is what recovers a lost tail without any new traffic.
            for (long pn = oldestUnacked; pn < nextPacket; pn++) {
                int slot = (int) (pn & (PACKET_SLOTS - 1));
                if ((sentFlags[slot] & (ACKED | LOST | ACK_ELICITING)) == ACK_ELICITING) {
                    resend(slot);
                    break;
                }
            }
            probesToSend = 2;
            lastAckElicitingSent = now; // the backoff restarts from this probe
        }
        if (now - lastSent >= config.keepaliveNanos) {
            pingPending = true;
        }
        flush(now);
    }

    /** Sends an ack-eliciting PING now: the first packet of a session, or a liveness check. */
    public void ping(long now) {
        pingPending = true;
        flush(now);
    }

    // ---- ending --------------------------------------------------------------------------------

    /** Ends the session from this side: tells the peer, and fails what was not delivered. */
    public void close(long now) {
        if (dead) {
            return;
        }
        closeToSend = true;
        flush(now);
        die("closed");
    }

    private void die(String reason) {
        if (dead) {
            return;
        }
        dead = true;
        deathReason = reason;
        for (long pn = oldestUnacked; pn < nextPacket; pn++) {
            int slot = (int) (pn & (PACKET_SLOTS - 1));
            if ((sentFlags[slot] & (IN_FLIGHT | ACKED | LOST)) == IN_FLIGHT) {
                congestion.onDiscarded(sentSize[slot]);
            }
        }
        send.failAll(deliveryEvents, reason);
        listener.onDead(reason);
    }

    // ---- state for stats and tests -------------------------------------------------------------

    /** True if packet number {@code pn} was already received (or is too old to tell). */
    public boolean isDuplicate(long pn) {
        return received.isDuplicate(pn);
    }

    void countDuplicate() {
        duplicatePackets++;
    }

    public long largestReceivedPacket() {
        return received.largest();
    }

    public boolean isDead() {
        return dead;
    }

    public String deathReason() {
        return deathReason;
    }

    public RttEstimator rtt() {
        return rtt;
    }

    public CongestionController congestion() {
        return congestion;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long packetsReceived() {
        return packetsReceived;
    }

    public long retransmitted() {
        return retransmitted;
    }

    public long probesSent() {
        return probesSent;
    }

    public long duplicatePackets() {
        return duplicatePackets;
    }

    public long malformedPackets() {
        return malformedPackets;
    }

    public long messagesReceived() {
        return messagesReceived;
    }

    public long pendingMessages() {
        return send.pendingMessages();
    }

    public long duplicateBytes() {
        return receive.duplicateBytes();
    }

    /** Packets declared lost over packets sent: the loss estimate shown in stats. */
    public double lossEstimate() {
        return packetsSent == 0 ? 0 : (double) retransmitted / packetsSent;
    }
}

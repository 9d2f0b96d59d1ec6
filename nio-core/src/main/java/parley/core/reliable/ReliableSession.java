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

        /**
         * The peer's application rejected message {@code messageId} (a REJECT frame) with an
         * application-defined reason code 1-255; it is never reported delivered. By default a failure.
         */
        default void onRejected(long messageId, int reason) {
            onFailed(messageId, "rejected by the peer's application (reason " + reason + ")");
        }

        /** The session ended; every undelivered message was reported failed just before. */
        void onDead(String reason);

        /** Room in the send buffer again after {@link #send} refused a message. */
        default void onWritable() {
        }

        default void onRttSample(long rttNanos) {
        }

        /**
         * False while the application cannot take another message (its store is backed up, say).
         * Delivery then stops, the delivered offset stops, and so the window the sender may fill
         * stops: back-pressure reaches the sender, and nothing acknowledged is dropped. Call
         * {@link ReliableSession#resumeDelivery} when it can take messages again.
         */
        default boolean acceptsMessages() {
            return true;
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
    private static final int CARRIED_REJECT = 16;
    /** Most packets in flight or awaiting an ack; the tables below grow up to it. */
    private static final int PACKET_SLOTS = 1 << 14;
    /** First size of the sent-packet tables; a power of two. Doubled when the window fills. */
    static final int INITIAL_PACKET_SLOTS = 64;

    private final ReliableConfig config;
    private final Output output;
    private final Listener listener;
    private final SendStream send;
    private final ReceiveStream receive;
    private final ReceivedPackets received = new ReceivedPackets();
    private final Rejections rejections = new Rejections();
    private boolean delivering;
    private final RttEstimator rtt;
    private final CongestionController congestion;
    private final ReceiveStream.MessageSink deliverToApp;
    private final SendStream.DeliveryListener deliveryEvents;

    // Sent packets, indexed by packet number modulo their length; they grow while more are outstanding.
    private final SentPackets sent = new SentPackets(INITIAL_PACKET_SLOTS, MAX_RANGES_PER_PACKET);
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
    private PathListener paths = PathListener.NONE;

    // Counters for stats; read on the loop.
    private long packetsSent;
    private long packetsReceived;
    private long retransmitted;
    private long probesSent;
    private long duplicatePackets;
    private long malformedPackets;
    private long messagesReceived;
    private long messagesRejected;

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
        this.deliverToApp = new ReceiveStream.MessageSink() {
            @Override
            public void onMessage(ByteBuffer m) {
                if (dead) {
                    return; // too many rejections killed the session mid-packet: the rest is not handed over
                }
                messagesReceived++;
                delivering = true;
                try {
                    listener.onMessage(m);
                } finally {
                    delivering = false;
                }
            }

            @Override
            public boolean ready() {
                return listener.acceptsMessages();
            }
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

    // ---- rejecting -----------------------------------------------------------------------------

    /**
     * Called from {@link Listener#onMessage} only: the application refuses the message it is being
     * given, with an opaque reason code 1-255. The sender hears it in a REJECT frame (reliably,
     * and always before any ACK whose delivered offset passes the message) and reports the message
     * failed instead of delivered. If more than {@link Rejections#CAPACITY} rejections are waiting
     * for the sender to acknowledge, the session dies instead.
     */
    public void rejectCurrent(int reason) {
        if (!delivering) {
            throw new IllegalStateException("rejectCurrent is only valid during onMessage");
        }
        if (reason < 1 || reason > 255) {
            throw new IllegalArgumentException("reject reason must be 1-255, not " + reason);
        }
        messagesRejected++;
        if (!rejections.add(receive.delivered(), reason)) {
            die("peer's messages were rejected faster than it acknowledged the rejections");
        }
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
        if (!send.makeRoom(length)) {
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
            if (!dataAllowed && !ackDue && !probe && !pingPending && !closeToSend && !rejections.unsent()) {
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
        sent.makeRoom(oldestUnacked, nextPacket, PACKET_SLOTS);
        long pn = nextPacket++;
        // Unconfirmed rejections go first, ahead of the ACK: its delivered offset may pass them.
        boolean eliciting = rejections.write(out, pn);
        if (withAck) {
            writeAck(out, now);
        }
        int slot = (int) (pn & sent.mask);
        int ranges = 0;
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
            sent.ranges[base] = offset;
            sent.ranges[base + 1] = offset + n;
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
        sent.record(slot, now, size, ranges,
                (eliciting ? ACK_ELICITING | IN_FLIGHT : 0) | (rejections.count() > 0 ? CARRIED_REJECT : 0));
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

    /** Bytes held by this session's buffers and tables, for the memory bound tests. */
    long retainedBytes() {
        return sent.retainedBytes() + send.retainedBytes() + receive.retainedBytes()
                + ReceivedPackets.WINDOW / 8;
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
        if (!Frames.valid(frames)) {
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
                case Frames.REJECT: {
                    long end = frames.getLong();
                    int reason = frames.get() & 0xFF;
                    long id = send.reject(end);
                    if (id > 0) {
                        listener.onRejected(id, reason);
                    }
                    eliciting = true;
                    break;
                }
                case Frames.PATH_CHALLENGE:
                    paths.onPathChallenge(frames.getLong());
                    break;
                case Frames.PATH_RESPONSE:
                    paths.onPathResponse(frames.getLong());
                    break;
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
                int slot = (int) (pn & sent.mask);
                int flags = sent.flags[slot];
                if ((flags & (ACKED | LOST)) == 0) {
                    sent.flags[slot] = flags | ACKED;
                    if ((flags & IN_FLIGHT) != 0) {
                        congestion.onAcked(sent.size[slot], sent.time[slot], pn, now);
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
            long sample = now - sent.time[(int) (largest & sent.mask)];
            if (sample > ackDelay + rtt.minimum()) {
                sample -= Math.min(ackDelay, config.maxAckDelayNanos);
            }
            rtt.sample(sample);
            listener.onRttSample(sample);
        }
        if (largest > largestAcked) {
            largestAcked = largest;
        }
        rejections.confirm(largest);
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
            int slot = (int) (pn & sent.mask);
            int flags = sent.flags[slot];
            if ((flags & (ACKED | LOST)) != 0 || (flags & ACK_ELICITING) == 0) {
                continue;
            }
            if (largestAcked - pn >= 3 || sent.time[slot] <= now - lossDelay) {
                declareLost(pn, slot, now);
            } else {
                lossTime = Math.min(lossTime, sent.time[slot] + lossDelay);
            }
        }
    }

    private void declareLost(long pn, int slot, long now) {
        sent.flags[slot] |= LOST;
        if ((sent.flags[slot] & IN_FLIGHT) != 0) {
            congestion.onLost(sent.size[slot], pn, now);
        }
        resend(slot);
        if ((sent.flags[slot] & CARRIED_REJECT) != 0 && rejections.count() > 0) {
            pingPending = true; // a packet must carry the unconfirmed rejections again
        }
        retransmitted++;
    }

    private void resend(int slot) {
        for (int r = 0; r < sent.rangeCount[slot]; r++) {
            int base = (slot * MAX_RANGES_PER_PACKET + r) * 2;
            send.lost(sent.ranges[base], sent.ranges[base + 1]);
        }
    }

    private void advanceOldest() {
        // Packets that are not ack-eliciting (acks, path frames) are never waited for: one that was
        // lost is never acknowledged nor declared lost, and must not hold the window's bottom.
        while (oldestUnacked < nextPacket && settled(sent.flags[(int) (oldestUnacked & sent.mask)])) {
            oldestUnacked++;
        }
        maybeWritable();
    }

    private static boolean settled(int flags) {
        return (flags & (ACKED | LOST)) != 0 || (flags & ACK_ELICITING) == 0;
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
                int slot = (int) (pn & sent.mask);
                if ((sent.flags[slot] & (ACKED | LOST | ACK_ELICITING)) == ACK_ELICITING) {
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

    /** Who hears PATH_CHALLENGE and PATH_RESPONSE frames. */
    public void pathListener(PathListener listener) {
        this.paths = listener;
    }

    /**
     * Sends a packet holding only a PATH_CHALLENGE or PATH_RESPONSE frame with its 8 bytes; the
     * output aims it (a challenge goes to the address being validated). It is not ack-eliciting
     * and nothing waits for it: a lost challenge is sent again when the peer's next packet comes
     * from the new address. Returns false if the socket had no room.
     */
    public boolean sendPathFrame(int type, long data, long now) {
        if (dead || nextPacket >= PN_LIMIT) {
            return false;
        }
        sent.makeRoom(oldestUnacked, nextPacket, PACKET_SLOTS);
        ByteBuffer out = output.packetBuffer();
        out.put((byte) type).putLong(data);
        long pn = nextPacket++;
        sent.record((int) (pn & sent.mask), now, out.position() + PeerPacket.OVERHEAD, 0, 0);
        if (oldestUnacked == pn) {
            oldestUnacked++;
        }
        packetsSent++;
        return output.transmit(out, pn, false);
    }

    /**
     * Delivers what arrived while {@link Listener#acceptsMessages} said no, and tells the peer at
     * once how far its window now reaches.
     */
    public void resumeDelivery(long now) {
        if (dead) {
            return;
        }
        long before = receive.delivered();
        if (receive.deliver(deliverToApp) < 0) {
            die("peer sent a message over the size limit");
            return;
        }
        if (receive.delivered() != before) {
            ackNow = true;
            flush(now);
        }
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
            int slot = (int) (pn & sent.mask);
            if ((sent.flags[slot] & (IN_FLIGHT | ACKED | LOST)) == IN_FLIGHT) {
                congestion.onDiscarded(sent.size[slot]);
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

    /** Messages the application refused with {@link #rejectCurrent}. */
    public long messagesRejected() {
        return messagesRejected;
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

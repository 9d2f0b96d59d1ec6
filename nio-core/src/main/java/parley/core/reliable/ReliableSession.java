package parley.core.reliable;

import parley.core.wire.MessageTooLargeException;

import java.nio.ByteBuffer;

/**
 * One direction-pair of a reliable peer session, as pure logic: it is given packets that already
 * passed authentication and the current time, and it hands back packets to seal and send, and
 * events for the application. It owns no socket, thread or clock, so every path is tested on
 * synthetic time. Its parts each have one job: {@link Sender} (the outgoing stream and the
 * peer's window), {@link Receiver} (the incoming stream, rejections and when to acknowledge),
 * {@link LossDetector} (RFC 9002 recovery over {@link SentPackets}), and {@link Frames} with
 * {@link AckFrame} (the frame codec), {@link PacketAssembler} (what goes into each outgoing
 * packet), {@link PacketReader} (what each incoming packet does). The session decides when to
 * send, and runs the timers.
 *
 * <p>Delivery: messages are cut into one of two ordered streams (PROTOCOL.md 9.9): stream 0 for
 * chat and control ({@link #send}), stream 1 for bulk data ({@link #sendBulk}), which is sent
 * only when stream 0 has nothing ready and is delivered apart from it, so chat never waits behind
 * bulk. On each stream every message arrives exactly once and in order. A message is reported delivered when the peer's application has taken it (the peer's
 * delivered offset, carried in every ACK, has passed its end), and failed when the session dies.
 *
 * <p>Recovery follows RFC 9002: a packet is lost when a later one is acknowledged and it is
 * {@link LossDetector#K_PACKET_THRESHOLD} packets older, or older by 9/8 of the RTT; a probe
 * timeout (RFC 6298's RTO with its backoff) sends a probe when acknowledgements stop, which recovers a lost last message with no other
 * traffic. Each transmission has a new packet number, so acks are never ambiguous (Karn).
 *
 * <p>Not thread-safe: one session belongs to one loop.
 */
public final class ReliableSession {
    /** Returned by {@link #send} when the send buffer or the pending-message table is full. */
    public static final long REFUSED = -1;

    private final ReliableConfig config;
    private final PacketOutput output;
    private final SessionListener listener;
    private final Sender sender;
    private final Receiver receiver;
    private final RttEstimator rtt;
    private final CongestionController congestion;
    private final SessionCounters counters = new SessionCounters();
    private final LossDetector loss;
    private final PacketAssembler packets;
    private final PacketReader reader;
    private final PmtuSearch pmtu;
    private final SuitesExchange suites;

    /** The last flush stopped on a full socket: the pacer's time is no deadline then (the drain is). */
    private boolean socketFull;

    private long lastReceived;
    private long lastSent;
    private boolean dead;
    private String deathReason;
    private PathListener paths = PathListener.NONE;

    public ReliableSession(ReliableConfig config, PacketOutput output, SessionListener listener, long now) {
        if (config.receiveWindow < config.maxMessage + 4) {
            throw new IllegalArgumentException("the receive window must hold the largest message");
        }
        this.config = config;
        this.output = output;
        this.listener = listener;
        this.sender = new Sender(config, listener);
        this.receiver = new Receiver(config, listener, counters);
        this.rtt = new RttEstimator(config.initialRttNanos, config.minRtoNanos, config.maxRtoNanos, config.granularityNanos);
        this.congestion = new CongestionController(config.initialWindow, config.minimumWindow, config.maxDatagram);
        this.pmtu = new PmtuSearch(config.maxDatagram);
        this.suites = new SuitesExchange(config.offerGcm);
        this.loss = new LossDetector(config, rtt, congestion, sender, counters, pmtu, suites);
        this.packets = new PacketAssembler(output, sender, receiver, loss, counters, pmtu, congestion, config.maxDatagram);
        this.reader = new PacketReader(this, sender, receiver, loss, packets, counters, listener, suites);
        this.lastReceived = now;
        this.lastSent = now;
    }

    // ---- rejecting -----------------------------------------------------------------------------

    /**
     * Called from {@link SessionListener#onMessage} only: the application refuses the message it is being
     * given, with an opaque reason code 1-255. The sender hears it in a REJECT frame (reliably,
     * and always before any ACK whose delivered offset passes the message) and reports the message
     * failed instead of delivered. If more than {@link Rejections#CAPACITY} rejections are waiting
     * for the sender to acknowledge, the session dies instead.
     */
    public void rejectCurrent(int reason) {
        if (!receiver.rejectCurrent(reason)) {
            die("peer's messages were rejected faster than it acknowledged the rejections");
        }
    }

    // ---- sending -------------------------------------------------------------------------------

    /**
     * Queues a message (position to limit) and returns its id, or {@link #REFUSED} when the send
     * buffer is full: the caller then waits for {@link SessionListener#onWritable}. Call {@link #flush}
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
        return sender.queue(message);
    }

    /**
     * Queues a message on stream 1, the bulk stream (PROTOCOL.md 9.9): it is sent only when stream
     * 0 has nothing the peer's window allows, and delivered apart from stream 0, so chat never
     * waits behind it. Its id is at least 2^62; otherwise as {@link #send}. A {@link BulkGate}
     * keeps what waits unsent here short.
     */
    public long sendBulk(ByteBuffer message) {
        int length = message.remaining();
        if (length > config.maxMessage) {
            throw new MessageTooLargeException(length, config.maxMessage);
        }
        if (dead) {
            throw new IllegalStateException("session is dead: " + deathReason);
        }
        return sender.queueBulk(message);
    }

    /**
     * Sends whatever is allowed now: acks, probes, lost data first, then new data; then a SUITES
     * frame in a packet of its own if one is due (so a session's hello PING goes first).
     */
    public void flush(long now) {
        if (dead) {
            return;
        }
        socketFull = false;
        packets.sendMtuProbeIfDue(now, PmtuSearch.PROBE_TIMEOUT_RTOS * rtt.rto());
        if (sendPackets(now) && suites.due() && !loss.exhausted()) {
            lastSent = now;
            socketFull = !packets.sendSuites(suites, now);
        }
    }

    /** The packets {@link #flush} sends; false if it stopped on a full socket or the session died. */
    private boolean sendPackets(long now) {
        while (true) {
            boolean probe = packets.probeOwed();
            boolean hasData = sender.hasDataToSend();
            boolean dataAllowed = hasData
                    && (probe || congestion.canSend(config.maxDatagram) && congestion.pacingAllows(now))
                    && loss.hasRoom();
            if (!dataAllowed && !receiver.mustSend(now) && !packets.controlPending()) {
                if (!hasData) {
                    congestion.onAppLimited();
                }
                return true;
            }
            if (loss.exhausted()) {
                die("packet numbers exhausted");
                return false;
            }
            lastSent = now;
            if (!packets.send(now, dataAllowed, receiver.ackWanted())) {
                socketFull = true; // the endpoint calls flush again when it drains
                return false;
            }
        }
    }

    /** Bytes held by this session's buffers and tables, for the memory bound tests. */
    long retainedBytes() {
        return loss.retainedBytes() + sender.retainedBytes() + receiver.retainedBytes();
    }

    // ---- receiving -----------------------------------------------------------------------------

    /**
     * One authenticated packet's frames (position to limit). Returns false if it was dropped: a
     * replayed or duplicate packet number, or frames that break the format ({@link PacketReader}).
     */
    public boolean onPacket(long pn, ByteBuffer frames, long now) {
        return !dead && reader.onPacket(pn, frames, now);
    }

    /** An accepted packet arrived at {@code now}: the idle timer starts again. */
    void received(long now) {
        lastReceived = now;
    }

    // ---- timers --------------------------------------------------------------------------------

    /** The earliest time {@link #onTimer} has something to do. */
    public long nextDeadline() {
        if (dead) {
            return Long.MAX_VALUE;
        }
        long d = Math.min(loss.lossTime(), loss.probeDeadline());
        d = Math.min(d, receiver.ackDeadline());
        d = Math.min(d, congestion.pacingDeadline(!socketFull && sender.hasDataToSend() && loss.hasRoom()));
        d = Math.min(d, lastSent + config.keepaliveNanos);
        d = Math.min(d, pmtu.deadline());
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
        if (loss.lossTime() <= now) {
            loss.detectLosses(now);
            packets.afterLossDetection();
        } else if (loss.probeDeadline() <= now) {
            if (!loss.onProbeTimeout(now)) {
                die("peer did not answer " + config.maxProbes + " probes");
                return;
            }
            packets.oweProbes(LossDetector.PTO_PROBE_PACKETS);
            paths.onProbeTimeout(now); // the path may have died: the session may move before the probes go
        }
        if (now - lastSent >= config.keepaliveNanos) {
            packets.owePing();
        }
        flush(now); // runs the datagram-size search's timer too (PacketAssembler.sendMtuProbeIfDue)
    }

    /** Who hears PATH_CHALLENGE and PATH_RESPONSE frames, and probe timeouts. */
    public void pathListener(PathListener listener) {
        this.paths = listener;
        reader.pathListener(listener);
    }

    /**
     * Sends a packet holding only a PATH_CHALLENGE or PATH_RESPONSE frame with its 8 bytes; the
     * output aims it (a challenge goes to the address being validated). It is not ack-eliciting
     * and nothing waits for it: a lost challenge is sent again when the peer's next packet comes
     * from the new address. Returns false if the socket had no room.
     */
    public boolean sendPathFrame(int type, long data, long now) {
        if (dead || loss.exhausted()) {
            return false;
        }
        return packets.sendPathFrame(type, data, now);
    }

    /**
     * Delivers what arrived while {@link SessionListener#acceptsMessages} said no, and tells the peer at
     * once how far its window now reaches.
     */
    public void resumeDelivery(long now) {
        if (dead) {
            return;
        }
        int resumed = receiver.resume();
        if (resumed < 0) {
            die("peer sent a message over the size limit");
        } else if (resumed > 0) {
            flush(now);
        }
    }

    /** Sends an ack-eliciting PING now: the first packet of a session, or a liveness check. */
    public void ping(long now) {
        packets.owePing();
        flush(now);
    }

    // ---- ending --------------------------------------------------------------------------------

    /** Ends the session from this side: tells the peer, and fails what was not delivered. */
    public void close(long now) {
        if (dead) {
            return;
        }
        packets.oweClose();
        flush(now);
        die("closed");
    }

    void die(String reason) {
        if (dead) {
            return;
        }
        dead = true;
        deathReason = reason;
        receiver.stop();
        loss.discardInFlight();
        sender.failAll(reason);
        output.onSessionEnded(reason);
        listener.onDead(reason);
    }

    // ---- state for stats and tests -------------------------------------------------------------

    /** True if packet number {@code pn} was already received (or is too old to tell). */
    public boolean isDuplicate(long pn) {
        return receiver.isDuplicate(pn);
    }

    void countDuplicate() {
        counters.duplicatePackets++;
    }

    public long largestReceivedPacket() {
        return receiver.largestPacket();
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

    PmtuSearch pmtu() {
        return pmtu;
    }

    /** Bytes of the datagrams that carry data now: the base, or what probing raised it to (PROTOCOL.md 9.8). */
    public int datagramSize() {
        return pmtu.size();
    }

    /** True if this side offered AES-256-GCM (PROTOCOL.md 9.3): it accepts datagrams with flags 0x01. */
    public boolean offersGcm() {
        return suites.offering();
    }

    /** True if the peer's latest SUITES frame accepts AES-256-GCM: we may seal with it. */
    public boolean peerAcceptsGcm() {
        return suites.peerAcceptsGcm();
    }

    /** SUITES frames this side sent (at most {@link SuitesExchange#MAX_SENDS}). */
    public int suitesSent() {
        return suites.sends();
    }

    /** True once the peer acknowledged one of our SUITES frames. */
    public boolean suitesAcked() {
        return suites.acked();
    }

    /** What this session counted: packets, losses, probes, drops, messages. */
    public SessionCounters counters() {
        return counters;
    }

    /** Bytes queued on both streams and never sent yet. */
    public long unsentBytes() {
        return sender.stream().unsent() + sender.bulkUnsent();
    }

    /** Stream 1 bytes queued and never sent yet: what the {@link BulkGate} keeps short. */
    public long unsentBulkBytes() {
        return sender.bulkUnsent();
    }

    public long pendingMessages() {
        return sender.pendingMessages();
    }

    public long duplicateBytes() {
        return receiver.duplicateBytes();
    }
}

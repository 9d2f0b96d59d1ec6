package parley.core.reliable;

/**
 * The sender's recovery, RFC 9002 sections 6 and 7 in the shape of Aeron's LossDetector: it
 * numbers packets, remembers what each one carried ({@link SentPackets}), marks them acknowledged
 * or lost, feeds the congestion controller and the RTT estimator, and hands lost stream ranges
 * back to the {@link Sender} (to the stream they came from) to be sent again. Time is passed in; it owns no clock or timer,
 * so every path runs on synthetic time. Loop thread only.
 *
 * <p>Each transmission gets a new packet number, so an ack never leaves it ambiguous which
 * transmission arrived (Karn's problem does not arise).
 */
final class LossDetector {
    /**
     * kPacketThreshold, RFC 9002 section 6.1.1: a packet is lost once a packet sent this many
     * packets after it is acknowledged. 3, as TCP's fast retransmit, tolerates mild reordering.
     */
    static final int K_PACKET_THRESHOLD = 3;
    /**
     * kTimeThreshold, RFC 9002 section 6.1.2: a packet is lost once a later one is acknowledged
     * and it was sent longer than 9/8 of max(smoothed RTT, latest RTT) ago. As a fraction, so
     * that no floating point runs per ack.
     */
    static final int K_TIME_THRESHOLD_NUMERATOR = 9;
    static final int K_TIME_THRESHOLD_DENOMINATOR = 8;
    /**
     * Packets sent when a probe timeout fires, RFC 9002 section 6.2.4 ("MAY send up to two"):
     * two, so that a single loss does not cost another whole timeout.
     */
    static final int PTO_PROBE_PACKETS = 2;
    /** Packet numbers are u32 on the wire; the session ends before they would wrap. */
    static final long PN_LIMIT = 0xFFFF_FFFFL;
    /** Most packets in flight or awaiting an ack; the tables grow up to it. */
    static final int PACKET_SLOTS = 1 << 14;
    /** First size of the sent-packet tables; a power of two. Doubled when the window fills. */
    static final int INITIAL_PACKET_SLOTS = 64;
    /** Stream ranges one packet carries at most. */
    static final int MAX_RANGES_PER_PACKET = 4;

    private final ReliableConfig config;
    private final RttEstimator rtt;
    private final CongestionController congestion;
    private final Sender send;
    private final SessionCounters counters;
    private final PmtuSearch pmtu;
    private final SentPackets sent = new SentPackets(INITIAL_PACKET_SLOTS, MAX_RANGES_PER_PACKET);
    private final SuitesExchange suites;

    private long nextPacket;
    private long oldestUnacked;
    private long largestAcked = -1;
    private long lastAckElicitingSent;
    private long lossTime = Long.MAX_VALUE;
    private int probeCount;
    private boolean rejectCarrierLost;
    private long rttSample;

    LossDetector(ReliableConfig config, RttEstimator rtt, CongestionController congestion, Sender send,
                 SessionCounters counters, PmtuSearch pmtu, SuitesExchange suites) {
        this.config = config;
        this.suites = suites;
        this.pmtu = pmtu;
        this.rtt = rtt;
        this.congestion = congestion;
        this.send = send;
        this.counters = counters;
    }

    // ---- sending -------------------------------------------------------------------------------

    /** True once every u32 packet number was used: the session must end. */
    boolean exhausted() {
        return nextPacket >= PN_LIMIT;
    }

    /** True while fewer than {@link #PACKET_SLOTS} packets await an ack: new data may go. */
    boolean hasRoom() {
        return nextPacket - oldestUnacked < PACKET_SLOTS;
    }

    /** Takes the next packet number, making room in the tables to remember it. */
    long nextPacketNumber() {
        sent.makeRoom(oldestUnacked, nextPacket, PACKET_SLOTS);
        return nextPacket++;
    }

    /** The {@code index}-th stream range [start, end) packet {@code pn} carries ({@link Sender#BULK_TAG} marks stream 1). */
    void recordRange(long pn, int index, long start, long end) {
        int base = ((int) (pn & sent.mask) * MAX_RANGES_PER_PACKET + index) * 2;
        sent.ranges[base] = start;
        sent.ranges[base + 1] = end;
    }

    /**
     * Packet {@code pn} of {@code size} bytes left (or was refused by a full socket: it stays
     * recorded, and loss detection resends its data like any loss's). A packet that is not
     * ack-eliciting is never waited for.
     */
    void onSent(long pn, long now, int size, int ranges, boolean eliciting, boolean carriedReject) {
        int flags = (eliciting ? SentPackets.ACK_ELICITING | SentPackets.IN_FLIGHT : 0)
                | (carriedReject ? SentPackets.CARRIED_REJECT : 0);
        sent.record((int) (pn & sent.mask), now, size, ranges, flags);
        if (eliciting) {
            congestion.onSent(size, pn, now);
            lastAckElicitingSent = now;
        } else if (oldestUnacked == pn) {
            oldestUnacked++;
        }
    }

    /**
     * Path-MTU probe {@code pn} of {@code size} bytes left (PROTOCOL.md 9.8). It is ack-eliciting
     * but not in flight: the congestion window never counts it, its loss is no congestion signal
     * and nothing in it is resent; an ack of it tells the {@link PmtuSearch} the size works.
     */
    void onMtuProbeSent(long pn, long now, int size) {
        sent.record((int) (pn & sent.mask), now, size, 0, SentPackets.ACK_ELICITING | SentPackets.MTU_PROBE);
    }

    /**
     * Packet {@code pn}, holding only a SUITES frame, left (PROTOCOL.md 9.3). Ack-eliciting and in
     * flight like a PING, so a probe timeout covers it; but its loss is no congestion signal (an
     * old peer drops it as malformed) and nothing in it is resent: the {@link SuitesExchange}
     * decides whether a new one goes.
     */
    void onSuitesSent(long pn, long now, int size) {
        sent.record((int) (pn & sent.mask), now, size, 0, SentPackets.ACK_ELICITING | SentPackets.IN_FLIGHT | SentPackets.SUITES);
        congestion.onSent(size, pn, now);
        lastAckElicitingSent = now;
    }

    /** True once the peer acknowledged a packet: its session exists, so a lost probe means the size. */
    boolean anyAcked() {
        return largestAcked >= 0;
    }

    // ---- acknowledgements ----------------------------------------------------------------------

    /**
     * Marks the packets an ACK frame names (read up to its first range) as acknowledged and takes
     * an RTT sample if the largest is newly acknowledged and ack-eliciting. Returns false, having
     * skipped its ranges, if it names a packet never sent: the whole frame is then ignored.
     */
    boolean onAck(AckFrame ack, long now) {
        long largest = ack.largest;
        rttSample = -1;
        if (largest >= nextPacket) {
            ack.skipRest();
            return false;
        }
        boolean newlyAcked = false;
        boolean largestNewlyAcked = false;
        long top = largest;
        long length = ack.firstRangeLength;
        for (int r = 0; ; r++) {
            long bottom = Math.max(oldestUnacked, top - length + 1);
            for (long pn = top; pn >= bottom; pn--) {
                int slot = (int) (pn & sent.mask);
                int flags = sent.flags[slot];
                if ((flags & (SentPackets.ACKED | SentPackets.LOST)) == 0) {
                    sent.flags[slot] = flags | SentPackets.ACKED;
                    if ((flags & SentPackets.IN_FLIGHT) != 0) {
                        congestion.onAcked(sent.size[slot], sent.time[slot], pn, now);
                        pmtu.onAcked(sent.size[slot], sent.time[slot]);
                    } else if ((flags & SentPackets.MTU_PROBE) != 0) {
                        pmtu.onProbeAcked(sent.size[slot], sent.time[slot], now);
                    }
                    if ((flags & SentPackets.SUITES) != 0) {
                        suites.onAcked();
                    }
                    newlyAcked = true;
                    largestNewlyAcked |= pn == largest && (flags & SentPackets.ACK_ELICITING) != 0;
                }
            }
            if (r == ack.extraRanges) {
                break;
            }
            long gap = ack.nextGap();
            long nextLength = ack.nextLength();
            top = top - length - gap; // below this range: gap missing packets, then the next range
            length = nextLength;
            if (top < oldestUnacked) {
                ack.skipRest();
                break;
            }
        }
        if (largestNewlyAcked) {
            // RFC 9002 section 5.3: subtract the peer's ack delay unless the sample would drop below min_rtt.
            long sample = now - sent.time[(int) (largest & sent.mask)];
            if (sample > ack.ackDelayNanos + rtt.minimum()) {
                sample -= Math.min(ack.ackDelayNanos, config.maxAckDelayNanos);
            }
            rtt.sample(sample);
            rttSample = sample;
            congestion.onRttSample(sample, rtt.smoothed(), now);
        }
        if (largest > largestAcked) {
            largestAcked = largest;
        }
        if (newlyAcked) {
            probeCount = 0;
        }
        return true;
    }

    /** The RTT sample the last {@link #onAck} took, or -1 if it took none. */
    long rttSample() {
        return rttSample;
    }

    /**
     * RFC 9002 section 6.1: declares lost every ack-eliciting packet below the largest acknowledged
     * that is {@link #K_PACKET_THRESHOLD} packets older or older by the time threshold, queues their
     * data again, arms the loss timer for the rest, and advances the window's bottom.
     */
    void detectLosses(long now) {
        lossTime = Long.MAX_VALUE;
        if (largestAcked >= 0) {
            long lossDelay = Math.max(config.granularityNanos,
                    Math.max(rtt.smoothed(), rtt.latest()) * K_TIME_THRESHOLD_NUMERATOR / K_TIME_THRESHOLD_DENOMINATOR);
            for (long pn = oldestUnacked; pn < largestAcked; pn++) {
                int slot = (int) (pn & sent.mask);
                if (settled(sent.flags[slot])) {
                    continue;
                }
                if (largestAcked - pn >= K_PACKET_THRESHOLD || sent.time[slot] <= now - lossDelay) {
                    declareLost(pn, slot, now);
                } else {
                    lossTime = Math.min(lossTime, sent.time[slot] + lossDelay);
                }
            }
        }
        advanceOldest();
    }

    private void declareLost(long pn, int slot, long now) {
        sent.flags[slot] |= SentPackets.LOST;
        if ((sent.flags[slot] & SentPackets.MTU_PROBE) != 0) {
            return; // the PmtuSearch times its probes itself: no congestion signal, nothing to resend
        }
        if ((sent.flags[slot] & SentPackets.SUITES) != 0) {
            congestion.onDiscarded(sent.size[slot]); // an old peer drops SUITES: no congestion signal
            suites.onLost(pn);
            return;
        }
        if ((sent.flags[slot] & SentPackets.IN_FLIGHT) != 0) {
            congestion.onLost(sent.size[slot], pn, now);
            if (pmtu.onLost(sent.size[slot], sent.time[slot], now)) {
                congestion.onBlackHole();
            }
        }
        resend(slot);
        if ((sent.flags[slot] & SentPackets.CARRIED_REJECT) != 0) {
            rejectCarrierLost = true;
        }
        counters.retransmitted++;
    }

    /** True once, after a lost packet carried REJECT frames: they must go out again. */
    boolean takeRejectCarrierLost() {
        boolean lost = rejectCarrierLost;
        rejectCarrierLost = false;
        return lost;
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
    }

    /** Acknowledged, lost, or never waited for. */
    private static boolean settled(int flags) {
        return (flags & (SentPackets.ACKED | SentPackets.LOST)) != 0 || (flags & SentPackets.ACK_ELICITING) == 0;
    }

    // ---- timers --------------------------------------------------------------------------------

    /** When the time threshold will declare a packet lost; {@code Long.MAX_VALUE} if none waits. */
    long lossTime() {
        return lossTime;
    }

    /** RFC 9002 section 6.2.1: the probe timeout, RFC 6298's RTO backed off per unanswered probe. */
    long probeDeadline() {
        if (congestion.bytesInFlight() == 0) {
            return Long.MAX_VALUE;
        }
        return lastAckElicitingSent + rtt.rto(probeCount) + config.maxAckDelayNanos;
    }

    /**
     * The probe timeout fired: returns false after {@link ReliableConfig#maxProbes} unanswered
     * probes in a row. Otherwise queues the oldest unacknowledged packet's data again (RFC 9002
     * 6.2.4: probes may carry old data, which recovers a lost tail without any new traffic) and
     * restarts the backoff from now; the caller sends {@link #PTO_PROBE_PACKETS} probes.
     */
    boolean onProbeTimeout(long now) {
        if (++probeCount > config.maxProbes) {
            return false;
        }
        for (long pn = oldestUnacked; pn < nextPacket; pn++) {
            int slot = (int) (pn & sent.mask);
            int f = sent.flags[slot] & (SentPackets.ACKED | SentPackets.LOST | SentPackets.ACK_ELICITING | SentPackets.MTU_PROBE);
            if (f == SentPackets.ACK_ELICITING && (sent.flags[slot] & SentPackets.SUITES) == 0) {
                resend(slot);
                if (pmtu.onUnanswered(sent.size[slot], sent.time[slot], now)) { // unanswered: a black hole looks like this
                    congestion.onBlackHole();
                }
                break;
            }
        }
        lastAckElicitingSent = now;
        suites.onProbeTimeout();
        return true;
    }

    /** The session died: what is still in flight leaves the congestion window. */
    void discardInFlight() {
        for (long pn = oldestUnacked; pn < nextPacket; pn++) {
            int slot = (int) (pn & sent.mask);
            if ((sent.flags[slot] & (SentPackets.IN_FLIGHT | SentPackets.ACKED | SentPackets.LOST)) == SentPackets.IN_FLIGHT) {
                congestion.onDiscarded(sent.size[slot]);
            }
        }
    }

    long retainedBytes() {
        return sent.retainedBytes();
    }
}

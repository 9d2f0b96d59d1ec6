package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Builds each outgoing packet of a {@link ReliableSession}: what goes into it and in which order
 * (unconfirmed rejections ahead of the ACK whose delivered offset may pass them, then CLOSE, stream
 * data chat first ({@link Sender#writeStreamFrames}), and a PING when a probe or liveness check has nothing else to elicit an ACK), records it
 * with the {@link LossDetector} and hands it to the output. It also holds the one-shot requests
 * that make a packet worth sending without data: probes owed after a timeout, a PING, a CLOSE.
 * It sizes each packet: the path's datagram size ({@link PmtuSearch}), but no more than the
 * congestion window has room for (never below the base size), and sends path-MTU probes.
 * Kept apart from the session so the session keeps to receiving, timers and its life cycle.
 */
final class PacketAssembler {
    private final PacketOutput output;
    private final Sender sender;
    private final Receiver receiver;
    private final LossDetector loss;
    private final SessionCounters counters;
    private final PmtuSearch pmtu;
    private final CongestionController congestion;
    private final int baseDatagram;

    private int probesToSend;
    private boolean pingPending;
    private boolean closeToSend;

    PacketAssembler(PacketOutput output, Sender sender, Receiver receiver, LossDetector loss, SessionCounters counters,
                    PmtuSearch pmtu, CongestionController congestion, int baseDatagram) {
        this.output = output;
        this.pmtu = pmtu;
        this.congestion = congestion;
        this.baseDatagram = baseDatagram;
        this.sender = sender;
        this.receiver = receiver;
        this.loss = loss;
        this.counters = counters;
    }

    /** True while a probe is owed: it may carry data whatever the window says. */
    boolean probeOwed() {
        return probesToSend > 0;
    }

    /** True while a probe, a PING or a CLOSE is waiting for a packet. */
    boolean controlPending() {
        return probesToSend > 0 || pingPending || closeToSend;
    }

    void owePing() {
        pingPending = true;
    }

    void oweProbes(int count) {
        probesToSend = count;
    }

    void oweClose() {
        closeToSend = true;
    }

    /** After losses were declared: rejections they carried must go again, and buffers may have room. */
    void afterLossDetection() {
        if (loss.takeRejectCarrierLost() && receiver.rejectionsPending()) {
            owePing(); // a packet must carry the unconfirmed rejections again
        }
        sender.maybeWritable();
    }

    /** Builds and transmits one packet; false if the socket refused it (it stays recorded). */
    boolean send(long now, boolean withData, boolean withAck) {
        ByteBuffer out = output.packetBuffer();
        // The window is in bytes: a big datagram takes only the room there is, and at least the base size.
        long room = congestion.window() - congestion.bytesInFlight();
        int datagram = (int) Math.min(pmtu.size(), Math.max(baseDatagram, room));
        out.limit(Math.min(out.limit(), datagram - PeerPacket.OVERHEAD));
        long pn = loss.nextPacketNumber();
        // Unconfirmed rejections go first, ahead of the ACK: its delivered offset may pass them.
        boolean eliciting = receiver.writeRejections(out, pn);
        if (withAck) {
            receiver.writeAck(out, now);
        }
        if (closeToSend) {
            Frames.writeClose(out, Frames.CLOSE_APPLICATION);
            closeToSend = false;
        }
        int ranges = withData ? sender.writeStreamFrames(out, pn, loss) : 0;
        eliciting |= ranges > 0;
        if ((probesToSend > 0 || pingPending) && !eliciting) {
            Frames.writePing(out);
            eliciting = true;
        }
        if (probesToSend > 0) {
            probesToSend--;
            counters.probesSent++;
        }
        pingPending = false;
        // A packet the socket refused stays recorded: loss detection resends its data like any loss.
        loss.onSent(pn, now, out.position() + PeerPacket.OVERHEAD, ranges, eliciting, receiver.rejectionsPending());
        counters.packetsSent++;
        return output.transmit(out, pn, ranges > 0);
    }

    /**
     * Sends a path-MTU probe if one is due (PROTOCOL.md 9.8): a PING, then PADDING to the probe's
     * size. Only once the peer acknowledged something, so that a probe lost to a session the peer
     * has not opened yet does not end the search. {@code timeout}: how long its ack may take.
     * Runs the search's timer first (a probe's time ran out, or a wait to search again ended).
     */
    void sendMtuProbeIfDue(long now, long timeout) {
        if (pmtu.deadline() <= now) {
            pmtu.onTimer(now);
        }
        if (!loss.anyAcked() || loss.exhausted()) {
            return;
        }
        ByteBuffer out = output.packetBuffer(); // first: a new path restarts the search here
        int size = pmtu.probeDue(now);
        if (size == 0 || out.limit() < size - PeerPacket.OVERHEAD) {
            return;
        }
        long pn = loss.nextPacketNumber();
        Frames.writePing(out);
        Frames.writePadding(out, size - PeerPacket.OVERHEAD);
        loss.onMtuProbeSent(pn, now, size);
        pmtu.onProbeSent(now, timeout);
        counters.packetsSent++;
        output.transmit(out, pn, false);
    }

    /**
     * A packet holding only a SUITES frame with {@code mask} (PROTOCOL.md 9.3): alone, because an
     * old receiver drops the whole packet as an unknown frame type. Ack-eliciting; sent whatever
     * the congestion window says, as it is tiny and goes at most three times. False if the socket
     * refused it (it stays recorded, and is declared lost like any other packet).
     */
    boolean sendSuites(SuitesExchange suites, long now) {
        ByteBuffer out = output.packetBuffer();
        long pn = loss.nextPacketNumber();
        SuitesFrame.write(out, suites.mask());
        loss.onSuitesSent(pn, now, out.position() + PeerPacket.OVERHEAD);
        suites.onSent(pn);
        counters.packetsSent++;
        return output.transmit(out, pn, false);
    }

    /** A packet holding only a PATH_CHALLENGE or PATH_RESPONSE: not ack-eliciting, never waited for. */
    boolean sendPathFrame(int type, long data, long now) {
        ByteBuffer out = output.packetBuffer();
        long pn = loss.nextPacketNumber();
        Frames.writePathFrame(out, type, data);
        loss.onSent(pn, now, out.position() + PeerPacket.OVERHEAD, 0, false, false);
        counters.packetsSent++;
        return output.transmit(out, pn, false);
    }
}

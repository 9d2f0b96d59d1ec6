package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * The receiving half of a session: which packets arrived ({@link ReceivedPackets}), the two
 * ordered streams they carry and their hand-over to the application ({@link ReceiveStream}:
 * stream 0 for chat and control, stream 1 for bulk data, PROTOCOL.md 9.9), the messages the
 * application refused ({@link Rejections}), and what the next ACK says and when it is owed
 * ({@link AckScheduler}). The streams are reassembled and delivered apart, so a hole in stream 1,
 * or an application that takes no bulk now ({@link SessionListener#acceptsBulk}), never holds
 * stream 0 back. The session feeds it the frames of authenticated packets and has it write its
 * REJECT, ACK and BULK_WINDOW frames into the packets it sends. Loop thread only.
 */
final class Receiver implements ReceiveStream.MessageSink {
    private final ReceivedPackets packets = new ReceivedPackets();
    private final ReceiveStream stream;
    /** Stream 1, made when the peer first sends on it: a chat-only session keeps the old footprint. */
    private ReceiveStream bulk;
    private final ReliableConfig config;
    private final BulkSink bulkSink = new BulkSink();
    /** During a stream 1 delivery: a rejection then sends no frame (PROTOCOL.md 9.9). */
    private boolean deliveringBulk;
    private final Rejections rejections = new Rejections();
    private final AckScheduler acks;
    private final SessionListener listener;
    private final SessionCounters counters;
    private boolean delivering;
    private boolean stopped;

    Receiver(ReliableConfig config, SessionListener listener, SessionCounters counters) {
        this.stream = new ReceiveStream(config.receiveWindow, config.maxMessage);
        this.config = config;
        this.acks = new AckScheduler(config.ackEveryPackets, config.maxAckDelayNanos);
        this.listener = listener;
        this.counters = counters;
    }

    // ---- packets -------------------------------------------------------------------------------

    /** True if packet number {@code pn} was already received (or is too old to tell). */
    boolean isDuplicate(long pn) {
        return packets.isDuplicate(pn);
    }

    long largestPacket() {
        return packets.largest();
    }

    /** Records packet {@code pn}, received at {@code now}; true if it is not the next number expected. */
    boolean record(long pn, long now) {
        boolean outOfOrder = pn != packets.largest() + 1;
        packets.record(pn);
        if (pn == packets.largest()) {
            acks.largestReceivedAt(now);
        }
        return outOfOrder;
    }

    /** True if the streams can keep all the STREAM and BULK data of these valid frames (position moved). */
    boolean fits(ByteBuffer frames) {
        return Frames.streamFits(frames, stream, this);
    }

    /** Stream 1's receive side, made on the first BULK frame (once per session). */
    ReceiveStream bulk() {
        if (bulk == null) {
            bulk = new ReceiveStream(config.receiveWindow, config.maxMessage);
        }
        return bulk;
    }

    /** STREAM frame data; false if it lies beyond the flow-control window (the peer broke the protocol). */
    boolean onStream(long offset, ByteBuffer f, int at, int length) {
        return stream.onData(offset, f, at, length);
    }

    /** BULK frame data, for stream 1; false if it lies beyond stream 1's window. */
    boolean onBulk(long offset, ByteBuffer f, int at, int length) {
        return bulk().onData(offset, f, at, length);
    }

    /** The packet just recorded asked for an ack. */
    void onEliciting(boolean outOfOrder, long now) {
        acks.onElicitingReceived(outOfOrder, now);
    }

    // ---- delivery ------------------------------------------------------------------------------

    /**
     * Hands every whole message of each stream in order to the application while it accepts that
     * stream's messages; false if one was over the size limit. Stream 0 first.
     */
    boolean deliver() {
        return stream.deliver(this) >= 0 && (bulk == null || bulk.deliver(bulkSink) >= 0);
    }

    /**
     * Delivers what waited while the application did not accept messages; if that moved the
     * delivered offset, the peer is owed an ACK at once (its window reopened). Returns -1 if a
     * message was over the size limit, 1 if an ACK is owed now, else 0.
     */
    int resume() {
        long before = stream.delivered();
        long bulkBefore = bulk == null ? 0 : bulk.delivered();
        if (!deliver()) {
            return -1;
        }
        if (stream.delivered() == before && (bulk == null || bulk.delivered() == bulkBefore)) {
            return 0;
        }
        acks.requestNow();
        return 1;
    }

    @Override
    public void onMessage(ByteBuffer m) {
        if (stopped) {
            return; // too many rejections killed the session mid-packet: the rest is not handed over
        }
        counters.messagesReceived++;
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

    /** Stream 1's hand-over: {@link SessionListener#onBulkMessage}, gated by {@link SessionListener#acceptsBulk}. */
    private final class BulkSink implements ReceiveStream.MessageSink {
        @Override
        public void onMessage(ByteBuffer m) {
            if (stopped) {
                return;
            }
            counters.messagesReceived++;
            delivering = true;
            deliveringBulk = true;
            try {
                listener.onBulkMessage(m);
            } finally {
                delivering = false;
                deliveringBulk = false;
            }
        }

        @Override
        public boolean ready() {
            return listener.acceptsBulk();
        }
    }

    /** See {@link ReliableSession#rejectCurrent}; false if too many rejections await confirmation. */
    boolean rejectCurrent(int reason) {
        if (!delivering) {
            throw new IllegalStateException("rejectCurrent is only valid during onMessage");
        }
        if (reason < 1 || reason > 255) {
            throw new IllegalArgumentException("reject reason must be 1-255, not " + reason);
        }
        counters.messagesRejected++;
        if (deliveringBulk) {
            return true; // stream 1 has no REJECT: the message is dropped, the file protocol answers for it
        }
        return rejections.add(stream.delivered(), reason);
    }

    /** The session died: nothing more is handed to the application. */
    void stop() {
        stopped = true;
    }

    // ---- what the next packet carries ------------------------------------------------------------

    /** True if an ACK must go out by {@code now}, or a rejection was never sent. */
    boolean mustSend(long now) {
        return acks.due(now) || rejections.unsent();
    }

    /** True if the next packet should carry an ACK: one is owed, due yet or not. */
    boolean ackWanted() {
        return acks.wanted();
    }

    /** When an ACK falls due by the delay timer; {@code Long.MAX_VALUE} if none is owed. */
    long ackDeadline() {
        return acks.deadline();
    }

    /** Every unconfirmed REJECT frame, into packet {@code pn}; true if any (they elicit an ack). */
    boolean writeRejections(ByteBuffer out, long pn) {
        return rejections.write(out, pn);
    }

    /** True while rejections await the sender's confirmation: a packet carrying them is watched for loss. */
    boolean rejectionsPending() {
        return rejections.count() > 0;
    }

    /** The sender acknowledged packets up to {@code largestAcked}: the rejections they carried are confirmed. */
    void confirmRejections(long largestAcked) {
        rejections.confirm(largestAcked);
    }

    /**
     * An ACK frame: largest packet, delay, stream 0's delivered offset and window limit, and the
     * ranges; then, once the peer opened stream 1 (sent a BULK frame), a BULK_WINDOW frame with
     * stream 1's.
     */
    void writeAck(ByteBuffer out, long now) {
        Frames.writeAckFields(out, packets.largest(), acks.delayMicros(now), stream.delivered(), stream.maxOffset());
        packets.writeRanges(out);
        if (bulk != null) {
            Frames.writeBulkWindow(out, bulk.delivered(), bulk.maxOffset());
        }
        acks.onAckSent();
    }

    long retainedBytes() {
        return stream.retainedBytes() + (bulk == null ? 0 : bulk.retainedBytes()) + ReceivedPackets.WINDOW / 8;
    }

    long duplicateBytes() {
        return stream.duplicateBytes() + (bulk == null ? 0 : bulk.duplicateBytes());
    }
}

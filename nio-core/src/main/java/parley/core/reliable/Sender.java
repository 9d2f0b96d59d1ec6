package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * The sending half of a session's stream: the {@link SendStream} of queued messages, how far the
 * peer lets us send (its window limit) and how far its application took them (its delivered
 * offset), both learned from its ACKs, and back-pressure to our application ({@code onWritable}
 * once half the buffer is free again). Packet numbers and losses are the {@link LossDetector}'s.
 * Loop thread only.
 */
final class Sender {
    private final SendStream stream;
    private final SessionListener listener;
    private final int sendBuffer;
    private long peerDelivered;
    private long peerMaxOffset;
    private boolean wantWritable;

    Sender(ReliableConfig config, SessionListener listener) {
        this.stream = new SendStream(config.sendBuffer, config.maxPendingMessages);
        this.listener = listener;
        this.sendBuffer = config.sendBuffer;
        this.peerMaxOffset = config.receiveWindow; // both sides use the same window until told otherwise
    }

    SendStream stream() {
        return stream;
    }

    /** Queues a message (position to limit): its id, or {@link ReliableSession#REFUSED} when the buffer is full. */
    long queue(ByteBuffer message) {
        if (!stream.makeRoom(message.remaining())) {
            wantWritable = true;
            return ReliableSession.REFUSED;
        }
        return stream.append(message);
    }

    /** True if lost or new bytes wait and the peer's window lets them go. */
    boolean hasDataToSend() {
        return stream.hasDataToSend(peerMaxOffset);
    }

    /**
     * Fills {@code out} with up to {@link LossDetector#MAX_RANGES_PER_PACKET} STREAM frames (lost
     * bytes first), recording each range as carried by packet {@code pn}; returns how many.
     */
    int writeStreamFrames(ByteBuffer out, long pn, LossDetector loss) {
        int ranges = 0;
        while (ranges < LossDetector.MAX_RANGES_PER_PACKET && out.remaining() > Frames.STREAM_OVERHEAD) {
            long offset = stream.nextChunk(out.remaining() - Frames.STREAM_OVERHEAD, peerMaxOffset);
            if (offset < 0) {
                break;
            }
            int n = stream.chunkLength;
            Frames.writeStreamHeader(out, offset, n);
            stream.copy(offset, n, out);
            loss.recordRange(pn, ranges, offset, offset + n);
            ranges++;
        }
        return ranges;
    }

    /** An ACK's offsets: the peer's window limit, and its delivered offset, which completes messages. */
    void onAckOffsets(long delivered, long windowLimit) {
        if (windowLimit > peerMaxOffset) {
            peerMaxOffset = windowLimit;
        }
        if (delivered > peerDelivered) {
            peerDelivered = delivered;
            stream.delivered(delivered, listener);
        }
    }

    /** A REJECT frame: the message ending at {@code end} is reported rejected, never delivered. */
    void onReject(long end, int reason) {
        long id = stream.reject(end);
        if (id > 0) {
            listener.onRejected(id, reason);
        }
    }

    /** Tells the application it may send again, if it was refused and half the buffer is free. */
    void maybeWritable() {
        if (wantWritable && stream.bufferedBytes() <= sendBuffer / 2) {
            wantWritable = false;
            listener.onWritable();
        }
    }

    /** The session died: every message not delivered is reported failed. */
    void failAll(String reason) {
        stream.failAll(listener, reason);
    }

    long pendingMessages() {
        return stream.pendingMessages();
    }

    long retainedBytes() {
        return stream.retainedBytes();
    }
}

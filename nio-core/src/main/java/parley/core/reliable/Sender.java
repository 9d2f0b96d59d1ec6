package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * The sending half of a session's two streams (PROTOCOL.md 9.9): stream 0 (chat and control,
 * STREAM frames) and stream 1 (bulk: file data, BULK frames), each a {@link SendStream} of queued
 * messages with how far the peer lets us send on it (its window limit) and how far its
 * application took it (its delivered offset), learned from ACK frames for stream 0 and
 * BULK_WINDOW frames for stream 1. It fills packets chat first ({@link #writeStreamFrames}) and
 * tells our application when it may send again ({@code onWritable} once half a refused stream's
 * buffer is free). Packet numbers and losses are the {@link LossDetector}'s; the ranges it
 * records carry {@link #BULK_TAG} for stream 1 so a loss goes back to the right stream.
 * Loop thread only.
 */
final class Sender {
    /**
     * Set in the start and end of a stream 1 range recorded with the {@link LossDetector}. A
     * stream's offsets count bytes this side wrote, so they stay far below 2^62.
     */
    static final long BULK_TAG = 1L << 62;

    private final SendStream chat;
    /** Stream 1, made on the first bulk message: a chat-only session keeps the old footprint. */
    private SendStream bulk;
    private final ReliableConfig config;
    private final SessionListener listener;
    private final int sendBuffer;
    private long peerDelivered;
    private long peerMaxOffset;
    private long bulkPeerDelivered;
    private long bulkPeerMaxOffset;
    private boolean wantWritable;

    Sender(ReliableConfig config, SessionListener listener) {
        this.chat = new SendStream(config.sendBuffer, config.maxPendingMessages);
        this.config = config;
        this.listener = listener;
        this.sendBuffer = config.sendBuffer;
        this.peerMaxOffset = config.receiveWindow; // both sides use the same window until told otherwise
        this.bulkPeerMaxOffset = config.receiveWindow; // stream 1 too (PROTOCOL.md 9.9)
    }

    SendStream stream() {
        return chat;
    }

    /** Stream 1's send side; made on first use (once per session). */
    SendStream bulkStream() {
        if (bulk == null) {
            bulk = new SendStream(config.sendBuffer, config.maxPendingMessages, SendStream.BULK_ID_BASE);
        }
        return bulk;
    }

    /** Queues a message (position to limit) on stream 0: its id, or {@link ReliableSession#REFUSED} when the buffer is full. */
    long queue(ByteBuffer message) {
        return queue(chat, message);
    }

    /** Queues a message on stream 1: its id (at least {@link SendStream#BULK_ID_BASE}), or {@link ReliableSession#REFUSED}. */
    long queueBulk(ByteBuffer message) {
        return queue(bulkStream(), message);
    }

    private long queue(SendStream stream, ByteBuffer message) {
        if (!stream.makeRoom(message.remaining())) {
            wantWritable = true;
            return ReliableSession.REFUSED;
        }
        return stream.append(message);
    }

    /** True if lost or new bytes wait on either stream and the peer's window for it lets them go. */
    boolean hasDataToSend() {
        return chat.hasDataToSend(peerMaxOffset) || bulk != null && bulk.hasDataToSend(bulkPeerMaxOffset);
    }

    /**
     * Fills {@code out} with up to {@link LossDetector#MAX_RANGES_PER_PACKET} frames, recording
     * each range as carried by packet {@code pn}; returns how many. Chat first: stream 0's lost
     * bytes, then its new bytes; only when stream 0 has nothing more the window allows, stream 1's
     * lost bytes, then its new bytes (PROTOCOL.md 9.9).
     */
    int writeStreamFrames(ByteBuffer out, long pn, LossDetector loss) {
        int ranges = write(chat, peerMaxOffset, Frames.STREAM, 0, out, pn, loss, 0);
        return bulk == null ? ranges : write(bulk, bulkPeerMaxOffset, Frames.BULK, BULK_TAG, out, pn, loss, ranges);
    }

    private static int write(SendStream stream, long peerMax, int type, long tag, ByteBuffer out, long pn,
                              LossDetector loss, int ranges) {
        while (ranges < LossDetector.MAX_RANGES_PER_PACKET && out.remaining() > Frames.STREAM_OVERHEAD) {
            long offset = stream.nextChunk(out.remaining() - Frames.STREAM_OVERHEAD, peerMax);
            if (offset < 0) {
                break;
            }
            int n = stream.chunkLength;
            Frames.writeDataHeader(out, type, offset, n);
            stream.copy(offset, n, out);
            loss.recordRange(pn, ranges, offset | tag, (offset + n) | tag);
            ranges++;
        }
        return ranges;
    }

    /** A lost packet carried the recorded range [start, end) (with {@link #BULK_TAG} for stream 1): send it again. */
    void lost(long start, long end) {
        if ((start & BULK_TAG) != 0) {
            bulkStream().lost(start & ~BULK_TAG, end & ~BULK_TAG);
        } else {
            chat.lost(start, end);
        }
    }

    /** An ACK's offsets for stream 0: the peer's window limit, and its delivered offset, which completes messages. */
    void onAckOffsets(long delivered, long windowLimit) {
        if (windowLimit > peerMaxOffset) {
            peerMaxOffset = windowLimit;
        }
        if (delivered > peerDelivered) {
            peerDelivered = delivered;
            chat.delivered(delivered, listener);
        }
    }

    /** A BULK_WINDOW frame: the same for stream 1. */
    void onBulkWindow(long delivered, long windowLimit) {
        if (windowLimit > bulkPeerMaxOffset) {
            bulkPeerMaxOffset = windowLimit;
        }
        if (delivered > bulkPeerDelivered && bulk != null) {
            bulkPeerDelivered = delivered;
            bulk.delivered(delivered, listener);
        }
    }

    /** A REJECT frame (stream 0 only): the message ending at {@code end} is reported rejected, never delivered. */
    void onReject(long end, int reason) {
        long id = chat.reject(end);
        if (id > 0) {
            listener.onRejected(id, reason);
        }
    }

    /** Tells the application it may send again, if it was refused and half of each buffer is free. */
    void maybeWritable() {
        if (wantWritable && chat.bufferedBytes() <= sendBuffer / 2 && (bulk == null || bulk.bufferedBytes() <= sendBuffer / 2)) {
            wantWritable = false;
            listener.onWritable();
        }
    }

    /** The session died: every message not delivered, on both streams, is reported failed. */
    void failAll(String reason) {
        chat.failAll(listener, reason);
        if (bulk != null) {
            bulk.failAll(listener, reason);
        }
    }

    /** Stream 1 bytes queued and never sent; 0 before any. */
    long bulkUnsent() {
        return bulk == null ? 0 : bulk.unsent();
    }

    long pendingMessages() {
        return chat.pendingMessages() + (bulk == null ? 0 : bulk.pendingMessages());
    }

    long retainedBytes() {
        return chat.retainedBytes() + (bulk == null ? 0 : bulk.retainedBytes());
    }
}

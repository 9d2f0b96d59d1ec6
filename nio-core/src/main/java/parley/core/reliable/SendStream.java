package parley.core.reliable;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The sender's side of one of a session's ordered byte streams (PROTOCOL.md 9.9). Each message is appended as a u32
 * length and its bytes; several small messages are then just adjacent bytes, which is what lets
 * a datagram carry many of them. Bytes stay in a ring until the peer reports them delivered to
 * its application, so they can be sent again when a packet is lost.
 *
 * <p>Message ids count up from 1 and their stream ends only grow, so the messages awaiting
 * delivery are a FIFO: the peer's delivered offset pops them off its head.
 *
 * <p>The ring and the message table start small and double when a message does not fit, up to
 * the configured capacity: an idle session costs a few kilobytes rather than megabytes, so a
 * contact who opens many sessions cannot exhaust the heap. Once grown they stay, so a busy
 * session's steady state allocates nothing.
 */
final class SendStream {
    /** First size of the byte ring; a power of two. */
    static final int INITIAL_RING = 2048;
    /** First size of the message-end table; a power of two. */
    static final int INITIAL_MESSAGES = 64;

    private final int maxRing;
    private final int maxMessages;
    /** Added to every message id this stream hands out or reports: 0 for stream 0, {@link #BULK_ID_BASE} for stream 1. */
    private final long idBase;
    private byte[] ring;
    private int mask;
    private long[] messageEnds;
    private int messageMask;
    private long written;
    private long released;
    private long nextNew;
    private long firstPendingId = 1;
    private long nextId = 1;
    // Lost ranges waiting to be sent again, oldest first: a growable ring of [start, end).
    private long[] lostStart = new long[64];
    private long[] lostEnd = new long[64];
    private int lostHead;
    private int lostCount;

    /** The ids of stream 1's messages start here, so that they never equal a stream 0 message's id (PROTOCOL.md 9.9). */
    static final long BULK_ID_BASE = 1L << 62;

    SendStream(int capacity, int maxPendingMessages) {
        this(capacity, maxPendingMessages, 0);
    }

    SendStream(int capacity, int maxPendingMessages, long idBase) {
        this.idBase = idBase;
        this.maxRing = Integer.highestOneBit(capacity - 1) << 1;
        this.maxMessages = Integer.highestOneBit(Math.max(2, maxPendingMessages) - 1) << 1;
        this.ring = new byte[Math.min(INITIAL_RING, maxRing)];
        this.mask = ring.length - 1;
        this.messageEnds = new long[Math.min(INITIAL_MESSAGES, maxMessages)];
        this.messageMask = messageEnds.length - 1;
    }

    /**
     * Makes room for a message of {@code length} bytes, counting its 4-byte length prefix,
     * growing the ring or the message table if they are below their maximum; false if the
     * maximum itself is full (back-pressure).
     */
    boolean makeRoom(int length) {
        long needBytes = written + 4 + length - released;
        if (needBytes > maxRing || nextId - firstPendingId >= maxMessages) {
            return false;
        }
        if (needBytes > ring.length) {
            growRing(needBytes);
        }
        if (nextId - firstPendingId >= messageEnds.length) {
            growMessages();
        }
        return true;
    }

    /** Doubles the ring until it holds {@code need} bytes; live bytes keep their stream offsets. */
    private void growRing(long need) {
        int size = ring.length;
        while (size < need) {
            size <<= 1;
        }
        byte[] bigger = new byte[size];
        int newMask = size - 1;
        for (long o = released; o < written; o++) {
            bigger[(int) (o & newMask)] = ring[(int) (o & mask)];
        }
        ring = bigger;
        mask = newMask;
    }

    private void growMessages() {
        long[] bigger = new long[messageEnds.length * 2];
        int newMask = bigger.length - 1;
        for (long id = firstPendingId; id < nextId; id++) {
            bigger[(int) (id & newMask)] = messageEnds[(int) (id & messageMask)];
        }
        messageEnds = bigger;
        messageMask = newMask;
    }

    /** Bytes held by this stream's arrays, for the memory bound tests. */
    long retainedBytes() {
        return ring.length + 8L * messageEnds.length + 16L * lostStart.length;
    }

    /** Appends {@code payload} (position to limit) and returns its id; the caller checked room. */
    long append(ByteBuffer payload) {
        int length = payload.remaining();
        putByte(written, length >>> 24);
        putByte(written + 1, length >>> 16);
        putByte(written + 2, length >>> 8);
        putByte(written + 3, length);
        long at = written + 4;
        int first = (int) Math.min(length, ring.length - (at & mask));
        payload.get(ring, (int) (at & mask), first);
        if (first < length) {
            payload.get(ring, 0, length - first);
        }
        written = at + length;
        long id = nextId++;
        messageEnds[(int) (id & messageMask)] = written;
        return idBase + id;
    }

    private void putByte(long offset, int v) {
        ring[(int) (offset & mask)] = (byte) v;
    }

    /** Whether there are bytes to send: lost ones, or new ones the peer's window allows. */
    boolean hasDataToSend(long peerMaxOffset) {
        trimLost();
        return lostCount > 0 || nextNew < Math.min(written, peerMaxOffset);
    }

    /**
     * Chooses the next chunk, lost bytes first, of at most {@code max} bytes, and returns its
     * offset; {@link #chunkLength} holds its length. Returns -1 when there is nothing to send.
     */
    long nextChunk(int max, long peerMaxOffset) {
        trimLost();
        if (lostCount > 0) {
            long start = lostStart[lostHead];
            long end = lostEnd[lostHead];
            int n = (int) Math.min(max, end - start);
            chunkLength = n;
            if (start + n >= end) {
                lostHead = (lostHead + 1) & (lostStart.length - 1);
                lostCount--;
            } else {
                lostStart[lostHead] = start + n;
            }
            return start;
        }
        long limit = Math.min(written, peerMaxOffset);
        if (nextNew >= limit) {
            return -1;
        }
        int n = (int) Math.min(max, limit - nextNew);
        long start = nextNew;
        nextNew += n;
        chunkLength = n;
        return start;
    }

    int chunkLength;

    /** Drops lost ranges, or their heads, that the peer has already delivered. */
    private void trimLost() {
        while (lostCount > 0) {
            if (lostEnd[lostHead] <= released) {
                lostHead = (lostHead + 1) & (lostStart.length - 1);
                lostCount--;
            } else {
                if (lostStart[lostHead] < released) {
                    lostStart[lostHead] = released;
                }
                return;
            }
        }
    }

    void copy(long offset, int length, ByteBuffer dst) {
        int first = (int) Math.min(length, ring.length - (offset & mask));
        dst.put(ring, (int) (offset & mask), first);
        if (first < length) {
            dst.put(ring, 0, length - first);
        }
    }

    /** A packet carrying [start, end) was lost: send those bytes again. */
    void lost(long start, long end) {
        if (end <= released) {
            return;
        }
        if (lostCount == lostStart.length) {
            grow();
        }
        int at = (lostHead + lostCount) & (lostStart.length - 1);
        lostStart[at] = Math.max(start, released);
        lostEnd[at] = end;
        lostCount++;
    }

    private void grow() {
        int n = lostStart.length;
        long[] s = new long[n * 2];
        long[] e = new long[n * 2];
        for (int i = 0; i < lostCount; i++) {
            s[i] = lostStart[(lostHead + i) & (n - 1)];
            e[i] = lostEnd[(lostHead + i) & (n - 1)];
        }
        lostStart = s;
        lostEnd = e;
        lostHead = 0;
    }

    /** The peer delivered everything before {@code offset}; reports the messages that completes. */
    void delivered(long offset, SessionListener listener) {
        if (offset <= released) {
            return;
        }
        released = Math.min(offset, written);
        while (firstPendingId < nextId && Math.abs(messageEnds[(int) (firstPendingId & messageMask)]) <= released) {
            long id = firstPendingId++;
            if (messageEnds[(int) (id & messageMask)] > 0) { // a rejected one was reported already
                listener.onDelivered(idBase + id);
            }
        }
    }

    /**
     * The peer's application rejected the message ending at stream offset {@code end}: returns its
     * id, now marked so it is never reported delivered, or -1 if no pending message ends there (or
     * it was rejected already). Binary search: pending ends only grow.
     */
    long reject(long end) {
        long lo = firstPendingId;
        long hi = nextId - 1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            long e = messageEnds[(int) (mid & messageMask)];
            long at = Math.abs(e);
            if (at == end) {
                if (e < 0) {
                    return -1;
                }
                messageEnds[(int) (mid & messageMask)] = -e;
                return idBase + mid;
            }
            if (at < end) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /** Reports every message not yet delivered as failed, and forgets them. */
    void failAll(SessionListener listener, String reason) {
        while (firstPendingId < nextId) {
            long id = firstPendingId++;
            if (messageEnds[(int) (id & messageMask)] > 0) {
                listener.onFailed(idBase + id, reason);
            }
        }
        released = written;
        nextNew = written;
        lostCount = 0;
    }

    long written() {
        return written;
    }

    long released() {
        return released;
    }

    long pendingMessages() {
        return nextId - firstPendingId;
    }

    long firstPendingId() {
        return firstPendingId;
    }

    long nextId() {
        return nextId;
    }

    long bufferedBytes() {
        return written - released;
    }

    /** Bytes written that were never sent: what a message written now waits behind. */
    long unsent() {
        return written - nextNew;
    }

    boolean allSentOnce() {
        return nextNew >= written;
    }

    @Override
    public String toString() {
        return "SendStream[written=" + written + ", released=" + released + ", nextNew=" + nextNew + ", lost="
                + Arrays.toString(Arrays.copyOf(lostStart, 0)) + lostCount + "]";
    }
}

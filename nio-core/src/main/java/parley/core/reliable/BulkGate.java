package parley.core.reliable;

/**
 * Keeps bulk data (a file transfer) from queueing in front of chat on the same session. Each
 * direction of a session is one ordered stream, so a chat message written after 4 MiB of file
 * data waits for all of it: 1.7 s at 20 Mbit/s. The gate admits a bulk message only while the
 * session's undelivered bulk bytes are within what the congestion controller may have in flight
 * plus a short lead ({@link #LEAD_NANOS} at the pacing rate, at least one bulk message), so the
 * link stays full but the bytes waiting ahead of a chat message sent at any moment are at most
 * that lead. Chat goes straight to {@link ReliableSession#send}; bulk waits in its source (a file
 * on disk) instead of in the stream. Nothing changes on the wire, and the peer needs no support.
 *
 * <p>Use: send bulk through {@link #sendBulk}; when it refuses, send more on the next
 * {@link #onDone} that returns true (call it from the listener's {@code onDelivered},
 * {@code onFailed} and {@code onRejected} for every message id). Bulk messages leave in the order
 * given and their ids grow, so the gate keeps them in a ring in that order. Loop thread only;
 * allocates nothing after construction, unless more than the ring's bulk messages are admitted
 * at once (then it grows).
 */
public final class BulkGate {
    /** Bytes of bulk data allowed to wait unsent, as time at the pacing rate (two loop ticks of the pacer). */
    static final long LEAD_NANOS = 4_000_000;

    private final ReliableSession session;
    private long[] ids = new long[64];
    private int[] sizes = new int[64];
    private int head;
    private int count;
    private long outstanding;
    private int largest;

    public BulkGate(ReliableSession session) {
        this.session = session;
    }

    /** True if a bulk message of {@code size} bytes would be admitted now. */
    public boolean admits(int size) {
        return count == 0 || outstanding + size <= limit(size);
    }

    /**
     * Sends a bulk message if the gate admits it: its id, or {@link ReliableSession#REFUSED} when
     * the gate or the session's send buffer refuses (try again on {@link #onDone}, or, for the
     * buffer, {@link SessionListener#onWritable}).
     */
    public long sendBulk(java.nio.ByteBuffer message) {
        int size = message.remaining();
        if (!admits(size)) {
            return ReliableSession.REFUSED;
        }
        long id = session.send(message);
        if (id != ReliableSession.REFUSED) {
            largest = Math.max(largest, size);
            push(id, size);
        }
        return id;
    }

    /**
     * A message of the session was delivered, failed or rejected. Returns true if bulk messages
     * left the gate with it (more may be admitted now).
     */
    public boolean onDone(long id) {
        boolean freed = false;
        while (count > 0 && ids[head] <= id) {
            outstanding -= sizes[head];
            head = (head + 1) % ids.length;
            count--;
            freed = true;
        }
        return freed;
    }

    /** Bulk bytes sent through the gate and not yet delivered. */
    public long outstanding() {
        return outstanding;
    }

    /** What may be outstanding: the congestion window, plus the lead. */
    long limit(int size) {
        CongestionController cc = session.congestion();
        long lead = Math.max(Math.max(largest, size), cc.pacingRate() * LEAD_NANOS / Pacer.NANOS_PER_SECOND);
        return cc.window() + lead;
    }

    private void push(long id, int size) {
        if (count == ids.length) {
            long[] moreIds = new long[ids.length * 2];
            int[] moreSizes = new int[ids.length * 2];
            for (int i = 0; i < count; i++) {
                moreIds[i] = ids[(head + i) % ids.length];
                moreSizes[i] = sizes[(head + i) % ids.length];
            }
            ids = moreIds;
            sizes = moreSizes;
            head = 0;
        }
        int tail = (head + count) % ids.length;
        ids[tail] = id;
        sizes[tail] = size;
        count++;
        outstanding += size;
    }
}

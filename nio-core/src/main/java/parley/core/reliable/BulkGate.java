package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Feeds bulk data (a file transfer) into a session's stream 1 (PROTOCOL.md 9.9) a little at a
 * time. Stream 1 is sent only when stream 0 (chat) has nothing ready, so chat no longer queues
 * behind unsent bulk bytes; what it can still wait behind is the datagram being sent and the
 * bulk data already in flight. The gate keeps the bulk bytes queued unsent
 * ({@link ReliableSession#unsentBulkBytes}) within a short lead: {@link #LEAD_NANOS} at the
 * pacing rate, but at least the largest bulk message; the last message admitted may take them past
 * it by less than its own size.
 * So the file waits in its source (on disk) rather than in the session's buffer, the send buffer
 * stays free, and the pacer never runs out of bulk data to send.
 *
 * <p>Use: send bulk through {@link #sendBulk}; when it refuses, try again when data has left:
 * on every acknowledgement ({@link SessionListener#onRttSample}) and every
 * {@link SessionListener#onWritable}. Loop thread only; allocates nothing.
 */
public final class BulkGate {
    /**
     * Bulk data allowed to wait unsent, as time at the pacing rate. Acks pump the gate, so this is
     * the pause in the acks (a receiving JVM descheduled on a busy host) that does not leave the
     * pacer without data.
     */
    static final long LEAD_NANOS = 8_000_000;

    private final ReliableSession session;
    private int largest;

    public BulkGate(ReliableSession session) {
        this.session = session;
    }

    /**
     * True if a bulk message of {@code size} bytes would be admitted now: while the bytes unsent
     * are under the lead, so that after a refill at least the lead waits (a message may take it
     * past the lead by less than its own size). (Admitting only while the message still fitted
     * under the lead left one 16,000-byte message's lead of 4 KB at 20 Mbit/s, 1.6 ms: acks
     * that came bunched through the lab's 40 ms delay left the pacer without data in every gain
     * cycle, and the standing-queue rule, which ignores a cycle the application limited, never
     * acted.)
     */
    public boolean admits(int size) {
        return session.unsentBulkBytes() < lead(size);
    }

    /**
     * Sends a bulk message on stream 1 if the gate admits it: its id, or
     * {@link ReliableSession#REFUSED} when the gate or the session's send buffer refuses.
     */
    public long sendBulk(ByteBuffer message) {
        int size = message.remaining();
        if (!admits(size)) {
            return ReliableSession.REFUSED;
        }
        long id = session.sendBulk(message);
        if (id != ReliableSession.REFUSED) {
            largest = Math.max(largest, size);
        }
        return id;
    }

    /**
     * Unsent bytes the gate allows: {@link #LEAD_NANOS} at the pacing rate, at least the largest
     * bulk message, and at least one datagram of the path's current size, so that the sender
     * always has a full datagram to send once probing raised it (PROTOCOL.md 9.8).
     */
    long lead(int size) {
        long rate = session.congestion().pacingRate();
        long floor = Math.max(Math.max(largest, size), session.datagramSize());
        return Math.max(floor, rate * LEAD_NANOS / Pacer.NANOS_PER_SECOND);
    }
}

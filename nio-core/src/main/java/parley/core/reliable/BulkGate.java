package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Keeps bulk data (a file transfer) from queueing in front of chat on the same session. Each
 * direction of a session is one ordered stream, so a chat message written after 4 MiB of file
 * data waits for all of it: 1.7 s at 20 Mbit/s. The gate admits a bulk message only while the
 * stream's bytes not yet sent ({@link ReliableSession#unsentBytes}) stay within a short lead:
 * {@link #LEAD_NANOS} at the pacing rate, but at least the largest bulk message, and one message
 * always when nothing waits. A chat message sent at any moment then waits behind at most that
 * lead, while the pacer never runs out of bulk data to send. Chat goes straight to
 * {@link ReliableSession#send}; bulk waits in its source (a file on disk) instead of in the
 * stream. Nothing changes on the wire, and the peer needs no support.
 *
 * <p>Use: send bulk through {@link #sendBulk}; when it refuses, try again when data has left:
 * on every acknowledgement ({@link SessionListener#onRttSample}) and every
 * {@link SessionListener#onWritable}. Loop thread only; allocates nothing.
 */
public final class BulkGate {
    /**
     * Bulk data allowed to wait unsent, as time at the pacing rate. Acks pump the gate, so this is
     * the pause in the acks (a receiving JVM descheduled on a busy host) that does not leave the
     * pacer without data; it is also the most a chat message waits behind bulk data unsent.
     */
    static final long LEAD_NANOS = 8_000_000;

    private final ReliableSession session;
    private int largest;

    public BulkGate(ReliableSession session) {
        this.session = session;
    }

    /** True if a bulk message of {@code size} bytes would be admitted now. */
    public boolean admits(int size) {
        long unsent = session.unsentBytes();
        return unsent == 0 || unsent + size <= lead(size);
    }

    /**
     * Sends a bulk message if the gate admits it: its id, or {@link ReliableSession#REFUSED} when
     * the gate or the session's send buffer refuses.
     */
    public long sendBulk(ByteBuffer message) {
        int size = message.remaining();
        if (!admits(size)) {
            return ReliableSession.REFUSED;
        }
        long id = session.send(message);
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

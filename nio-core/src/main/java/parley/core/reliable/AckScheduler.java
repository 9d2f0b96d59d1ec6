package parley.core.reliable;

/**
 * When the receiver acknowledges (RFC 9000 section 13.2): at once after a packet that arrived out
 * of order (the sender's loss detection waits for it), after every {@code ackEveryPackets}
 * ack-eliciting packets, and otherwise within {@code max_ack_delay} of the first unacknowledged
 * one. Packets that elicit nothing are acknowledged only alongside something else. Time is passed
 * in. Loop thread only.
 */
final class AckScheduler {
    private static final long NANOS_PER_MICRO = 1000;

    private final int ackEveryPackets;
    private final long maxAckDelayNanos;
    private long deadline = Long.MAX_VALUE;
    private int unackedEliciting;
    private boolean now;
    private long largestReceivedTime;

    AckScheduler(int ackEveryPackets, long maxAckDelayNanos) {
        this.ackEveryPackets = ackEveryPackets;
        this.maxAckDelayNanos = maxAckDelayNanos;
    }

    /** The packet with the largest number so far arrived at {@code at}: the ack delay counts from it. */
    void largestReceivedAt(long at) {
        largestReceivedTime = at;
    }

    /** An ack-eliciting packet was processed; {@code outOfOrder} if it was not the next number expected. */
    void onElicitingReceived(boolean outOfOrder, long at) {
        unackedEliciting++;
        if (outOfOrder || unackedEliciting >= ackEveryPackets) {
            now = true;
        } else if (deadline == Long.MAX_VALUE) {
            deadline = at + maxAckDelayNanos;
        }
    }

    /** Acknowledge in the next packet, whatever else is due (the receive window moved, say). */
    void requestNow() {
        now = true;
    }

    /** True if an ACK must go out by {@code at}. */
    boolean due(long at) {
        return now || unackedEliciting > 0 && at >= deadline;
    }

    /** True if the next packet should carry an ACK: one is owed, due yet or not. */
    boolean wanted() {
        return unackedEliciting > 0 || now;
    }

    /** When an ACK falls due by the delay timer; {@code Long.MAX_VALUE} if none is owed. */
    long deadline() {
        return unackedEliciting > 0 ? deadline : Long.MAX_VALUE;
    }

    /** The ACK delay field for an ack sent at {@code at}, in microseconds. */
    long delayMicros(long at) {
        return Math.max(0, (at - largestReceivedTime) / NANOS_PER_MICRO);
    }

    /** An ACK was written: nothing is owed any more. */
    void onAckSent() {
        unackedEliciting = 0;
        now = false;
        deadline = Long.MAX_VALUE;
    }
}

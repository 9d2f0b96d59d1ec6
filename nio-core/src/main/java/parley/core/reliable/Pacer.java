package parley.core.reliable;

/**
 * Spreads a session's datagrams over time at a rate, instead of sending each window as a burst
 * that a bottleneck queue must absorb. A virtual clock: each datagram moves the next permitted
 * send time on by its serialization time at the rate, and the clock may lag real time by at most
 * {@link #QUANTUM_NANOS}, the burst the loop may send at once. The quantum is the event loop's
 * timer granularity (a select timeout is whole milliseconds, rounded up): pacing finer than the
 * loop can wake would either spin or fall behind. Pure logic on the time passed in; allocates
 * nothing.
 */
final class Pacer {
    /** Longest burst, as time at the pacing rate: two of the loop's 1 ms timer ticks. */
    static final long QUANTUM_NANOS = 2_000_000;
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int minBurst;
    private long next = Long.MIN_VALUE / 2;
    private long rate;

    /** {@code minBurst}: bytes that may always leave at once, however low the rate (two datagrams). */
    Pacer(int minBurst) {
        this.minBurst = minBurst;
    }

    /** Bytes per second; 0 or less means unpaced. */
    void rate(long bytesPerSecond) {
        this.rate = bytesPerSecond;
    }

    long rate() {
        return rate;
    }

    /** True if a datagram may leave at {@code now}. */
    boolean allows(long now) {
        return rate <= 0 || next <= now;
    }

    /** When the next datagram may leave (at or before now if it may now). */
    long nextSendTime() {
        return rate <= 0 ? Long.MIN_VALUE : next;
    }

    /** A datagram of {@code bytes} left at {@code now}. */
    void onSent(int bytes, long now) {
        if (rate <= 0) {
            return;
        }
        long slack = Math.max(QUANTUM_NANOS, minBurst * NANOS_PER_SECOND / rate);
        next = Math.max(next, now - slack) + bytes * NANOS_PER_SECOND / rate;
    }
}

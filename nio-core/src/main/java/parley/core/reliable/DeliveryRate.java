package parley.core.reliable;

/**
 * Delivery-rate samples for the bandwidth filter: the bytes acknowledged over an interval of at
 * least the controller's sample length, capped by the bytes sent in that interval or the one
 * before. Acks can arrive faster than the bottleneck passed the data (compressed), never faster
 * than it was sent (BBR takes the lower of the two rates); what is acked now was sent in this
 * interval or the one before, as an interval is at least the minimum RTT. A sample taken while
 * the sender had nothing more to send says what the application offered, not what the path
 * carries, and is marked so. Pure arithmetic on the values passed in; allocates nothing.
 */
final class DeliveryRate {
    private long start = Long.MIN_VALUE;
    private long acked;
    private long sent;
    private long previousSent;
    private boolean appLimited;
    private boolean lastAppLimited;

    /** {@code bytes} went into flight at {@code now}; {@code idle}: nothing was in flight before. */
    void onSent(int bytes, long now, boolean idle) {
        if (idle && start == Long.MIN_VALUE) {
            start = now;
        }
        sent += bytes;
    }

    /** The sender had nothing more to send while the window and the pacer allowed it. */
    void onAppLimited() {
        appLimited = true;
    }

    /**
     * {@code bytes} were acknowledged at {@code now}: returns a sample in bytes per second once
     * the interval has lasted {@code length}, otherwise -1.
     */
    long onAcked(int bytes, long now, long length) {
        acked += bytes;
        if (start == Long.MIN_VALUE) {
            start = now;
            return -1;
        }
        long elapsed = now - start;
        if (elapsed < length) {
            return -1;
        }
        long delivered = Math.min(acked, Math.max(sent, previousSent));
        previousSent = sent;
        lastAppLimited = appLimited;
        start = now;
        acked = 0;
        sent = 0;
        appLimited = false;
        return delivered * Pacer.NANOS_PER_SECOND / elapsed;
    }

    /** Whether the sample just returned was taken while the application limited the sender. */
    boolean lastAppLimited() {
        return lastAppLimited;
    }
}

package parley.core.reliable;

/**
 * One PROBE_RTT (BBR): the window at its floor for {@link #NANOS} and at least one round, so that
 * our own queue drains and the lowest RTT sample taken meanwhile is the path's, or (in competing
 * mode) tells whether another flow's queue is still there. Pure logic on the times passed in.
 */
final class ProbeRtt {
    static final long NANOS = 200_000_000;

    private long done;
    private long startRound;
    private long min = Long.MAX_VALUE;

    /** A probe begins at {@code now}, in round {@code round}. */
    void start(long now, long round) {
        done = now + NANOS;
        startRound = round;
        min = Long.MAX_VALUE;
    }

    void onRtt(long rtt) {
        min = Math.min(min, rtt);
    }

    /** True once the probe has lasted its time and a round has ended since it began. */
    boolean over(long now, long round) {
        return now >= done && round > startRound;
    }

    /** The lowest RTT sample since the probe began, {@code Long.MAX_VALUE} with none. */
    long min() {
        return min;
    }
}

package parley.core.reliable;

/**
 * Tells startup when the pipe is full (BBR): the bandwidth estimate has not grown by
 * {@link #GROWTH_PERCENT}% for {@link #ROUNDS} rounds. Only a round in which a delivery-rate
 * sample the application did not limit was taken counts: a sample spans a minimum RTT, about a
 * round, so some rounds end with no new sample, and that is no evidence the growth stopped (at
 * 40 ms of RTT such rounds ended startup at 3% of a 100 Mbit/s link). Pure logic.
 */
final class FullPipe {
    /** Bandwidth growth under this (in percent) for {@link #ROUNDS} counted rounds means the pipe is full. */
    static final int GROWTH_PERCENT = 125;
    static final int ROUNDS = 3;

    private long fullBandwidth;
    private int flatRounds;
    private boolean sampled;

    /** A delivery-rate sample was taken; {@code appLimited} if the application had too little to send. */
    void onSample(boolean appLimited) {
        sampled |= !appLimited;
    }

    /** Startup begins again: no growth seen yet. */
    void reset() {
        fullBandwidth = 0;
        flatRounds = 0;
        sampled = false;
    }

    /** A round ended with the estimate at {@code bandwidth}: true once the pipe is full. */
    boolean roundEnded(long bandwidth) {
        boolean counted = sampled;
        sampled = false;
        if (!counted) {
            return false;
        }
        if (bandwidth * 100 >= fullBandwidth * GROWTH_PERCENT) {
            fullBandwidth = bandwidth;
            flatRounds = 0;
            return false;
        }
        return ++flatRounds >= ROUNDS;
    }
}

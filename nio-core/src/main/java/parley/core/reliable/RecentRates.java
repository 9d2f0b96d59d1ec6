package parley.core.reliable;

/**
 * The last {@link #SIZE} rates that standing queues of ours measured, and their median: the
 * bottleneck's rate as {@link StandingQueue} knows it. One measure is bytes acknowledged over a
 * cruise of six phases, and acks bunched at its ends move it: in the lab at 20 Mbit/s (a link of
 * 19.4 Mbit/s of goodput) one cycle's measures ran from 17.5 to 21.0 Mbit/s, and a ceiling taken
 * from a high one sat over the link and queued again within a cycle or two. The median of five
 * is off by one stalled host or one bunch of acks no more than the others allow. Pure logic, no
 * allocation after construction.
 */
final class RecentRates {
    static final int SIZE = 5;
    /**
     * How far apart the middle three of five measures may be, in percent of their median, and
     * still be one rate: the lab's measures of a 19.4 Mbit/s link ran 17.5-21.0 Mbit/s, their
     * middle three within 5-8% of each other.
     */
    static final int SETTLED_SPREAD_PERCENT = 10;

    private final long[] rates = new long[SIZE];
    private final long[] sorted = new long[SIZE];
    private int count;
    private int next;

    /** A standing queue measured {@code rate}, bytes per second. */
    void add(long rate) {
        rates[next] = rate;
        next = (next + 1) % SIZE;
        count = Math.min(SIZE, count + 1);
    }

    /**
     * True when {@link #SIZE} rates are held and the middle three are within
     * {@link #SETTLED_SPREAD_PERCENT}% of the median: the link's rate, measured again and again.
     * The first measures after startup are not: a process still compiling its hot code measured
     * 8.4, 10.3, 16.0 and 15.1 Mbit/s of a 19.4 link in the lab, and a ceiling that waited at
     * each of those in turn kept Parley alone at 86% of TCP's rate.
     */
    boolean settled() {
        if (count < SIZE) {
            return false;
        }
        sort();
        return (sorted[3] - sorted[1]) * 100 <= sorted[2] * SETTLED_SPREAD_PERCENT;
    }

    /** The median of the rates held (of an even count, the lower middle one), or 0 with none. */
    long median() {
        if (count == 0) {
            return 0;
        }
        sort();
        return sorted[(count - 1) / 2];
    }

    /** The rates held, in order, into the first {@link #count} places of {@code sorted}. */
    private void sort() {
        for (int i = 0; i < count; i++) {
            long r = rates[i];
            int j = i;
            for (; j > 0 && sorted[j - 1] > r; j--) {
                sorted[j] = sorted[j - 1];
            }
            sorted[j] = r;
        }
    }

    /** How many rates are held, up to {@link #SIZE}. */
    int count() {
        return count;
    }

    void clear() {
        count = 0;
        next = 0;
    }
}

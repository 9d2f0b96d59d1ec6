package parley.core.reliable;

/**
 * A {@link StandingQueue} ceiling's probe past a settled rate, on a path shorter than the loop's
 * step ({@link CongestionController#RTT_FLOOR_NANOS}): the ceiling back at the {@linkplain
 * RecentRates#median rate measured} waits {@link #WAIT_NANOS} there before it grows past it, as
 * BBRv3 waits 2-3 s between its bandwidth probes, and a queue that shows up while it grows past
 * it is this probe's own. Growing past it at once, 2% a 64 ms cycle, found the link again every
 * 4-5 cycles: at 20 Mbit/s the lab's tbf held more than a datagram 17-20% of the time, in 115-124
 * excursions in 10 s. Only on such a path: a CUBIC flow whose queue our minimum RTT holds in part
 * (3-7 ms, round 12) makes its queue look like ours, and a ceiling that waited at our share of it
 * handed that flow the rest. Pure logic on the times passed in.
 */
final class RateProbe {
    /** How long a ceiling at a settled rate waits before it grows past it. */
    static final long WAIT_NANOS = 2_000_000_000L;
    /**
     * What the probe carried counts as a measure only this far, in percent, over the rate
     * measured ({@link #measure}): a median that low is stale, and one a little under the link
     * (measures spread 5-8% around it) is left alone. In 4 traced lab runs at 100 Mbit/s no
     * probe was counted (round 18): the rule is for the rare stale median, and otherwise the
     * controller is as before.
     */
    static final int STALE_MEDIAN_PERCENT = 5;
    /** {@link #measure}: the probe measured nothing. */
    static final long NONE = -1;

    /** When the ceiling came back to the rate measured after the last cut, or Long.MIN_VALUE. */
    private long atRateSince = Long.MIN_VALUE;
    /** The ceiling grew past a settled rate after the wait: a queue that stands now is this probe's. */
    private boolean probing;
    /** The last cut ended such a probe. */
    private boolean ended;
    /**
     * The highest ceiling past the rate measured that a whole cycle of this probe carried without
     * a queue, the application never limiting it: the link is at least this fast. 0 with none.
     */
    private long carried;
    /** Probes whose end counted a measure. */
    private long measures;

    /**
     * True while a ceiling at the rate measured waits, on a path of {@code minRtt} whose measures
     * have {@code settled}; the wait starts at the first drained cycle that ends there.
     */
    boolean waiting(long now, long minRtt, boolean settled) {
        if (minRtt >= CongestionController.RTT_FLOOR_NANOS || !settled) {
            return false;
        }
        if (atRateSince == Long.MIN_VALUE) {
            atRateSince = now;
        }
        return now - atRateSince < WAIT_NANOS;
    }

    /**
     * The ceiling grows past the rate measured from {@code ceiling}, which the cycle just ended
     * carried with its last phase drained (unless {@code appLimited}): after a served wait, that is
     * our probe.
     */
    void grewPast(long ceiling, boolean appLimited) {
        probing |= atRateSince != Long.MIN_VALUE;
        carried = appLimited ? carried : Math.max(carried, ceiling);
    }

    /**
     * Our probe ended on its own queue, and its cruise {@code delivered} this many bytes a second
     * until then: returns the rate to count as a measure of the link, or {@link #NONE}. The link
     * is at least as fast as both that and the highest ceiling the probe carried; if the lower
     * of the two is {@link #STALE_MEDIAN_PERCENT}% or more over the {@code median} of the
     * measures, that median is stale. Without it, a median measured low (a traced lab run:
     * 88 Mbit/s on a link of 97) outlived every probe, each going back under it, and Parley
     * alone filled 87% of what TCP did. Only more: a probe that ended on another flow's queue
     * delivered our share of it, and a rate over the ceilings carried (acks bunched over a
     * phase or two) would set the ceiling to wait past the link.
     */
    long measure(long delivered, long median) {
        long atLeast = Math.min(delivered, carried);
        if (atLeast < median + median * STALE_MEDIAN_PERCENT / 100) {
            return NONE;
        }
        measures++;
        return atLeast;
    }

    /** Probes whose end counted a measure ({@link #measure}). */
    long measures() {
        return measures;
    }

    /** True while the ceiling grows past a settled rate after the wait. */
    boolean probing() {
        return probing;
    }

    /** A phase or a cycle is judged: what it decides says anew whether a probe ended. */
    void judging() {
        ended = false;
    }

    /** A cut (a standing queue measured, or the probe's queue seen): it ended the probe if one was under way. */
    void cut() {
        ended = probing;
        probing = false;
        atRateSince = Long.MIN_VALUE;
        carried = 0;
    }

    /** The ceiling left the rate measured without a cut (it shrank): the wait starts over when it is back. */
    void leftRate() {
        atRateSince = Long.MIN_VALUE;
    }

    /**
     * True if the last cut ended our probe: the ceiling had waited at a settled rate and grown past
     * it since, so the queue is ours, and the drain that follows may last until it is gone.
     */
    boolean ended() {
        return ended;
    }

    /** Forgets all of it (the ceiling is gone). */
    void clear() {
        atRateSince = Long.MIN_VALUE;
        probing = false;
        ended = false;
        carried = 0;
    }
}

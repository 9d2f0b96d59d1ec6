package parley.core.reliable;

/**
 * Tells when our own queue stands at the bottleneck although no other flow holds one, and what
 * the bottleneck's rate then is. The bandwidth estimate is the highest delivery rate of the last
 * samples, and acks that arrive bunched (a receiving JVM descheduled for a millisecond, batched
 * reads) make some samples read above the link: in the lab at 100 Mbit/s the estimate ran 10-45%
 * over the link, the pacer sent that much too fast, and the queue grew until the window (twice
 * the product plus the ack aggregation) stopped it, 5-10 ms deep all the time. The RTT tells:
 * when even the lowest RTT sample of the cycle's cruise (its six phases at gain 1) stays more
 * than {@link #allowance} above the minimum (but within the competitor detector's threshold: a
 * deeper queue is somebody else's, see {@link CompetitorDetector}), the queue stood all through
 * the cruise, so the link never idled, and the bytes acknowledged over the cruise divided by its
 * length are the bottleneck's rate, measured over six phases instead of one (bunching shifts a
 * few ms of acks, a few percent of that). The estimate is then held at {@link #KEEP_PERCENT}% of
 * the median of the last few such rates, this one among them ({@link RecentRates}), as a ceiling
 * (BBRv2's bw_lo), so the pacer drains the queue instead of keeping it.
 * After a cycle whose queue did not stand the ceiling moves by {@link #GROW_PERCENT}%: up if the
 * queue had drained by the cycle's last phase, down if it had not. Below that median, the rate
 * measured, it grows faster with each such cycle in a row, up to that rate (a
 * ceiling set too low comes back quickly); from there on by {@link #GROW_PERCENT}% a cycle (a
 * link that got faster is still found, and an overshoot past the link's rate is never more than
 * that), on a path shorter than the loop's step only after a wait at that rate once the
 * measures have settled, and then the first sign of a queue ends that probe ({@link RateProbe}),
 * and what it carried counts as a measure if that is well over it ({@link #endProbe}). A
 * standing queue whose RTT did not fall since the cut before it is first held one more cycle
 * under the ceiling, and only a second one in a row is taken for another flow's (the ceiling
 * dropped). On a long path one cycle is too coarse: at a 40 ms RTT it lasts 320 ms, and an
 * estimate 13% over the link queues 40 ms in it, so a cruise phase whose queue grew past half
 * the competitor detector's threshold sets the ceiling at once ({@link #phaseEnded}). Standing
 * queues whose measured rate keeps falling are another flow's ({@link ForeignQueue}, {@link #foreign}).
 * Pure logic on the values passed in.
 */
final class StandingQueue {
    /**
     * Queueing delay that counts as standing, unless a quarter of the minimum RTT is more. With
     * 1 ms a synthetic 100 Mbit/s receiver stalling 10 ms in 40 kept a queue p99 of 3.9 ms, with
     * 0.5 ms 2.3 ms.
     */
    static final long ALLOWANCE_FLOOR_NANOS = 500_000;
    /** The ceiling after a standing queue, in percent of the rate measured: a little under, to drain it. */
    static final int KEEP_PERCENT = 97;
    /**
     * Growth of the ceiling after a cycle whose queue had drained by its last phase, in percent
     * (growing after a cycle that ended on a queue too let the ceiling climb 5-7% over the link).
     */
    static final int GROW_PERCENT = 2;
    /**
     * Growth doubles with each such cycle in a row, up to this, while the ceiling is below the
     * {@linkplain #knownRate() rate measured}: a ceiling set low (a host that starved the JVMs,
     * startup ended early) must not hold the flow there for long. At 2% a cycle a lab phase took
     * 7 s to climb from 14 to 96 Mbit/s. (Doubling on past that rate, the ceiling went 2%, 4%,
     * then 8% over the link within three cycles, and the lab's bottleneck queue climbed to 6-10 ms
     * each time: the probe's p99 at 100 Mbit/s.)
     */
    static final int MAX_GROW_PERCENT = 32;
    /**
     * Past the rate measured the ceiling grows {@link #GROW_PERCENT}% a cycle for this many drained
     * cycles in a row; from then on it doubles its growth each such cycle again, as below that
     * rate. A ceiling past the link builds a queue within a cycle or two (2% over it, 1.3 ms in a
     * 64 ms cycle, past the allowance), which ends the run; a run this long says the rate measured
     * was low. A child JVM still compiling its hot code measured 17 and 30 Mbit/s of 100 in its
     * first 0.4 s, and at 2% a cycle the ceiling took 5-6 s to reach the link (Parley alone 76%
     * and 86% of the link, round 10).
     */
    static final int STALE_CYCLES = 4;
    /**
     * One standing queue cuts the bandwidth in use to no less than this share of it, in percent.
     * A host that starves the JVMs inflates every RTT sample and delivers a fraction of the rate:
     * one lab phase measured 5.2 Mbit/s of 100 that way, and the ceiling it set took 10 s to grow
     * back. A real overshoot (the lab's estimate ran up to 45% over the link, a synthetic receiver
     * stalling 10 ms in 40 ran it to 2.2 times) takes a few cycles to come down instead of one.
     */
    static final int MIN_KEEP_PERCENT = 70;
    /**
     * The ceiling never goes below this share (in percent) of the rate measured when it was first
     * set: our own queue is measured near the link's rate at once, while another flow's queue, below the minimum RTT
     * the competitor detector can judge by, wore a lab phase's ceiling down cycle by cycle from
     * 67 to 17 Mbit/s (Jain 0.77 against one CUBIC flow) before competing mode took over.
     */
    static final int FLOOR_PERCENT = 80;
    static final long NONE = Long.MAX_VALUE;

    private final ForeignQueue foreign;
    /** The last cycle's end took the queue for another flow's. */
    private boolean foundForeign;

    private long cruiseStart = Long.MIN_VALUE;
    private long cruiseAcked;
    private long cruiseMinRtt = Long.MAX_VALUE;
    private long lastPhaseMinRtt = Long.MAX_VALUE;
    private long phaseMinRtt = Long.MAX_VALUE;
    /**
     * The application limited the sender in this phase. The deep-phase rule asks only this, not
     * the whole cruise: a bulk sender's feed ran dry for a moment in some cycles (bunched acks
     * pump it), and that one moment blocked both rules in the lab's cycle that went competing.
     */
    private boolean phaseAppLimited;
    private boolean appLimited;
    private long ceiling = NONE;
    private long floor;
    private int growPercent = GROW_PERCENT;
    /** Drained cycles in a row that grew the ceiling past the rate measured ({@link #STALE_CYCLES}). */
    private int pastKnown;
    private long lastStandingMinRtt = Long.MAX_VALUE;
    /**
     * The rates the last standing queues measured; their median is the bottleneck's rate, as far
     * as we know ({@link #knownRate()}).
     */
    private final RecentRates rates = new RecentRates();
    /** The wait at a settled rate, and the probe past it. */
    private final RateProbe probe = new RateProbe();
    /**
     * A standing queue whose lowest RTT did not fall since the cut before it was seen once, and
     * the ceiling held: a second in a row says the queue is not ours.
     */
    private boolean heldOnce;
    private long standings;

    /** {@code datagram}: the largest datagram, in bytes. */
    StandingQueue(long datagram) {
        this.foreign = new ForeignQueue(datagram);
    }

    /** Queueing delay above which our queue counts as standing: 0.5 ms, or a quarter of the minimum RTT. */
    static long allowance(long minRtt) {
        return Math.max(ALLOWANCE_FLOOR_NANOS, minRtt / 4);
    }

    /**
     * Queueing delay that, standing all through a cruise phase, sets the ceiling at once: half
     * the competitor detector's threshold, or twice the allowance if that is less (paths under
     * 10 ms). On the lab's 0.06 ms path at 20 Mbit/s half the threshold is 5 ms, and a ceiling
     * 4-6% over the link queued 4-5 ms (10-11 datagrams) before its cycle's end set it; twice the
     * allowance, 1 ms, is over the jitter of a cruise phase's lowest RTT, which the allowance is
     * for.
     */
    static long deepPhase(long minRtt) {
        return Math.min(CompetitorDetector.threshold(minRtt) / 2, 2 * allowance(minRtt));
    }

    /** The cruise of a gain cycle begins at {@code now}. */
    void cruiseStarted(long now) {
        cruiseStart = now;
        cruiseAcked = 0;
        cruiseMinRtt = Long.MAX_VALUE;
        lastPhaseMinRtt = Long.MAX_VALUE;
        phaseMinRtt = Long.MAX_VALUE;
        appLimited = false;
        phaseAppLimited = false;
    }

    /**
     * A cruise phase before the last ended at {@code now}: returns true if the queue, which had
     * drained within the allowance earlier in this cruise, stood deeper than {@link #deepPhase}
     * all through this phase (but not past the competitor detector's threshold): one that grew so
     * fast is ours, not a CUBIC flow's in congestion avoidance (whose queue, standing from the
     * cycle before, this leaves to the cycle's end and the competitor detector). It then sets the
     * ceiling from the rate acknowledged since the cruise began, as a whole cycle's standing
     * queue does; the cycle should drain at once. An estimate 11% over the link
     * (bunched acks through the lab's 40 ms delay) queues 35 ms in a 320 ms cycle, from under the
     * allowance to past the threshold before the cycle's end could see it.
     */
    boolean phaseEnded(long now, long minRtt, long estimate) {
        probe.judging();
        long lowest = phaseMinRtt;
        boolean limited = phaseAppLimited;
        phaseMinRtt = Long.MAX_VALUE;
        phaseAppLimited = false;
        long start = cruiseStart;
        long threshold = CompetitorDetector.threshold(minRtt);
        if (probe.probing() && !limited && start != Long.MIN_VALUE && now > start
                && lowest > minRtt + allowance(minRtt) && lowest <= minRtt + threshold) {
            endProbe(cruiseRate(now, start)); // our probe past a settled rate queued through a phase: the link is no faster
            return true;
        }
        // no sample in the phase (lowest = Long.MAX_VALUE) fails the last test
        if (limited || start == Long.MIN_VALUE || now <= start
                || cruiseMinRtt > minRtt + allowance(minRtt)
                || lowest <= minRtt + deepPhase(minRtt) || lowest > minRtt + threshold) {
            return false;
        }
        cruiseStart = Long.MIN_VALUE;
        cut(cruiseRate(now, start), estimate, lowest);
        return true;
    }

    /** Bytes acknowledged since the cruise began at {@code start}, per second. */
    private long cruiseRate(long now, long start) {
        return cruiseAcked * Pacer.NANOS_PER_SECOND / (now - start);
    }

    /** The sender had less to send than it might have: no queue of ours says anything then. */
    void onAppLimited() {
        appLimited = true;
        phaseAppLimited = true;
    }

    /** Bytes acknowledged (counted while cruising). */
    void onAcked(long bytes) {
        if (cruiseStart != Long.MIN_VALUE) {
            cruiseAcked += bytes;
        }
    }

    /** An RTT sample taken while cruising ({@link GainCycle#cruising}); {@code lastPhase}: in the cycle's last phase. */
    void onCruiseRtt(long rtt, boolean lastPhase) {
        cruiseMinRtt = Math.min(cruiseMinRtt, rtt);
        phaseMinRtt = Math.min(phaseMinRtt, rtt);
        if (lastPhase) {
            lastPhaseMinRtt = Math.min(lastPhaseMinRtt, rtt);
        }
    }

    /**
     * The cycle ended at {@code now}: returns true if the queue stood through its cruise and a
     * ceiling holds (set from the rate measured, or kept for one more cycle), otherwise lets a
     * ceiling rise.
     */
    boolean cycleEnded(long now, long minRtt, long estimate) {
        long start = cruiseStart;
        cruiseStart = Long.MIN_VALUE;
        foundForeign = false;
        probe.judging();
        if (start == Long.MIN_VALUE || now <= start || minRtt == Long.MAX_VALUE) {
            return false;
        }
        long measured = cruiseRate(now, start);
        // a queue deeper than the competitor detector's threshold is its to judge: somebody
        // else's, and a ceiling would measure our share of it and hand the rest over
        boolean standing = !appLimited && cruiseMinRtt != Long.MAX_VALUE
                && cruiseMinRtt > minRtt + allowance(minRtt)
                && cruiseMinRtt <= minRtt + CompetitorDetector.threshold(minRtt);
        long lastQueue = appLimited || lastPhaseMinRtt == Long.MAX_VALUE ? -1 : lastPhaseMinRtt - minRtt;
        if (foreign.cycleEnded(standing, measured, now - start, lastQueue, allowance(minRtt), limit(estimate))) {
            dropCeiling(); // another flow's: the controller competes with it
            foundForeign = true;
            return false;
        }
        if (standing) {
            // our own queue shrinks once we pace under the link; one that did not since the last
            // cut is another flow's (a CUBIC flow's, while the minimum RTT is still too high for
            // the competitor detector to see it): hold, do not hand it our share cut by cut
            // (a lab phase was cut 11 times, from 94 to 14 Mbit/s, before the detector switched)
            // Our own queue can need two cycles, though: under a ceiling 3% below the link, a
            // queue of 5 ms drains 2 ms a cycle, and a clear after one cycle let the inflated
            // estimate (12-24% over the lab's link) build 6-10 ms of queue again at once.
            if (cruiseMinRtt >= lastStandingMinRtt) {
                if (!heldOnce) {
                    heldOnce = true; // hold the ceiling one more cycle; judge again after it
                    return true;
                }
                dropCeiling(); // not ours: let the estimate rule, as before round 5 (lab: Jain 0.79 held)
                return false;
            }
            cut(measured, estimate, cruiseMinRtt);
            return true;
        }
        lastStandingMinRtt = Long.MAX_VALUE;
        heldOnce = false;
        if (ceiling != NONE && ceiling > estimate) {
            // the ceiling held nothing back: leave it (growing it anyway, a lab trace saw 5x the
            // estimate; clamping it to the estimate, or dropping it there, brought the overshoot
            // back with the next high sample: queue p99 5-9 ms on a synthetic link)
            growPercent = GROW_PERCENT;
        } else if (ceiling != NONE && lastPhaseMinRtt <= minRtt + allowance(minRtt)) {
            long knownRate = knownRate();
            if (ceiling < knownRate) {
                // the queue had drained by the last phase, below the rate measured: more, twice
                // as much more each time in a row, up to that rate
                ceiling = Math.min(knownRate, ceiling + Math.max(1, ceiling * growPercent / 100));
                growPercent = Math.min(MAX_GROW_PERCENT, 2 * growPercent);
            } else if (probe.waiting(now, minRtt, rates.settled())) {
                growPercent = GROW_PERCENT; // at the rate measured: wait before probing past it
            } else {
                probe.grewPast(ceiling, appLimited);
                // past it: a little at a time, until a run of drained cycles says it was measured low
                growPercent = ++pastKnown > STALE_CYCLES ? Math.min(MAX_GROW_PERCENT, 2 * growPercent) : GROW_PERCENT;
                ceiling += Math.max(1, ceiling * growPercent / 100);
            }
        } else if (ceiling != NONE && probe.probing()) {
            endProbe(measured); // our probe past a settled rate had not drained by the last phase
            return true;
        } else if (ceiling != NONE) {
            ceiling = Math.max(floor, ceiling - Math.max(1, ceiling * GROW_PERCENT / 100)); // it had not: a little less
            growPercent = GROW_PERCENT;
            pastKnown = 0;
            probe.leftRate();
        }
        return false;
    }

    /**
     * The bottleneck's rate, as far as we know: the median of what the last standing queues
     * measured (our queue stood through the whole cruise, so the link never idled), 0 with none.
     * Not the highest: acks bunched at a cruise's end read a few percent over the link, and the
     * highest of them let the ceiling double its way 4-6% past the lab's link again.
     */
    private long knownRate() {
        return rates.median();
    }

    /**
     * True if the cut that {@link #cycleEnded} or {@link #phaseEnded} just made ended our own probe
     * past a settled rate ({@link RateProbe#ended}): the drain that follows may last until the queue is gone.
     */
    boolean ownProbe() {
        return probe.ended();
    }

    /** True if the last cycle's end took the queue for another flow's ({@link ForeignQueue}); the ceiling is gone. */
    boolean foreign() {
        return foundForeign;
    }

    /**
     * Ends our probe past a settled rate on the first sign of its queue: the ceiling goes back
     * under the rate measured, as a cut does, and the drain after it lasts until the queue is
     * gone ({@link #ownProbe}). The queue did not stand through a cruise, so nothing is measured,
     * unless what the probe carried, and what its cruise {@code delivered} until then, show the
     * rate measured stale ({@link RateProbe#measure}). {@link ForeignQueue} and {@link #standings}
     * do not count that.
     */
    private void endProbe(long delivered) {
        cruiseStart = Long.MIN_VALUE;
        long measure = probe.measure(delivered, knownRate());
        if (measure != RateProbe.NONE) {
            rates.add(measure);
        }
        ceiling = Math.max(floor, knownRate() * KEEP_PERCENT / 100);
        runEnded();
    }

    /** Holds the estimate under {@code measured}, the bottleneck's rate as a queue of ours that stood measured it. */
    private void cut(long measured, long estimate, long standingMinRtt) {
        boolean first = ceiling == NONE;
        rates.add(measured);
        // under the median, this measure among them: a measure the acks bunched high would leave
        // the ceiling over the link, and the queue would not drain; under the lower of the two
        // (rounds 13-15), one measure taken while a process waited for a CPU cut deep, and each
        // cut followed our falling share of another flow's queue down at once (round 16)
        long drain = knownRate() * KEEP_PERCENT / 100;
        ceiling = Math.max(floor, Math.max(drain, limit(estimate) * MIN_KEEP_PERCENT / 100));
        floor = first ? measured * FLOOR_PERCENT / 100 : floor;
        foreign.onCut(measured);
        lastStandingMinRtt = standingMinRtt;
        standings++;
        runEnded();
    }

    /** A cut, or the end of our probe, set the ceiling anew: the run of cycles that grew it, or held it, is over. */
    private void runEnded() {
        probe.cut();
        pastKnown = 0;
        heldOnce = false;
        growPercent = GROW_PERCENT;
    }

    /** The bandwidth to use: the estimate, held under the ceiling if there is one. */
    long limit(long estimate) {
        return Math.min(estimate, ceiling);
    }

    /** The ceiling in bytes per second, or {@link #NONE}. */
    long ceiling() {
        return ceiling;
    }

    /** Cycles whose queue stood. */
    long standings() {
        return standings;
    }

    /** Probes whose end counted what they carried as a measure ({@link RateProbe#measure}). */
    long probeMeasures() {
        return probe.measures();
    }

    /** Forgets the ceiling (startup, competing mode, a new path: the rate measured no longer holds). */
    void clear() {
        dropCeiling();
        foreign.clear();
        foundForeign = false;
    }

    /** Forgets the ceiling and what set it, but not what {@link ForeignQueue} has seen since the first one. */
    private void dropCeiling() {
        ceiling = NONE;
        floor = 0;
        lastStandingMinRtt = Long.MAX_VALUE;
        rates.clear();
        probe.clear();
        pastKnown = 0;
        heldOnce = false;
        growPercent = GROW_PERCENT;
        cruiseStart = Long.MIN_VALUE;
    }
}

package parley.core.reliable;

/**
 * Model-based congestion control in the shape of BBR: the sender estimates the bottleneck's
 * bandwidth (the highest delivery rate of the last few round trips, {@link BandwidthFilter}) and
 * the path's minimum RTT, paces its datagrams at that bandwidth ({@link Pacer}), and caps what is
 * in flight at twice their product, plus what bunched acks deliver beyond the estimate
 * ({@link AckAggregation}). A flow that sends at the bottleneck's rate and no faster
 * fills the link without building a queue, and random loss, which says nothing about the
 * bandwidth, does not slow it down: loss changes the model only when a round loses more than
 * {@link LossVerdict#LOSS_TOLERANCE_PERCENT}% of its packets while its RTT samples show a queue (a queue
 * overflowing). Loss with no queue behind it is the link's, however high: at 20% random loss
 * every verdict is over the tolerance, and cutting on each took the rate to a trickle.
 *
 * <p>States, as BBR: STARTUP doubles the rate each round until the bandwidth stops growing by a
 * quarter for three rounds; DRAIN empties the queue startup built; PROBE_BW cycles the pacing gain
 * ({@link GainCycle}) 1.25, 0.75, then six phases at 1, to find more bandwidth and give back the
 * queue it made, and holds the estimate under the rate measured when its own queue stood through
 * a cycle or grew deep in a phase ({@link StandingQueue}: bunched acks read as more bandwidth);
 * PROBE_RTT shrinks the window to its floor for 200 ms when the minimum RTT is 10 s old, so that
 * the minimum is measured without our own queue.
 *
 * <p>Competing mode. A loss-based flow (TCP CUBIC) fills whatever queue the bottleneck has, and
 * a flow whose window is bounded by twice the bandwidth-delay product at the minimum RTT then
 * gets almost nothing. When {@link CompetitorDetector} sees that somebody else holds the queue
 * (or {@link ForeignQueue} does, for a queue held since before we started), it switches to TCP
 * CUBIC's window ({@link CubicWindow}), cut once per {@link CongestionEpisode} (a loss, or the
 * queue full once the window regrew: {@link FullQueueSignal}), paced at 1.25 x window / SRTT. At
 * each recheck a PROBE_RTT tells whether the competitor is gone (the RTT falls back near the
 * minimum), and then the model rules again.
 *
 * <p>Time is passed in; pure logic on packet numbers, sizes and times, and nothing is allocated
 * after construction. Loop thread only.
 */
public final class CongestionController {
    /** Gains are in thousandths. */
    static final int GAIN_UNIT = 1000;
    /** 2/ln 2: the smallest gain that doubles the delivery rate each round (BBR). */
    static final int STARTUP_GAIN = 2885;
    /** The inverse of the startup gain: drains in one round the queue startup built. */
    static final int DRAIN_GAIN = 347;
    /** Window cap in PROBE_BW: twice the bandwidth-delay product leaves room for delayed and batched acks. */
    static final int WINDOW_GAIN = 2000;
    /**
     * The shortest interval the model reasons about: the event loop wakes on whole milliseconds,
     * so a path whose RTT is below this still sees acks and sends in steps of about this much.
     * The window's bandwidth-delay product uses at least this RTT.
     */
    static final long RTT_FLOOR_NANOS = 2_000_000;
    /**
     * The shortest delivery-rate sample and gain-cycle phase. Acks reach a Java loop in clumps
     * (batched reads, the peer's ack delay, scheduling on a busy machine): over 2 ms the lab saw
     * rates twice the link's; over 8 ms, and capped by the rate sent in the same interval, the
     * estimate stays within a few percent of it.
     */
    static final long SAMPLE_FLOOR_NANOS = 8_000_000;
    /** A minimum RTT older than this is measured again in PROBE_RTT (BBR: 10 s). */
    static final long MIN_RTT_WINDOW_NANOS = 10_000_000_000L;
    /** Bandwidth estimate kept after a congested round, as a fraction. */
    static final int CONGESTED_KEEP_NUM = 7;
    static final int CONGESTED_KEEP_DEN = 10;

    /** BBR's states. */
    public enum State { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    private final long maxDatagram;
    private final long minimumWindow;
    private final long initialWindow;
    private final BandwidthFilter bandwidth = new BandwidthFilter();
    private final Pacer pacer;
    private final CubicWindow lossWindow;

    private State state = State.STARTUP;
    private long window;
    private long bytesInFlight;
    private boolean filledPipe;
    private final FullPipe fullPipe = new FullPipe();
    private final GainCycle cycle = new GainCycle();
    private final StandingQueue standingQueue;

    private long minRtt = Long.MAX_VALUE;
    private long minRttStamp;
    private long smoothedRtt;
    private final ProbeRtt probeRtt = new ProbeRtt();

    private final DeliveryRate deliveryRate = new DeliveryRate();

    private final CompetitorDetector competitor = new CompetitorDetector();
    private final FullQueueSignal fullQueue = new FullQueueSignal();
    private final AckAggregation aggregation = new AckAggregation();

    private final Rounds round = new Rounds();
    private final CongestionEpisode episode = new CongestionEpisode();
    private final LossVerdict verdict = new LossVerdict();
    private long reductions;
    private long lossCuts;

    public CongestionController(int initialWindow, int minimumWindow, int maxDatagram) {
        this.window = initialWindow;
        this.initialWindow = initialWindow;
        this.minimumWindow = minimumWindow;
        this.maxDatagram = maxDatagram;
        this.pacer = new Pacer(2 * maxDatagram);
        this.lossWindow = new CubicWindow(minimumWindow, maxDatagram);
        this.standingQueue = new StandingQueue(maxDatagram);
    }

    /** True if the window has room for {@code bytes} more in flight. */
    public boolean canSend(int bytes) {
        return bytesInFlight + bytes <= window;
    }

    /** True if the pacer lets a datagram leave at {@code now}. */
    public boolean pacingAllows(long now) {
        return pacer.allows(now);
    }

    /** When the pacer lets the next datagram leave. */
    public long nextSendTime() {
        return pacer.nextSendTime();
    }

    /** When the pacer releases data waiting to go; never while the window is full (an ack releases it then). */
    public long pacingDeadline(boolean waiting) {
        return waiting && canSend((int) maxDatagram) ? pacer.nextSendTime() : Long.MAX_VALUE;
    }

    /** Packet {@code packetNumber}, of {@code bytes}, went into flight at {@code now}. Numbers only grow. */
    public void onSent(int bytes, long packetNumber, long now) {
        deliveryRate.onSent(bytes, now, bytesInFlight == 0);
        bytesInFlight += bytes;
        round.onSent(packetNumber);
        pacer.onSent(bytes, now);
    }

    /**
     * The sender had nothing more to send while the window and the pacer allowed it: the delivery
     * rate measured now says what the application offered, not what the path carries.
     */
    public void onAppLimited() {
        deliveryRate.onAppLimited();
        standingQueue.onAppLimited();
    }

    /** An RTT sample ({@code rtt}) and the smoothed RTT after it. */
    public void onRttSample(long rtt, long smoothed, long now) {
        smoothedRtt = smoothed;
        if (rtt < minRtt) {
            minRtt = rtt;
            minRttStamp = now;
        }
        competitor.onRtt(rtt);
        fullQueue.onRtt(rtt);
        verdict.onRtt(rtt);
        probeRtt.onRtt(rtt);
        if (state == State.PROBE_BW && cycle.cruising()) {
            standingQueue.onCruiseRtt(rtt, cycle.lastPhase());
        } else if (state == State.PROBE_BW && rtt <= minRtt + StandingQueue.allowance(minRtt)) {
            cycle.onQueueEmpty(); // a drain until the queue is gone ends with this
        }
    }

    /** A packet in flight, sent at {@code sentTime}, was acknowledged. */
    public void onAcked(int bytes, long sentTime, long packetNumber, long now) {
        bytesInFlight -= bytes;
        round.onAcked();
        standingQueue.onAcked(bytes);
        aggregation.onAcked(bytes, now, bandwidth.estimate(), round.count());
        if (competitor.competing()) {
            lossWindow.onAcked(bytes, sentTime, now, Math.max(RTT_FLOOR_NANOS, smoothedRtt));
        } else if (state == State.STARTUP) {
            window += bytes; // slow start; the pacer, at the startup gain, sets the rate
        }
        long sample = deliveryRate.onAcked(bytes, now, phase());
        if (sample >= 0) {
            boolean appLimited = deliveryRate.lastAppLimited();
            bandwidth.add(sample, appLimited || state == State.PROBE_RTT);
            fullPipe.onSample(appLimited);
        }
        endRoundAfter(packetNumber, now);
        update(now);
    }

    /** A packet in flight was declared lost. */
    public void onLost(int bytes, long packetNumber, long now) {
        bytesInFlight -= bytes;
        round.onLost(packetNumber);
        episode.onLost(packetNumber);
        endRoundAfter(packetNumber, now);
        update(now);
    }

    /**
     * A path-MTU black hole was declared ({@link PmtuSearch}): the delivery-rate samples of the
     * second before measured datagrams dropped for their size, not the link. As after RFC 9002's
     * persistent congestion, the model starts over: STARTUP from the initial window, no estimate,
     * no ceiling, and the losses of what is in flight now count in no verdict; the minimum RTT
     * stays. Competing mode's CUBIC window answered those losses already (PROTOCOL.md 9.4).
     */
    public void onBlackHole() {
        if (competitor.competing()) {
            return;
        }
        round.forgetInFlight();
        verdict.clear();
        bandwidth.clear();
        fullPipe.reset();
        filledPipe = false;
        standingQueue.clear();
        state = State.STARTUP;
        window = initialWindow;
        setWindowAndRate();
    }

    /** A packet left the flight without an ack or a loss verdict (the session ended). */
    public void onDiscarded(int bytes) {
        bytesInFlight -= bytes;
    }

    /** The RTT of the bandwidth-delay product: the minimum RTT, but never below {@link #RTT_FLOOR_NANOS}. */
    private long interval() {
        return Math.max(RTT_FLOOR_NANOS, minRtt == Long.MAX_VALUE ? 0 : minRtt);
    }

    /** A sample's and a gain phase's length: the minimum RTT, but never below {@link #SAMPLE_FLOOR_NANOS}. */
    private long phase() {
        return Math.max(SAMPLE_FLOOR_NANOS, interval());
    }

    /** Once the fate of the round's last packet is known, judges the round and starts the next. */
    private void endRoundAfter(long packetNumber, long now) {
        if (!round.endedBy(packetNumber)) {
            return;
        }
        // in startup the minimum may hold another flow's queue, and half of it can be more than the
        // queue has left: the floor alone (PROTOCOL.md 9.4, Loss)
        long queue = state == State.STARTUP ? CompetitorDetector.QUEUE_FLOOR_NANOS : CompetitorDetector.threshold(minRtt);
        boolean congested = verdict.addRound(round.acked(), round.lost(), minRtt, queue);
        if (competitor.competing()) {
            // the signal is judged only here: startCompeting resets it, so rounds before say nothing
            boolean queueFilled = fullQueue.roundEnded(minRtt, lossWindow.regained());
            if (state != State.PROBE_RTT && episode.roundEnded(packetNumber, queueFilled, fullQueue.armed(), round.lastSent())) {
                // as the loss-based flows it shares with do: a loss cuts as CUBIC does; so does a
                // full queue, which stands for a CUBIC flow's loss; once per episode
                lossWindow.reduce(now, episode.lost() ? CubicWindow.BETA_PERCENT : FullQueueSignal.BETA_PERCENT);
                lossCuts += episode.lost() ? 1 : 0;
                episode.onCut(round.lastSent());
                reductions++;
            }
        } else if (congested) {
            filledPipe = true;
            bandwidth.scale(CONGESTED_KEEP_NUM, CONGESTED_KEEP_DEN);
            reductions++;
        }
        if (fullPipe.roundEnded(bandwidth.estimate()) && state == State.STARTUP) {
            filledPipe = true;
        }
        round.next();
        episode.nextRound();
    }

    /** Moves the state machine on and sets the window and the pacing rate from the model. */
    private void update(long now) {
        switch (state) {
            case STARTUP -> {
                if (filledPipe) {
                    state = State.DRAIN;
                }
            }
            case DRAIN -> {
                if (bytesInFlight <= bdp(bandwidth(), GAIN_UNIT)) {
                    enterProbeBw(now);
                }
            }
            case PROBE_BW -> {
                boolean cruising = cycle.cruising();
                int phaseBefore = cycle.index();
                // under a ceiling the ceiling's growth finds bandwidth: a probe need only be short
                long probe = standingQueue.ceiling() == StandingQueue.NONE ? phase() : interval();
                boolean cycleEnded = cycle.advance(now, probe, phase());
                if (cycleEnded && competitor.cycleEndedSaysCompeting(now, minRtt)) {
                    startCompeting(now); // the queue was another flow's, and a ceiling measured only our share of it
                } else if (cycleEnded && !competitor.competing() && standingQueue.cycleEnded(now, minRtt, bandwidth.estimate())) {
                    // the queue did not drain: drain it before probing again (until it is gone, if our probe's)
                    cycle.skipProbe(standingQueue.ownProbe());
                } else if (cycleEnded && standingQueue.foreign()) {
                    // our share of a standing queue kept falling: another flow's, which held it
                    // before we started (the minimum RTT holds it too, and the competitor
                    // detector, judging against that minimum, cannot see it)
                    competitor.declare(now);
                    startCompeting(now);
                } else if (cruising && cycle.index() != phaseBefore && !competitor.competing()
                        && standingQueue.phaseEnded(now, minRtt, bandwidth.estimate())) {
                    cycle.drainNow(now, standingQueue.ownProbe()); // our queue grew deep within the cruise: drain it now
                }
                if (cycle.cruising() && !cruising) {
                    standingQueue.cruiseStarted(now);
                }
            }
            case PROBE_RTT -> {
                if (probeRtt.over(now, round.count())) {
                    exitProbeRtt(now);
                }
            }
        }
        if (state != State.PROBE_RTT
                && (competitor.competing() ? competitor.recheckDue(now)
                        : now - minRttStamp > MIN_RTT_WINDOW_NANOS && minRtt != Long.MAX_VALUE)) {
            state = State.PROBE_RTT;
            probeRtt.start(now, round.count());
        }
        setWindowAndRate();
    }

    /** Competing mode begins: CUBIC's window, from at least what the estimate without a ceiling gives. */
    private void startCompeting(long now) {
        lossWindow.restart(Math.max(window, bdp(bandwidth.estimate(), WINDOW_GAIN)), now);
        fullQueue.reset();
        standingQueue.clear();
    }

    private void enterProbeBw(long now) {
        state = State.PROBE_BW;
        cycle.start(now); // start cruising: the drain just gave the queue back
        standingQueue.cruiseStarted(now);
        competitor.startEpochs();
    }

    private void exitProbeRtt(long now) {
        if (competitor.competing()) {
            competitor.onRecheck(now, probeRtt.min(), minRtt);
            fullQueue.newPeriod();
            standingQueue.clear();
        } else if (probeRtt.min() != Long.MAX_VALUE) {
            minRtt = probeRtt.min(); // measured without our queue: may be higher than the old one (a new path)
        }
        competitor.onMinProbed();
        minRttStamp = now;
        if (filledPipe) {
            enterProbeBw(now);
        } else {
            state = State.STARTUP;
            standingQueue.clear();
        }
    }

    /** The bandwidth-delay product at the given gain, in bytes. */
    private long bdp(long bw, int gain) {
        return bw * interval() / Pacer.NANOS_PER_SECOND * gain / GAIN_UNIT;
    }

    private void setWindowAndRate() {
        long bw = bandwidth();
        if (state == State.PROBE_RTT) {
            window = minimumWindow;
            pacer.rate(bw);
        } else if (competitor.competing()) {
            window = lossWindow.window();
            long rtt = Math.max(RTT_FLOOR_NANOS, smoothedRtt);
            int gain = lossWindow.inSlowStart() ? 2 * GAIN_UNIT : 1250;
            pacer.rate(window * Pacer.NANOS_PER_SECOND / rtt * gain / GAIN_UNIT);
        } else {
            int gain = switch (state) {
                case STARTUP -> STARTUP_GAIN;
                case DRAIN -> DRAIN_GAIN;
                default -> cycle.gain();
            };
            if (bw == 0) {
                pacer.rate(smoothedRtt == 0 ? 0
                        : window * Pacer.NANOS_PER_SECOND / Math.max(RTT_FLOOR_NANOS, smoothedRtt) * gain / GAIN_UNIT);
            } else {
                pacer.rate(bw * gain / GAIN_UNIT);
            }
            if (state == State.STARTUP) {
                // at least the initial window per min RTT (StartupPacingTest: a stalled peer's sample)
                pacer.rate(Math.max(pacer.rate(), initialWindow * Pacer.NANOS_PER_SECOND / interval() * gain / GAIN_UNIT));
            }
            long cap = Math.max(minimumWindow, bdp(bw, state == State.STARTUP ? STARTUP_GAIN : WINDOW_GAIN) + aggregation.extra());
            window = state == State.STARTUP ? Math.max(window, cap) : cap;
        }
    }

    public long window() {
        return window;
    }

    public long bytesInFlight() {
        return bytesInFlight;
    }

    /** The bandwidth the model uses, bytes per second (0 before a sample): under any {@link StandingQueue} ceiling. */
    public long bandwidth() {
        return standingQueue.limit(bandwidth.estimate());
    }

    /** The standing-queue ceiling on the estimate, bytes per second, or Long.MAX_VALUE for none. */
    public long bandwidthCeiling() {
        return standingQueue.ceiling();
    }

    /** Gain cycles that ended with our own queue standing (each set the ceiling). */
    public long standingQueues() {
        return standingQueue.standings();
    }

    /** Probes past a settled rate that found it stale and counted what they carried as a measure. */
    public long probeMeasures() {
        return standingQueue.probeMeasures();
    }

    /** The pacing rate, bytes per second (0: not paced yet). */
    public long pacingRate() {
        return pacer.rate();
    }

    public long minRtt() {
        return minRtt;
    }

    public State state() {
        return state;
    }

    /** True while a loss-based competitor holds the queue and the loss window rules. */
    public boolean competing() {
        return competitor.competing();
    }

    public boolean inSlowStart() {
        return state == State.STARTUP;
    }

    /** Congested rounds so far: each cut the bandwidth estimate (or, competing, the loss window). */
    public long reductions() {
        return reductions;
    }

    /** Competing mode's cuts on a loss of ours (the others were the queue filling up). */
    public long lossCuts() {
        return lossCuts;
    }
}

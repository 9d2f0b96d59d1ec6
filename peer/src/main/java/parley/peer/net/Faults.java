package parley.peer.net;

import parley.core.reliable.FaultInjector;

/**
 * Seeded faults to inject on the peer's UDP send path (tests, demos): loss, duplicates,
 * reordering, and optionally a rule that drops chosen datagrams (a test holding a path cut while
 * it arranges a race, e.g. a copy in flight across a group kick).
 */
public final class Faults {
    public static final Faults NONE = new Faults(0, 0, 0, 0);

    public final long seed;
    public final double loss;
    public final double duplicate;
    public final double reorder;
    /** Asked on the loop thread for each datagram sent; null: none. */
    public final FaultInjector.DropRule rule;
    /**
     * Unanswered probes before a session gives up (ReliableConfig.maxProbes), or 0 for the
     * channel's default: a test that holds a path cut for a while raises it so the sessions
     * outlive the cut (the default gives up within a few seconds on loopback).
     */
    public final int maxProbes;

    public Faults(long seed, double loss, double duplicate, double reorder) {
        this(seed, loss, duplicate, reorder, null);
    }

    public Faults(long seed, double loss, double duplicate, double reorder, FaultInjector.DropRule rule) {
        this(seed, loss, duplicate, reorder, rule, 0);
    }

    public Faults(long seed, double loss, double duplicate, double reorder, FaultInjector.DropRule rule, int maxProbes) {
        this.maxProbes = maxProbes;
        this.seed = seed;
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
        this.rule = rule;
    }

    /** Only {@code rule}, no random faults; sessions outlive a cut of half a minute (20 probes of at most 2 s). */
    public static Faults dropping(FaultInjector.DropRule rule) {
        return new Faults(0, 0, 0, 0, rule, 20);
    }

    public boolean any() {
        return loss > 0 || duplicate > 0 || reorder > 0 || rule != null;
    }
}

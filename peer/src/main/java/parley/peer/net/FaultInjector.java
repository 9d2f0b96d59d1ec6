package parley.peer.net;

import java.util.Random;

/** Seeded faults on the send path, for tests and the demo: drop or duplicate datagrams. */
public final class FaultInjector {
    public static final FaultInjector NONE = new FaultInjector(0, 0, 0);

    private final Random random;
    private final double loss;
    private final double duplicate;

    public FaultInjector(long seed, double loss, double duplicate) {
        this.random = new Random(seed);
        this.loss = loss;
        this.duplicate = duplicate;
    }

    boolean drop() {
        return loss > 0 && random.nextDouble() < loss;
    }

    boolean duplicate() {
        return duplicate > 0 && random.nextDouble() < duplicate;
    }
}

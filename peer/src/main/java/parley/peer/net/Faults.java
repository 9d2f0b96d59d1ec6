package parley.peer.net;

/** Seeded faults to inject on the peer's UDP send path (tests, demos): loss, duplicates, reordering. */
public final class Faults {
    public static final Faults NONE = new Faults(0, 0, 0, 0);

    public final long seed;
    public final double loss;
    public final double duplicate;
    public final double reorder;

    public Faults(long seed, double loss, double duplicate, double reorder) {
        this.seed = seed;
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
    }

    public boolean any() {
        return loss > 0 || duplicate > 0 || reorder > 0;
    }
}

package parley.server.store;

/** A mutual contact, stored once with the smaller account id first. */
public record ContactPair(long low, long high) {
    public ContactPair {
        if (low >= high) {
            throw new IllegalArgumentException("contact pair must be ordered low < high");
        }
    }

    public static ContactPair of(long a, long b) {
        return a < b ? new ContactPair(a, b) : new ContactPair(b, a);
    }
}

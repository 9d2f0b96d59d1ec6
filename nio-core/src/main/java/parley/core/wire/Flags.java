package parley.core.wire;

/** Header flag bits. Bits not defined here must be zero and are refused otherwise. */
public final class Flags {
    /** Set on a message that answers a COMMAND; its correlation id echoes the request's. */
    public static final int RESPONSE = 0x01;
    /** Set on a message the sender did not ask for (a push: presence, incoming request). */
    public static final int PUSH = 0x02;

    public static final int DEFINED = RESPONSE | PUSH;

    private Flags() {
    }
}

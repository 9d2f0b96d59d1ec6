package parley.core.wire;

/**
 * A message that breaks the wire rules. Carries the error code the peer is told. Stack traces are
 * not filled in: this is thrown on hostile input, where it is an expected outcome, not a bug.
 */
public final class WireException extends RuntimeException {
    private final int code;

    public WireException(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
